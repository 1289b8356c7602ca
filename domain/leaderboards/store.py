"""The Redis side of leaderboards: absolute monotonic writes, ranked reads, atomic rebuilds.

The rules (keys, element encoding for tie-breaks, cursors) live in `gamification.leaderboards`;
this module is the I/O over them. See that module's docstring for why writes are idempotent.
"""

from __future__ import annotations

import asyncio
import json
import time
import weakref
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar, cast

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from domain.infra.redis import literal_pattern
from gamification.leaderboards import (
    BoardKey,
    BoardPeriod,
    Page,
    Standing,
    change_channel,
    decode_cursor,
    element_for,
    member_of,
)

# Many absolute writes in one script: KEYS come in (scores, elements) pairs and ARGV in
# (member, score, element, expire-at or '') quadruples, one per write. A write lands only if it
# raises the member's score, so the script is idempotent and order-insensitive, and it is
# atomic across every board and period of the writes it carries.
_SET_SCORES = """
local written = 0
for i = 1, #KEYS, 2 do
  local a = (i - 1) * 2
  local member, score, element, expire = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local old = redis.call('HGET', KEYS[i + 1], member)
  local stale = false
  if old then
    local current = redis.call('ZSCORE', KEYS[i], old)
    if current and tonumber(current) >= tonumber(score) then
      stale = true
    else
      redis.call('ZREM', KEYS[i], old)
    end
  end
  if not stale then
    redis.call('ZADD', KEYS[i], score, element)
    redis.call('HSET', KEYS[i + 1], member, element)
    if expire ~= '' then
      redis.call('EXPIREAT', KEYS[i], expire)
      redis.call('EXPIREAT', KEYS[i + 1], expire)
    end
    written = written + 1
  end
end
return written
"""

# A score that may fall (the content board: votes and takedowns move it both ways) is
# replaced outright; the caller writes the value it read after its own commit.
_REPLACE_SCORE = """
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then redis.call('ZREM', KEYS[1], old) end
if tonumber(ARGV[2]) > 0 then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
  if ARGV[4] ~= '' then
    redis.call('EXPIREAT', KEYS[1], ARGV[4])
    redis.call('EXPIREAT', KEYS[2], ARGV[4])
  end
else
  redis.call('HDEL', KEYS[2], ARGV[1])
end
return 1
"""

# Takes one member off one board and period (an erasure): both keys, atomically.
_REMOVE_MEMBER = """
local element = redis.call('HGET', KEYS[2], ARGV[1])
if not element then return 0 end
redis.call('ZREM', KEYS[1], element)
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
"""

# Writes per script: a batch's few thousand are a few scripts of about a millisecond each,
# so no script holds Redis up for long.
SCORES_PER_SCRIPT = 500

_AROUND = """
local element = redis.call('HGET', KEYS[2], ARGV[1])
if not element then return {} end
local rank = redis.call('ZREVRANK', KEYS[1], element)
if not rank then return {} end
local radius = tonumber(ARGV[2])
local first = rank - radius
if first < 0 then first = 0 end
return {first, redis.call('ZREVRANGE', KEYS[1], first, rank + radius, 'WITHSCORES')}
"""

_PAGE_AFTER = """
local start = 0
if ARGV[2] ~= '' then
  local current = redis.call('ZSCORE', KEYS[1], ARGV[2])
  if current and tonumber(current) == tonumber(ARGV[1]) then
    start = redis.call('ZREVRANK', KEYS[1], ARGV[2]) + 1
  else
    -- The cursor's member has moved since: resume after everyone still above its old score.
    start = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf')
  end
end
return {start, redis.call('ZREVRANGE', KEYS[1], start, start + tonumber(ARGV[3]), 'WITHSCORES')}
"""


# Every read a GraphQL request makes of one board, in one script: one round trip whatever the
# mix of `size`, `entries` pages and `around` neighbourhoods (aliases included). ARGV is a list
# of operations: `size`; `page <score> <element> <first>` (fetches one extra to see a next
# page); `around <member> <radius>`. One result per operation, in order.
_READ = """
local out = {}
local i = 1
while i <= #ARGV do
  local op = ARGV[i]
  if op == 'size' then
    out[#out + 1] = redis.call('ZCARD', KEYS[1])
    i = i + 1
  elseif op == 'page' then
    local start = 0
    if ARGV[i + 2] ~= '' then
      local current = redis.call('ZSCORE', KEYS[1], ARGV[i + 2])
      if current and tonumber(current) == tonumber(ARGV[i + 1]) then
        start = redis.call('ZREVRANK', KEYS[1], ARGV[i + 2]) + 1
      else
        start = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[i + 1], '+inf')
      end
    end
    local last = start + tonumber(ARGV[i + 3])
    out[#out + 1] = {start, redis.call('ZREVRANGE', KEYS[1], start, last, 'WITHSCORES')}
    i = i + 4
  elseif op == 'around' then
    local found = {}
    local element = redis.call('HGET', KEYS[2], ARGV[i + 1])
    if element then
      local rank = redis.call('ZREVRANK', KEYS[1], element)
      if rank then
        local radius = tonumber(ARGV[i + 2])
        local first = rank - radius
        if first < 0 then first = 0 end
        found = {first, redis.call('ZREVRANGE', KEYS[1], first, rank + radius, 'WITHSCORES')}
      end
    end
    out[#out + 1] = found
    i = i + 3
  else
    return redis.error_reply('unknown read ' .. tostring(op))
  end
end
return out
"""


@dataclass(frozen=True)
class SizeRead:
    """How many members the board holds."""


@dataclass(frozen=True)
class PageRead:
    """Up to `first` standings after the cursor `after` (None: from the top)."""

    first: int
    after: str | None


@dataclass(frozen=True)
class AroundRead:
    """`member_id`'s standing and up to `radius` standings either side."""

    member_id: str
    radius: int


BoardRead = SizeRead | PageRead | AroundRead


class LeaderboardStore:
    """The Redis side of leaderboards: absolute writes, ranked reads, atomic rebuilds."""

    def __init__(self, redis: Redis, *, namespace: str = "") -> None:
        self.redis = redis
        # The program's Redis namespace: every board key is taken into it (`BoardKey.namespace`).
        self.namespace = namespace
        self._set_scores = redis.register_script(_SET_SCORES)
        self._replace_score = redis.register_script(_REPLACE_SCORE)
        self._around = redis.register_script(_AROUND)
        self._page_after = redis.register_script(_PAGE_AFTER)
        self._read = redis.register_script(_READ)
        self._remove_member = redis.register_script(_REMOVE_MEMBER)
        # Public pages as the API renders them, shared by this process's requests for at most
        # a second (see `MicroCache`). Dropped whenever this store writes.
        self.pages: MicroCache[Any] = MicroCache(ttl_s=PAGE_TTL_S)

    async def set_scores(
        self, updates: Iterable[tuple[BoardKey, str, int, datetime, datetime | None]]
    ) -> None:
        """Apply (board, member, score, reached_at, expires_at) writes, a few hundred per
        script, all scripts in one MULTI, and announce the boards they touch, in one round
        trip."""
        self.pages.invalidate()
        now = datetime.now(UTC)
        scripts: list[tuple[list[str], list[str | int]]] = []
        touched: set[BoardKey] = set()
        for key, member_id, score, reached_at, expiry in updates:
            if score <= 0 or (expiry is not None and expiry <= now):
                # Boards list members with a score; a board past its retention lives on in
                # the database only.
                continue
            if not scripts or len(scripts[-1][0]) >= 2 * SCORES_PER_SCRIPT:
                scripts.append(([], []))
            keys, args = scripts[-1]
            touched.add(key)
            key = key.in_namespace(self.namespace)
            expire = "" if expiry is None else str(int(expiry.timestamp()))
            keys += (key.scores, key.elements)
            args += (member_id, score, element_for(member_id, reached_at), expire)
        if scripts:
            # MULTI/EXEC: a batch's scripts apply together, so no reader sees its credits on
            # one board or period and not yet on another (redis-py loads the scripts first).
            async with self.redis.pipeline(transaction=True) as pipe:
                for keys, args in scripts:
                    await self._set_scores(keys=keys, args=args, client=pipe)
                self._announce(pipe, touched)
                await pipe.execute()

    async def replace_scores(
        self, updates: Iterable[tuple[BoardKey, str, int, datetime, datetime | None]]
    ) -> None:
        """Like `set_scores`, but a lower score replaces a higher one and 0 removes the member:
        for boards whose scores fall as well as rise."""
        self.pages.invalidate()
        now = datetime.now(UTC)
        touched: set[BoardKey] = set()
        async with self.redis.pipeline(transaction=False) as pipe:
            for key, member_id, score, reached_at, expiry in updates:
                if expiry is not None and expiry <= now:
                    continue
                touched.add(key)
                key = key.in_namespace(self.namespace)
                expire = "" if expiry is None else str(int(expiry.timestamp()))
                await self._replace_score(
                    keys=[key.scores, key.elements],
                    args=[member_id, score, element_for(member_id, reached_at), expire],
                    client=pipe,
                )
            self._announce(pipe, touched)
            await pipe.execute()

    async def remove_member(self, member_id: str) -> int:
        """Take `member_id` off every board and period Redis holds, rebuild keys included
        (an erasure), and announce the boards that changed; returns how many it was on.

        The keys are found by scanning the namespace, not from the database: the database no
        longer names the member by then, and a board whose period has closed still lives here
        until it expires."""
        self.pages.invalidate()
        prefix = f"{self.namespace}:" if self.namespace else ""
        touched: list[BoardKey] = []
        pattern = f"{literal_pattern(prefix)}lb:*:elements"
        async for raw in self.redis.scan_iter(match=pattern, count=1000):
            elements = _text(raw)
            scores = elements.removesuffix(":elements") + ":scores"
            if await self._remove_member(keys=[scores, elements], args=[member_id]):
                key = _board_key_of(elements, prefix)
                if key is not None:
                    touched.append(key)
        if touched:
            async with self.redis.pipeline(transaction=False) as pipe:
                self._announce(pipe, touched)
                await pipe.execute()
        self.pages.invalidate()
        return len(touched)

    def _announce(self, pipe: Pipeline, keys: Iterable[BoardKey]) -> None:
        """Tell live subscribers (`api.leaderboards.live`) which boards moved: one message per
        board and period a write touched, in the writes' round trip."""
        for key in keys:
            message = json.dumps({"periodKey": key.period_key})
            pipe.publish(change_channel(key.board, key.period, self.namespace), message)

    async def size(self, key: BoardKey) -> int:
        key = key.in_namespace(self.namespace)
        return int(await self.redis.zcard(key.scores))

    async def page(self, key: BoardKey, first: int, after: str | None) -> Page:
        """Up to `first` standings after the cursor (keyset: a moving board neither skips nor
        repeats members whose score did not change)."""
        key = key.in_namespace(self.namespace)
        position = decode_cursor(after) if after else None
        score, element = position if position else (0, "")
        result = await self._page_after(
            keys=[key.scores],
            args=[score, element, first],  # fetch one extra to see a next page
        )
        start, flat = int(result[0]), cast(list[Any], result[1])
        standings = _standings(start, flat)
        return Page(standings[:first], len(standings) > first, start > 0)

    async def around(self, key: BoardKey, member_id: str, radius: int) -> list[Standing]:
        key = key.in_namespace(self.namespace)
        result = await self._around(keys=[key.scores, key.elements], args=[member_id, radius])
        if not result:
            return []
        return _standings(int(result[0]), cast(list[Any], result[1]))

    async def scores_of(self, key: BoardKey) -> dict[str, int]:
        """Every member's score on the board as Redis holds it (scanned, not read at once:
        `verify` reads boards of any size)."""
        key = key.in_namespace(self.namespace)
        found: dict[str, int] = {}
        async for element, score in self.redis.zscan_iter(key.scores, count=10_000):
            found[member_of(_text(element))] = int(float(score))
        return found

    async def read(self, key: BoardKey, reads: Sequence[BoardRead]) -> list[Any]:
        """Several reads of one board in one round trip: an int for a `SizeRead`, a `Page` for
        a `PageRead`, a list of standings for an `AroundRead`, in the order asked."""
        key = key.in_namespace(self.namespace)
        args: list[str | int] = []
        for read in reads:
            if isinstance(read, SizeRead):
                args.append("size")
            elif isinstance(read, PageRead):
                position = decode_cursor(read.after) if read.after else None
                score, element = position if position else (0, "")
                args += ["page", score, element, read.first]
            else:
                args += ["around", read.member_id, read.radius]
        results = cast(list[Any], await self._read(keys=[key.scores, key.elements], args=args))
        answers: list[Any] = []
        for read, result in zip(reads, results, strict=True):
            if isinstance(read, SizeRead):
                answers.append(int(result))
            elif isinstance(read, PageRead):
                start = int(result[0])
                standings = _standings(start, cast(list[Any], result[1]))
                answers.append(
                    Page(standings[: read.first], len(standings) > read.first, start > 0)
                )
            else:
                answers.append(_standings(int(result[0]), result[1]) if result else [])
        return answers

    async def replace(
        self,
        key: BoardKey,
        rows: Iterable[tuple[str, int, datetime]],
        expiry: datetime | None,
        chunk: int = 5_000,
    ) -> int:
        """Rebuild a board from (member, score, reached_at) rows into temporary keys, then swap
        them in atomically, so readers never see a half-built board."""
        key = key.in_namespace(self.namespace)
        tmp = key.staging()
        await self.redis.delete(tmp.scores, tmp.elements)
        count = 0
        batch: list[tuple[str, int, datetime]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk:
                count += await self._write_batch(tmp, batch)
                batch = []
        if batch:
            count += await self._write_batch(tmp, batch)
        async with self.redis.pipeline(transaction=True) as pipe:
            if count:
                pipe.rename(tmp.scores, key.scores)
                pipe.rename(tmp.elements, key.elements)
                if expiry is not None:
                    pipe.expireat(key.scores, int(expiry.timestamp()))
                    pipe.expireat(key.elements, int(expiry.timestamp()))
            else:
                pipe.delete(key.scores, key.elements)
            self._announce(pipe, [key])
            await pipe.execute()
        self.pages.invalidate()
        return count

    async def _write_batch(self, key: BoardKey, batch: Sequence[tuple[str, int, datetime]]) -> int:
        scored = {element_for(m, reached): score for m, score, reached in batch if score > 0}
        if not scored:
            return 0
        elements = {m: element_for(m, reached) for m, score, reached in batch if score > 0}
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zadd(key.scores, scored)
            pipe.hset(key.elements, mapping=elements)
            await pipe.execute()
        return len(scored)


def _standings(start: int, flat: list[Any]) -> list[Standing]:
    """ZREVRANGE … WITHSCORES through a script comes back flat: [element, score, element, …]."""
    standings = []
    for index in range(0, len(flat), 2):
        element = _text(flat[index])
        standings.append(
            Standing(
                rank=start + index // 2 + 1,
                score=int(float(_text(flat[index + 1]))),
                member_id=member_of(element),
                element=element,
            )
        )
    return standings


def _board_key_of(elements: str, prefix: str) -> BoardKey | None:
    """The live board and period whose elements hash is `elements` (None for a rebuild's
    staging keys or a name of another shape): `<prefix>lb:{<board>:<PERIOD>:<key>}:elements`."""
    head = f"{prefix}lb:{{"
    if not elements.startswith(head) or not elements.endswith("}:elements"):
        return None
    board_and_period, _, period_key = elements[len(head) : -len("}:elements")].rpartition(":")
    board, _, period = board_and_period.rpartition(":")
    if period not in BoardPeriod.__members__:
        return None
    return BoardKey(board, BoardPeriod(period), period_key)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


PAGE_TTL_S = 1.0
T = TypeVar("T")
_caches: weakref.WeakSet[MicroCache[Any]] = weakref.WeakSet()


class MicroCache(Generic[T]):
    """A per-process cache of values at most `ttl_s` old, computed once per burst.

    Single flight: concurrent calls for a key that is not cached await one computation (run as
    its own task, so a caller that goes away does not cancel it for the others). An entry
    expires `ttl_s` after its computation *started*, so what it serves was read from Redis at
    most `ttl_s` ago. A failed computation is not cached. `invalidate()` drops every entry and
    detaches computations under way (their callers still get their result; later ones
    compute afresh). `clock` is injectable for tests.
    """

    def __init__(
        self,
        ttl_s: float,
        max_entries: int = 4096,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self.clock = clock
        self._entries: dict[Hashable, tuple[float, T]] = {}
        self._flights: dict[Hashable, asyncio.Task[T]] = {}
        self._generation = 0
        _caches.add(self)

    async def get(
        self,
        key: Hashable,
        compute: Callable[[], Awaitable[T]],
        keep: Callable[[T], bool] | None = None,
    ) -> T:
        """The cached value of `key`, or the one computation under way, or a new one; with
        `keep`, a computed value that fails it is returned but not cached."""
        entry = self._entries.get(key)
        if entry is not None:
            if entry[0] > self.clock():
                return entry[1]
            del self._entries[key]
        flight = self._flights.get(key)
        if flight is None:
            flight = asyncio.ensure_future(self._compute(key, compute, keep, self._generation))
            self._flights[key] = flight
        return await asyncio.shield(flight)

    async def _compute(
        self,
        key: Hashable,
        compute: Callable[[], Awaitable[T]],
        keep: Callable[[T], bool] | None,
        generation: int,
    ) -> T:
        expires = self.clock() + self.ttl_s
        try:
            value = await compute()
        finally:
            if self._generation == generation:
                self._flights.pop(key, None)
        if self._generation == generation and (keep is None or keep(value)):
            if len(self._entries) >= self.max_entries:
                now = self.clock()
                self._entries = {k: e for k, e in self._entries.items() if e[0] > now}
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
            self._entries[key] = (expires, value)
        return value

    def invalidate(self) -> None:
        self._generation += 1
        self._entries.clear()
        self._flights.clear()


def invalidate_read_caches() -> None:
    """Drop every micro-cached page of this process (a profile changed, a test reset state)."""
    for cache in list(_caches):
        cache.invalidate()
