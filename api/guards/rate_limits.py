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
from redis.asyncio import ConnectionPool, Redis
from redis.exceptions import RedisError

from domain.infra import outages
from domain.infra.redis import RedisEndpoint
from domain.infra.settings import Settings

# A slow Redis must not slow every request: limiting gives up (fails open) quickly.
REDIS_TIMEOUT_S = 0.5

# What the `limits` storage runs to count (its incr_expire.lua): the same counters, so a bulk
# flush and an exact sync add to one key. KEYS: the counter. ARGV: window in s, amount.
INCR_EXPIRE = """
local current = redis.call('INCRBY', KEYS[1], tonumber(ARGV[2]))
if tonumber(current) == tonumber(ARGV[2]) then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return current
"""


@dataclass
class _Tally:
    """One limit's counter as this process knows it: the shared count at the last sync, and
    the requests counted here since."""

    window: int
    known: int = 0
    unsynced: int = 0


class Tallies:
    """Requests counted in-process and added to Redis in bulk while far below their limit.

    A Redis round trip per limit per request cost as much CPU as the bare request, and a
    member's app reads a few times a session: nearly every request would be the first of its
    window, or its counter's first in a while. Far below a limit nothing depends on the exact
    count, so the counts wait here and one background round trip sends all of them within
    `FLUSH_S` (`RateLimiter.flush`). Within `EXACT_SHARE` of the limit as this process knows it
    (and for small limits, always) every request is counted in Redis at once, so the limit is
    exact for one process. Across processes a count lags by at most each process's last
    `FLUSH_S` of requests.
    """

    FLUSH_S = 0.1
    EXACT_SHARE = 0.2
    CAPACITY = 100_000

    def __init__(self) -> None:
        self._tallies: OrderedDict[str, _Tally] = OrderedDict()
        # Counters with requests waiting for the background flush: key -> (item, tally).
        self._waiting: dict[str, tuple[RateLimitItem, _Tally]] = {}

    def count(self, item: RateLimitItem, who: str, now: float) -> bool:
        """Count one request; returns whether the counter must be synced now (else the
        background flush sends it)."""
        key = item.key_for("graphql", who)
        window = int(now // item.get_expiry())
        tally = self._tallies.get(key)
        if tally is None or tally.window != window:
            tally = _Tally(window)
            self._tallies[key] = tally
            if len(self._tallies) > self.CAPACITY:
                self._tallies.popitem(last=False)
        tally.unsynced += 1
        headroom = item.amount - tally.known - tally.unsynced
        if headroom < item.amount * self.EXACT_SHARE:
            return True
        self._waiting[key] = (item, tally)
        return False

    def take(self, item: RateLimitItem, who: str) -> _Tally:
        return self._tallies[item.key_for("graphql", who)]

    def take_waiting(self) -> list[tuple[str, RateLimitItem, _Tally, int]]:
        """Every waiting count, taken off its tally: (key, item, tally, amount)."""
        waiting, self._waiting = self._waiting, {}
        taken = []
        for key, (item, tally) in waiting.items():
            amount, tally.unsynced = tally.unsynced, 0
            if amount:
                taken.append((key, item, tally, amount))
        return taken

    @property
    def waiting(self) -> bool:
        return bool(self._waiting)


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
        self.key_prefix = f"{settings.redis_namespace}:ratelimit"
        storage = RedisStorage(
            "async+redis://localhost:6379",  # unused: the pool says where Redis is
            implementation="redispy",
            key_prefix=self.key_prefix,
            **options,
        )
        self.redis = Redis(connection_pool=self.pool)
        self.incr_expire = self.redis.register_script(INCR_EXPIRE)
        self.strategy = FixedWindowRateLimiter(storage)
        self.tallies = Tallies()
        self._flush_task: asyncio.Task[None] | None = None
        self.subject_requests = parse_rate(settings.rate_limit_subject_requests)
        self.subject_mutations = parse_rate(settings.rate_limit_subject_mutations)
        self.ip_requests = parse_rate(settings.rate_limit_ip_requests)
        self.ip_mutations = parse_rate(settings.rate_limit_ip_mutations)

    async def close(self) -> None:
        """Send the counts still waiting, then let the connections go."""
        if self._flush_task is not None:
            self._flush_task.cancel()
            self._flush_task = None
        await self.flush()
        await self.pool.disconnect()

    async def flush(self) -> None:
        """Add every count waiting in this process to Redis: one pipelined round trip."""
        waiting = self.tallies.take_waiting()
        if not waiting:
            return
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for key, item, _, amount in waiting:
                    await self.incr_expire(
                        keys=[f"{self.key_prefix}:{key}"],
                        args=[item.get_expiry(), amount],
                        client=pipe,
                    )
                counts = await pipe.execute()
        except (RedisError, OSError) as exc:
            outages.redis.failed(exc)  # one WARNING per outage; these counts are lost
            return
        for (_, _, tally, _), count in zip(waiting, counts, strict=True):
            tally.known = max(tally.known, int(count))

    def _flush_soon(self) -> None:
        """Flush within `Tallies.FLUSH_S`, unless a flush is already due."""
        if self._flush_task is None and self.tallies.waiting:
            self._flush_task = asyncio.create_task(self._flush_later())

    async def _flush_later(self) -> None:
        await asyncio.sleep(Tallies.FLUSH_S)
        self._flush_task = None  # counts made from here on are the next flush's
        await self.flush()

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
        self._flush_soon()
        if not due:
            return None
        try:
            counts = await asyncio.gather(*(self._sync(item, who) for _, item, who in due))
            for (name, item, who), count in zip(due, counts, strict=True):
                if count > item.amount:
                    key = item.key_for("graphql", who)
                    reset_at = await self.strategy.storage.get_expiry(key)
                    return Refused(name, max(1, math.ceil(reset_at - self.clock())))
        except (RedisError, OSError) as exc:
            outages.redis.failed(exc)  # one WARNING per outage; the request is served
            return None
        return None

    async def _sync(self, item: RateLimitItem, who: str) -> int:
        """Add this process's uncounted requests to the shared counter; returns its new value."""
        tally = self.tallies.take(item, who)
        amount, tally.unsynced = tally.unsynced, 0  # requests counted meanwhile stay unsynced
        if amount == 0:
            return tally.known  # a concurrent request synced them
        count = await self.strategy.storage.incr(
            item.key_for("graphql", who), item.get_expiry(), amount=amount
        )
        tally.known = max(tally.known, count)
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
