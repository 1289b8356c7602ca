"""Outages of Redis and the database: telling them apart from bugs, and logging each once.

`is_outage` says whether an exception means a dependency went away (as opposed to something
wrong with the work). An `Outage` logs one WARNING when a dependency goes down and one INFO when
it is back, however many attempts fail in between.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger("plaudit.outage")

# Exception names, anywhere in the cause chain, that mean "the connection went away".
_OUTAGE_NAMES = {
    "InterfaceError",
    "CannotConnectNowError",
    "AdminShutdownError",
    "CrashShutdownError",
    "OperatorInterventionError",
    "TooManyConnectionsError",
    "ConnectionDoesNotExistError",
    "BusyLoadingError",
    "TimeoutError",
    # asyncpg, on a connection lost mid-query ("cannot switch to state ..."): the pool
    # replaces the connection.
    "InternalClientError",
}


def is_outage(exc: BaseException) -> bool:
    """The database or Redis went away (as opposed to something wrong with an item)."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from tortoise.exceptions import DBConnectionError

    seen: BaseException | None = exc
    for _ in range(20):  # a cause chain is short; never loop on a cyclic one
        if seen is None:
            return False
        if isinstance(
            seen,
            OSError
            | ConnectionError
            | TimeoutError
            | DBConnectionError
            | RedisConnectionError
            | RedisTimeoutError,
        ):
            return True
        name = type(seen).__name__
        if "Connection" in name or name in _OUTAGE_NAMES:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def of(exc: BaseException) -> Outage:
    """Which dependency an outage's exception came from: Redis's client or the database's."""
    seen: BaseException | None = exc
    for _ in range(20):
        if seen is None:
            break
        if type(seen).__module__.startswith("redis"):
            return redis
        seen = seen.__cause__ or seen.__context__
    return database


class Outage:
    """One dependency's state, as seen by this process: logs the transitions only."""

    # Failures further apart than this are separate outages, even if no success was seen
    # in between (a process that only notices failures still logs each outage).
    QUIET_S = 60.0

    def __init__(self, name: str) -> None:
        self.name = name
        self.since: float | None = None  # time.time() when it went down; None while up
        self.last_failure = 0.0
        self.failures = 0

    @property
    def down(self) -> bool:
        return self.since is not None

    def failed(self, exc: BaseException) -> None:
        from domain.infra import metrics

        metrics.observe_dependency_error(self.name)
        now = time.time()
        if self.since is not None and now - self.last_failure > self.QUIET_S:
            self.since = None
        self.last_failure = now
        self.failures += 1
        if self.since is None:
            self.since = now
            self.failures = 1
            log.warning(
                "%s unavailable (%s: %s); retrying with backoff until it is back",
                self.name,
                type(exc).__name__,
                exc,
            )

    def ok(self) -> None:
        if self.since is not None:
            log.info(
                "%s available again after %.1fs (%d failed attempts)",
                self.name,
                time.time() - self.since,
                self.failures,
            )
        self.since = None
        self.failures = 0


# This process's view of its dependencies (the worker's supervisor and tasks share them).
redis = Outage("redis")
database = Outage("database")
