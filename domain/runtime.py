"""What a running process holds open: settings, Redis clients, the queue and leaderboards.

Everything it opens on Redis lives in the program's namespace (`domain.infra.namespace`).

The API and the worker each build one `Runtime` at start-up and close it at shutdown; services
receive it rather than reaching for globals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from arq.connections import ArqRedis
from redis.asyncio import Redis

from domain.infra import db, namespace
from domain.infra.db import close_db, init_db
from domain.infra.queue import deserialize, queue_name, serialize
from domain.infra.read_versions import ReadVersions
from domain.infra.redis import RedisEndpoint, open_endpoint
from domain.infra.settings import Settings
from domain.leaderboards.store import LeaderboardStore
from domain.members import events
from domain.outbox import wakeup

log = logging.getLogger("plaudit.runtime")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    settings: Settings
    endpoint: RedisEndpoint
    redis: Redis
    queue: ArqRedis
    leaderboards: LeaderboardStore
    # What time it is for reads: each request takes `Context.now` from it once. Tests set it
    # to move time without waiting.
    clock: Callable[[], datetime] = field(default=utc_now)
    # Writers tell it which members' reads they change (`domain.infra.db.touch_member`); the
    # member read cache checks its answers against it. Set by `open`.
    read_versions: ReadVersions | None = None

    @classmethod
    async def open(cls, settings: Settings, *, database: bool = True) -> Runtime:
        """Raises `NamespaceClaimed` when the Redis namespace belongs to another database."""
        if database:
            await init_db(settings)
        endpoint = open_endpoint(settings)
        redis = endpoint.client(decode_responses=False)
        prefix = settings.redis_namespace
        queue = endpoint.arq_client(
            job_serializer=serialize,
            job_deserializer=deserialize,
            default_queue_name=queue_name(prefix),
        )
        events.publisher.redis = redis
        events.publisher.namespace = prefix
        wakeup.waker.queue = queue  # webhook messages wake the workers once committed
        runtime = cls(settings, endpoint, redis, queue, LeaderboardStore(redis, namespace=prefix))
        runtime.read_versions = ReadVersions(
            redis, prefix, entry_ttl_ms=settings.read_cache_ttl_seconds * 1000
        )
        # Always, whatever PLAUDIT_READ_CACHE says: another process may cache reads.
        db.read_versions.sink = runtime.read_versions
        try:
            await namespace_claim(runtime)
        except BaseException:
            await runtime.close(database=database)
            raise
        return runtime

    async def close(self, *, database: bool = True) -> None:
        if events.publisher.redis is self.redis:
            events.publisher.redis = None
        if wakeup.waker.queue is self.queue:
            wakeup.waker.queue = None
        if db.read_versions.sink is self.read_versions:
            db.read_versions.sink = None
        await self.queue.aclose()
        await self.redis.aclose()
        self.endpoint.close()
        if database:
            await close_db()


async def namespace_claim(runtime: Runtime) -> None:
    """Claim the program's Redis namespace; when Redis cannot answer now, a worker claims it
    once Redis is back (`workers.supervisor`)."""
    try:
        await namespace.claim(runtime.redis, runtime.settings)
    except namespace.NamespaceClaimed:
        raise
    except Exception as exc:
        log.warning("could not check the Redis namespace now (%s); the worker will", exc)
