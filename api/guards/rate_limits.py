"""Rate limits per subject and per IP, on all requests and on mutations, counted in Redis.

Four fixed-window limits (`PLAUDIT_RATE_LIMIT_*`): a request counts against its IP's request
limit and, with a valid token, its subject's; a mutation counts against the two mutation limits
as well. The counters live in Redis (the `limits` library's storage, keys under
`<namespace>:ratelimit`), so every API process of one program shares them. The defaults are far
above what a real front-end sends; `PLAUDIT_RATE_LIMITS=false` turns limiting off.

When Redis is unreachable, limiting fails open: the request is served, and the outage is logged
once as a WARNING (`domain.infra.outages`), as everywhere else; the database stays the one thing a
request needs.
"""

from __future__ import annotations

import asyncio
import functools
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from limits import RateLimitItem
from limits import parse as parse_rate
from limits.aio.storage import RedisStorage
from limits.aio.strategies import FixedWindowRateLimiter
from redis.asyncio import ConnectionPool
from redis.exceptions import RedisError

from domain.infra import outages
from domain.infra.redis import RedisEndpoint
from domain.infra.settings import Settings

# A slow Redis must not slow every request: limiting gives up (fails open) quickly.
REDIS_TIMEOUT_S = 0.5


@dataclass
class _Tally:
    """One limit's counter as this process knows it: the shared count at the last sync, and
    the requests counted here since."""

    window: int
    known: int = 0
    unsynced: int = 0
    synced_at: float = -math.inf


class Tallies:
    """Requests counted in-process and added to Redis in bulk while far below their limit.

    A Redis round trip per limit per request cost twice a bare request's CPU. Far below a
    limit, nothing depends on the exact count, so a process adds its requests in bulk at least
    every `SYNC_S`; within `EXACT_SHARE` of the limit (and for small limits, always) every
    request is counted in Redis at once, so the limit itself is exact. Across processes a
    count lags by at most each process's last `SYNC_S` of requests.
    """

    SYNC_S = 0.5
    EXACT_SHARE = 0.2
    CAPACITY = 100_000

    def __init__(self) -> None:
        self._tallies: OrderedDict[str, _Tally] = OrderedDict()

    def count(self, item: RateLimitItem, who: str, now: float) -> bool:
        """Count one request; returns whether the counter must be synced now."""
        key = item.key_for("graphql", who)
        window = int(now // item.get_expiry())
        tally = self._tallies.get(key)
        if tally is None or tally.window != window:
            tally = _Tally(window)  # synced at once: learns what other processes counted
            self._tallies[key] = tally
            if len(self._tallies) > self.CAPACITY:
                self._tallies.popitem(last=False)
        tally.unsynced += 1
        headroom = item.amount - tally.known - tally.unsynced
        return headroom < item.amount * self.EXACT_SHARE or now - tally.synced_at >= self.SYNC_S

    def take(self, item: RateLimitItem, who: str) -> _Tally:
        return self._tallies[item.key_for("graphql", who)]


@dataclass(frozen=True)
class Refused:
    """Over a limit: which one, and how long until its window resets."""

    limit: str
    retry_after_s: int


class RateLimiter:
    def __init__(
        self,
        settings: Settings,
        endpoint: RedisEndpoint,
        *,
        clock: Callable[[], float] = time.time,
        max_tokens: int | None = None,
    ) -> None:
        self.clock = clock
        self.max_tokens = max_tokens
        self.pool: ConnectionPool = endpoint.pool(
            socket_connect_timeout=REDIS_TIMEOUT_S, socket_timeout=REDIS_TIMEOUT_S
        )
        options: dict[str, Any] = {"connection_pool": self.pool}
        storage = RedisStorage(
            "async+redis://localhost:6379",  # unused: the pool says where Redis is
            implementation="redispy",
            key_prefix=f"{settings.redis_namespace}:ratelimit",
            **options,
        )
        self.strategy = FixedWindowRateLimiter(storage)
        self.tallies = Tallies()
        self.subject_requests = parse_rate(settings.rate_limit_subject_requests)
        self.subject_mutations = parse_rate(settings.rate_limit_subject_mutations)
        self.ip_requests = parse_rate(settings.rate_limit_ip_requests)
        self.ip_mutations = parse_rate(settings.rate_limit_ip_mutations)

    async def close(self) -> None:
        await self.pool.disconnect()

    async def check(self, *, subject: str | None, ip: str | None, mutation: bool) -> Refused | None:
        """Count this request; None when it may run, `Refused` when a limit is exceeded."""
        checks: list[tuple[str, RateLimitItem, str]] = []
        if ip is not None:
            checks.append(("ip requests", self.ip_requests, f"ip:{ip}"))
            if mutation:
                checks.append(("ip mutations", self.ip_mutations, f"ip:{ip}"))
        if subject is not None:
            checks.append(("subject requests", self.subject_requests, f"sub:{subject}"))
            if mutation:
                checks.append(("subject mutations", self.subject_mutations, f"sub:{subject}"))
        now = self.clock()
        due = [check for check in checks if self.tallies.count(check[1], check[2], now)]
        if not due:
            return None
        try:
            counts = await asyncio.gather(*(self._sync(item, who, now) for _, item, who in due))
            for (name, item, who), count in zip(due, counts, strict=True):
                if count > item.amount:
                    key = item.key_for("graphql", who)
                    reset_at = await self.strategy.storage.get_expiry(key)
                    return Refused(name, max(1, math.ceil(reset_at - self.clock())))
        except (RedisError, OSError) as exc:
            outages.redis.failed(exc)  # one WARNING per outage; the request is served
            return None
        return None

    async def _sync(self, item: RateLimitItem, who: str, now: float) -> int:
        """Add this process's uncounted requests to the shared counter; returns its new value."""
        tally = self.tallies.take(item, who)
        amount, tally.unsynced = tally.unsynced, 0  # requests counted meanwhile stay unsynced
        if amount == 0:
            return tally.known  # a concurrent request synced them
        count = await self.strategy.storage.incr(
            item.key_for("graphql", who), item.get_expiry(), amount=amount
        )
        tally.known, tally.synced_at = max(tally.known, count), now
        return count

    def is_mutation(self, query: object, operation_name: str | None) -> bool:
        return isinstance(query, str) and _runs_mutation(query, operation_name, self.max_tokens)


@functools.lru_cache(maxsize=512)
def _runs_mutation(query: str, operation_name: str | None, max_tokens: int | None) -> bool:
    """Whether the operation the request selects is a mutation. A document that does not parse
    runs nothing (it is refused later); one without a named operation is judged by its first."""
    if "mutation" not in query:
        return False
    try:
        document = parse(query, no_location=True, max_tokens=max_tokens)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    for operation in operations:
        if operation_name is None or (operation.name and operation.name.value == operation_name):
            return operation.operation is OperationType.MUTATION
    return False
