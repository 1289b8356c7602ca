"""One program per Redis namespace.

Every key, queue and channel Plaudit writes starts with the program's namespace
(`Settings.redis_namespace`: `PLAUDIT_REDIS_PREFIX`, or a short hash of the database identity),
so programs on one Redis server never see each other's work. arq's own job keys
(`arq:job:<id>`, `arq:result:<id>`...) have a fixed prefix, so every job id Plaudit makes starts
with the namespace too (`domain.infra.queue`, the cron names in `workers.settings`).

The namespace's owner key records which database it belongs to. A process whose database is
another refuses to start (`NamespaceClaimed`, a configuration error: exit 2).
"""

from __future__ import annotations

from redis.asyncio import Redis

from domain.infra.settings import Settings, SettingsError


class NamespaceClaimed(SettingsError):
    """The Redis namespace belongs to another database."""

    def __init__(self, namespace: str, owner: str, identity: str) -> None:
        super().__init__(
            "PLAUDIT_REDIS_PREFIX",
            f"Redis namespace {namespace!r} is already claimed by database {owner}, not "
            f"{identity}; set another PLAUDIT_REDIS_PREFIX (or delete the key "
            f"{owner_key(namespace)!r} if that database is gone)",
        )


def key(settings: Settings, *parts: str) -> str:
    return ":".join((settings.redis_namespace, *parts))


def owner_key(namespace: str) -> str:
    return f"{namespace}:owner"


async def claim(redis: Redis, settings: Settings) -> bool:
    """Claim the namespace for this database (idempotent). True when this call claimed it;
    raises `NamespaceClaimed` when another database holds it. Redis errors propagate."""
    namespace, identity = settings.redis_namespace, settings.database_identity
    if await redis.set(owner_key(namespace), identity.encode(), nx=True):
        return True
    owner = await redis.get(owner_key(namespace))
    if owner is None:  # deleted between the two commands
        return await claim(redis, settings)
    text = owner.decode() if isinstance(owner, bytes) else str(owner)
    if text != identity:
        raise NamespaceClaimed(namespace, text, identity)
    return False
