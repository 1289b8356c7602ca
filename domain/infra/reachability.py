"""Before a long-running command starts, check that its database and Redis answer.

An operator who points `plaudit migrate`, `serve` or `worker` at a wrong host or a stopped server
should read one line naming what failed and where ("cannot reach PostgreSQL at db:5432
(connection refused)"), not a driver's traceback. The line never shows a password: only the host
and port of the URL are named.
"""

from __future__ import annotations

import asyncio
import socket
from urllib.parse import urlsplit

from domain.infra.settings import Settings

CONNECT_TIMEOUT_SECONDS = 5.0


class Unreachable(Exception):
    """A service the command needs does not answer; `str()` is the one line to print."""

    def __init__(self, service: str, where: str, reason: str) -> None:
        super().__init__(f"cannot reach {service} at {where} ({reason})")
        self.service = service
        self.where = where
        self.reason = reason


async def check(settings: Settings, *, database: bool = True, redis: bool = True) -> None:
    """Raises `Unreachable` for the first service that does not answer. SQLite and the embedded
    Redis live in the data dir and need no check."""
    if database and not settings.uses_sqlite:
        await _check_postgres(settings.database_url or "")
    if redis and not settings.embedded_redis:
        await _check_redis(settings.redis_url or "")


def where(url: str, default_port: int) -> str:
    """`host:port` of a URL, without its user or password."""
    parts = urlsplit(url)
    try:
        port = parts.port or default_port
    except ValueError:
        port = default_port
    return f"{parts.hostname or 'localhost'}:{port}"


async def _check_postgres(url: str) -> None:
    import asyncpg

    place = where(url, 5432)
    try:
        connection = await asyncpg.connect(url, timeout=CONNECT_TIMEOUT_SECONDS)
    except asyncpg.InvalidPasswordError:
        raise Unreachable("PostgreSQL", place, "authentication failed") from None
    except asyncpg.InvalidCatalogNameError:
        database = urlsplit(url).path.lstrip("/") or "?"
        raise Unreachable("PostgreSQL", place, f"database {database!r} does not exist") from None
    except asyncpg.PostgresError as exc:
        raise Unreachable("PostgreSQL", place, type(exc).__name__) from None
    except (OSError, TimeoutError) as exc:
        raise Unreachable("PostgreSQL", place, _reason(exc)) from None
    await connection.close()


async def _check_redis(url: str) -> None:
    from redis.asyncio import Redis
    from redis.exceptions import AuthenticationError, RedisError, ResponseError

    place = where(url, 6379)
    client = Redis.from_url(
        url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS, socket_timeout=CONNECT_TIMEOUT_SECONDS
    )
    try:
        await client.ping()
    except AuthenticationError:
        raise Unreachable("Redis", place, "authentication failed") from None
    except ResponseError as exc:
        raise Unreachable("Redis", place, str(exc).split("\n")[0][:120]) from None
    except (RedisError, OSError, TimeoutError) as exc:
        cause = exc.__cause__ or exc.__context__
        raise Unreachable("Redis", place, _reason(cause or exc)) from None
    finally:
        await client.aclose()


def _reason(exc: BaseException) -> str:
    """A few words for what went wrong with a connection attempt."""
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    text = str(exc).lower()
    if "refused" in text or "connect call failed" in text:
        return "connection refused"
    if "timeout" in text or "timed out" in text:
        return "timed out"
    if "name or service not known" in text or "nodename" in text:
        return "unknown host"
    return type(exc).__name__
