"""The Redis side of leaderboards: absolute monotonic writes, ranked reads, atomic rebuilds.

The rules (keys, element encoding for tie-breaks, cursors) live in `gamification.leaderboards`;
this module is the I/O over them. See that module's docstring for why writes are idempotent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from redis.asyncio import Redis

from gamification.leaderboards import (
    BoardKey,
    Page,
    Standing,
    decode_cursor,
    element_for,
    member_of,
)

_SET_SCORE = """
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then
  local current = redis.call('ZSCORE', KEYS[1], old)
  if current and tonumber(current) >= tonumber(ARGV[2]) then return 0 end
  redis.call('ZREM', KEYS[1], old)
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
if ARGV[4] ~= '' then
  redis.call('EXPIREAT', KEYS[1], ARGV[4])
  redis.call('EXPIREAT', KEYS[2], ARGV[4])
end
return 1
"""

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


class LeaderboardStore:
    """The Redis side of leaderboards: absolute writes, ranked reads, atomic rebuilds."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._set_score = redis.register_script(_SET_SCORE)
        self._around = redis.register_script(_AROUND)
        self._page_after = redis.register_script(_PAGE_AFTER)

    async def set_scores(
        self, updates: Iterable[tuple[BoardKey, str, int, datetime, datetime | None]]
    ) -> None:
        """Apply (board, member, score, reached_at, expires_at) writes in one round trip."""
        now = datetime.now(UTC)
        async with self.redis.pipeline(transaction=False) as pipe:
            queued = 0
            for key, member_id, score, reached_at, expiry in updates:
                if score <= 0 or (expiry is not None and expiry <= now):
                    # Boards list members with a score; a board past its retention lives on
                    # in the database only.
                    continue
                expire = "" if expiry is None else str(int(expiry.timestamp()))
                await self._set_score(
                    keys=[key.scores, key.elements],
                    args=[member_id, score, element_for(member_id, reached_at), expire],
                    client=pipe,
                )
                queued += 1
            if queued:
                await pipe.execute()

    async def size(self, key: BoardKey) -> int:
        return int(await self.redis.zcard(key.scores))

    async def page(self, key: BoardKey, first: int, after: str | None) -> Page:
        """Up to `first` standings after the cursor (keyset: a moving board neither skips nor
        repeats members whose score did not change)."""
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
        result = await self._around(keys=[key.scores, key.elements], args=[member_id, radius])
        if not result:
            return []
        return _standings(int(result[0]), cast(list[Any], result[1]))

    async def replace(
        self,
        key: BoardKey,
        rows: Iterable[tuple[str, int, datetime]],
        expiry: datetime | None,
        chunk: int = 5_000,
    ) -> int:
        """Rebuild a board from (member, score, reached_at) rows into temporary keys, then swap
        them in atomically, so readers never see a half-built board."""
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
            await pipe.execute()
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


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
