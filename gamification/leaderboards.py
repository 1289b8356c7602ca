"""Leaderboards: which boards a credit moves, and their projection into Redis sorted sets.

The database holds every board's scores (the truth); Redis holds a projection for fast ranked reads.
Each write to Redis is absolute and monotonic (a member's score only moves up), so writes are
idempotent and may arrive in any order: a stale write is simply ignored.

Ties: equal scores rank whoever reached the score first higher. Scores stay exact integers in the
sorted-set score; the tie-break lives in the element name, because Redis orders equal scores by
element, and `ZREVRANGE` returns the larger element first. An element is
`<inverted reach time, 16 digits>:<member id>`, so an earlier reach sorts higher.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, cast
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from gamification.periods import Period, Window, period_window

POINTS_BOARD = "points"
_TIME_SPAN_US = 10**16  # microseconds since the epoch fit in 16 digits until the year 2286


class BoardPeriod(StrEnum):
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"
    ALL_TIME = "ALL_TIME"


CALENDAR_PERIOD = {
    BoardPeriod.DAILY: Period.DAY,
    BoardPeriod.WEEKLY: Period.WEEK,
    BoardPeriod.MONTHLY: Period.MONTH,
    BoardPeriod.ALL_TIME: Period.LIFETIME,
}

# How long a finished period's board stays in Redis; the database keeps it for ever.
RETENTION = {
    BoardPeriod.DAILY: timedelta(days=8),
    BoardPeriod.WEEKLY: timedelta(days=35),
    BoardPeriod.MONTHLY: timedelta(days=400),
}


@dataclass(frozen=True)
class BoardKey:
    """One board in one period, e.g. ("points", WEEKLY, "2026-W48")."""

    board: str
    period: BoardPeriod
    period_key: str

    @property
    def _tag(self) -> str:
        # One hash tag for every key of a board, so scripts and RENAME work in Redis Cluster.
        return f"lb:{{{self.board}:{self.period.value}:{self.period_key}}}"

    @property
    def scores(self) -> str:
        return f"{self._tag}:scores"

    @property
    def elements(self) -> str:
        return f"{self._tag}:elements"


def board_window(period: BoardPeriod, moment: datetime, tz: ZoneInfo) -> Window:
    return period_window(CALENDAR_PERIOD[period], moment, tz)


def boards_moved_by(board: str, moment: datetime, tz: ZoneInfo) -> list[tuple[BoardKey, Window]]:
    """Every period of `board` that a credit effective at `moment` counts toward."""
    moved = []
    for period in BoardPeriod:
        window = board_window(period, moment, tz)
        moved.append((BoardKey(board, period, window.key), window))
    return moved


def expires_at(key: BoardKey, window: Window) -> datetime | None:
    if key.period is BoardPeriod.ALL_TIME or window.end is None:
        return None
    return window.end + RETENTION[key.period]


def element_for(member_id: str, reached_at: datetime) -> str:
    micros = int(reached_at.astimezone(UTC).timestamp() * 1_000_000)
    inverted = max(0, _TIME_SPAN_US - 1 - micros)
    return f"{inverted:016d}:{member_id}"


def member_of(element: str) -> str:
    return element.split(":", 1)[1]


@dataclass(frozen=True)
class Standing:
    rank: int
    score: int
    member_id: str
    element: str


@dataclass(frozen=True)
class Page:
    standings: list[Standing]
    has_next: bool
    has_previous: bool


def encode_cursor(standing: Standing) -> str:
    raw = f"{standing.score}|{standing.element}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, str] | None:
    """(score, element) from a cursor, or None when it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        score, element = base64.urlsafe_b64decode(padded).decode().split("|", 1)
        member_of(element)
        return int(score), element
    except (ValueError, IndexError, UnicodeDecodeError):
        return None


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
        tmp = BoardKey(key.board, key.period, key.period_key + ":rebuild")
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
