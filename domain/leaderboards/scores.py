"""Leaderboard scores: kept in the database with each credit, projected to Redis after commit."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.infra.db import insert_rows, raw_timestamp
from domain.leaderboards import sources
from domain.leaderboards.profiles import stored_profiles
from domain.leaderboards.store import LeaderboardStore
from domain.models import LeaderboardScore
from gamification.leaderboards import (
    BoardKey,
    BoardPeriod,
    board_window,
    boards_moved_by,
    expires_at,
    is_hidden_profile,
)
from gamification.periods import Window

log = logging.getLogger("plaudit.leaderboards")


@dataclass(frozen=True)
class ScoreUpdate:
    """A member's new absolute score on one board, to write to Redis once committed."""

    key: BoardKey
    member_id: str
    score: int
    reached_at: datetime
    expires_at: datetime | None


SCORE_COLUMNS = {
    "board": "varchar",
    "period": "varchar",
    "period_key": "varchar",
    "member_id": "varchar",
    "score": "bigint",
    "reached_at": "timestamptz",
}


async def store_scores(connection: BaseDBAsyncClient, updates: list[ScoreUpdate]) -> None:
    """Write absolute scores (and when they were reached) to the database, the boards' truth:
    one upsert per chunk, in the caller's transaction, which holds the members' locks. A
    challenge board's scores are left out: its participant rows hold them
    (`domain.leaderboards.sources`)."""
    rows: list[list[object]] = [
        [
            u.key.board,
            u.key.period.value,
            u.key.period_key,
            u.member_id,
            u.score,
            raw_timestamp(u.reached_at),
        ]
        for u in updates
        if sources.in_score_rows(u.key)
    ]
    if rows:
        await insert_rows(
            connection,
            "leaderboard_score",
            SCORE_COLUMNS,
            rows,
            on_conflict="ON CONFLICT (board, period, period_key, member_id) DO UPDATE SET "
            "score = excluded.score, reached_at = excluded.reached_at",
        )


async def current_scores(
    board: str, member_id: str, effective_at: datetime, credited_at: datetime, tz: ZoneInfo
) -> list[ScoreUpdate]:
    """The member's stored scores on the boards a credit for `effective_at` made at
    `credited_at` moved (to re-project them)."""
    moved = boards_moved_by(board, effective_at, tz, now=credited_at)
    rows = await LeaderboardScore.filter(
        board=board, member_id=member_id, period_key__in=[key.period_key for key, _ in moved]
    )
    stored = {(row.period, row.period_key): row for row in rows}
    updates = []
    for key, window in moved:
        row = stored.get((key.period.value, key.period_key))
        if row is not None:
            updates.append(
                ScoreUpdate(key, member_id, row.score, row.reached_at, expires_at(key, window))
            )
    return updates


async def project(
    store: LeaderboardStore, updates: list[ScoreUpdate], *, falling: bool = False
) -> None:
    """Write committed scores to Redis, with the members' profiles as the database holds them
    now (one statement for the lot: `domain.leaderboards.profiles`). Idempotent and
    order-insensitive (scores only rise), unless `falling`: then each score replaces the
    stored one (boards whose scores also fall; the caller projects what it read after its
    commit)."""
    if not updates:
        return
    rows = [(u.key, u.member_id, u.score, u.reached_at, u.expires_at) for u in updates]
    profiles = await stored_profiles([u.member_id for u in updates])
    if falling:
        await store.replace_scores(rows, profiles=profiles)
    else:
        await store.set_scores(rows, profiles=profiles)


def current_board(board: str, period: BoardPeriod, now: datetime, tz: ZoneInfo) -> BoardKey:
    return BoardKey(board, period, board_window(period, now, tz).key)


def _kept(key: BoardKey, now: datetime, tz: ZoneInfo) -> tuple[bool, datetime | None]:
    """Whether Redis still keeps the board at `now`, and until when."""
    expiry = _expiry_of(key, tz)
    return expiry is None or expiry > now, expiry


@dataclass(frozen=True)
class Difference:
    """One member whose score (or stored profile) in Redis is not the database's (None: no
    score, or no profile stored, there)."""

    key: BoardKey
    member_id: str
    expected: int | str | None  # the database's
    found: int | str | None  # Redis's
    # "score", or "profile": the profile kept beside the board (`encode_profile`; nothing is
    # stored for the default one), or "placement": which sorted set holds the member ("ranked",
    # or "hidden" for a HIDDEN member's score).
    kind: str = "score"


async def verify(
    store: LeaderboardStore, now: datetime, tz: ZoneInfo, *, board: str | None = None
) -> list[Difference]:
    """Compare every board still kept in Redis (or `board`'s periods) with the database,
    member by member."""
    differences = []
    for key in await sources.stored_boards(board):
        if not _kept(key, now, tz)[0]:
            continue
        rows = await sources.scores_of(key)
        expected = {member_id: int(score) for member_id, score, _ in rows if score > 0}
        found = await store.scores_of(key)
        for member_id in sorted(expected.keys() | found.keys()):
            if expected.get(member_id) != found.get(member_id):
                differences.append(
                    Difference(key, member_id, expected.get(member_id), found.get(member_id))
                )
        profiles = await _profiles_of(expected)
        stored = await store.profiles_of(key)
        for member_id in sorted(profiles.keys() | stored.keys()):
            if profiles.get(member_id) != stored.get(member_id):
                differences.append(
                    Difference(
                        key, member_id, profiles.get(member_id), stored.get(member_id), "profile"
                    )
                )
        # A HIDDEN member's score lives in the board's hidden set, everyone else's in the
        # ranked one: a member in the wrong one is shown (or kept from) others wrongly.
        hidden = {m for m, profile in profiles.items() if is_hidden_profile(profile)}
        kept_apart = set(await store.scores_of(key, hidden=True))
        for member_id in sorted((hidden ^ kept_apart) & expected.keys() & found.keys()):
            want, have = ("hidden", "ranked") if member_id in hidden else ("ranked", "hidden")
            differences.append(Difference(key, member_id, want, have, "placement"))
    return differences


async def _profiles_of(member_ids: Iterable[str]) -> dict[str, str]:
    """The profiles a board should store for these members (the default ones are not)."""
    return {
        m: profile for m, profile in (await stored_profiles(list(member_ids))).items() if profile
    }


async def rebuild(
    store: LeaderboardStore,
    now: datetime,
    tz: ZoneInfo,
    *,
    progress: Callable[[int, int], None] | None = None,
    board: str | None = None,
) -> dict[str, int]:
    """Recompute every board still kept in Redis (or only `board`'s periods) exactly from the
    database. `progress(done, total)` hears of each board considered (the CLI's progress
    bar)."""
    keys = await sources.stored_boards(board)
    counts: dict[str, int] = {}
    for done, key in enumerate(keys, start=1):
        kept, expiry = _kept(key, now, tz)
        if kept:
            rows = await sources.scores_of(key)
            profiles = await _profiles_of(m for m, score, _ in rows if score > 0)
            name = f"{key.board}:{key.period.value}:{key.period_key}"
            counts[name] = await store.replace(key, rows, expiry, profiles=profiles)
        if progress is not None:
            progress(done, len(keys))
    log.info("rebuilt %d leaderboards", len(counts))
    return counts


def window_of(key: BoardKey, tz: ZoneInfo) -> Window:
    """The calendar period a (non-ALL_TIME) board key names, in the program time zone."""
    return board_window(key.period, _period_start(key).replace(tzinfo=tz), tz)


def _expiry_of(key: BoardKey, tz: ZoneInfo) -> datetime | None:
    if key.period is BoardPeriod.ALL_TIME:
        return None
    return expires_at(key, window_of(key, tz))


def _period_start(key: BoardKey) -> datetime:
    if key.period is BoardPeriod.DAILY:
        return datetime.fromisoformat(key.period_key)
    if key.period is BoardPeriod.WEEKLY:
        return datetime.strptime(key.period_key + "-1", "%G-W%V-%u")
    return datetime.strptime(key.period_key + "-01", "%Y-%m-%d")
