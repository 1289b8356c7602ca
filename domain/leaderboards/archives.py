"""Archives of closed leaderboard periods: each one's final top entries, stored once.

A DAILY, WEEKLY or MONTHLY period closes at its end (program time zone). `archive_closed` finds
every closed period the database has scores of and no archive for, reads its top
`PLAUDIT_LEADERBOARD_ARCHIVE_DEPTH` from `leaderboard_score` (the truth; Redis may already have
let the board expire) and inserts one row per period with ON CONFLICT DO NOTHING: workers, the
nightly job and `plaudit leaderboards archive` may race, and one copy is kept. The archive
that is stored announces the period's close (a LEADERBOARD_PERIOD_CLOSED webhook message with
its top, in the same transaction: the racer that stored nothing announces nothing). `now` is
the caller's, so tests close periods by moving the clock.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.infra.db import insert_rows, matching, raw_timestamp, transaction
from domain.leaderboards import sources
from domain.leaderboards.scores import window_of
from domain.models import LeaderboardArchive, Member
from domain.outbox import EventType, emit
from gamification.leaderboards import BoardKey, BoardPeriod, Visibility

log = logging.getLogger("plaudit.leaderboards")

MAX_ARCHIVES_READ = 100

COLUMNS = {
    "board": "varchar",
    "period": "varchar",
    "period_key": "varchar",
    "period_start": "timestamptz",
    "period_end": "timestamptz",
    "entries": "jsonb",
    "archived_at": "timestamptz",
}


async def archive_closed(
    now: datetime,
    tz: ZoneInfo,
    depth: int,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Archive every period closed by `now` that has no archive yet; returns how many this
    call stored (a period a racing call stored first is not counted)."""
    done = {
        (board, period, period_key)
        for board, period, period_key in await LeaderboardArchive.all().values_list(
            "board", "period", "period_key"
        )
    }
    due = []
    for key in await sources.stored_boards():
        if key.period is BoardPeriod.ALL_TIME:
            continue
        if (key.board, key.period.value, key.period_key) in done:
            continue
        window = window_of(key, tz)
        if window.end is not None and window.end <= now:
            due.append(key)
    stored = 0
    for index, key in enumerate(due, start=1):
        stored += await _archive(key, tz, depth, now)
        if progress is not None:
            progress(index, len(due))
    if stored:
        log.info("archived %d closed leaderboard period(s)", stored)
    return stored


async def _archive(key: BoardKey, tz: ZoneInfo, depth: int, now: datetime) -> int:
    entries = await _top(key, depth)
    window = window_of(key, tz)
    async with transaction() as connection:
        inserted = await insert_rows(
            connection,
            "leaderboard_archive",
            COLUMNS,
            [
                [
                    key.board,
                    key.period.value,
                    key.period_key,
                    raw_timestamp(window.start),
                    raw_timestamp(window.end),
                    json.dumps(entries),
                    raw_timestamp(now),
                ]
            ],
            on_conflict="ON CONFLICT (board, period, period_key) DO NOTHING",
            returning="id",
        )
        if inserted:
            closed = {
                "board": key.board,
                "period": key.period.value,
                "periodKey": key.period_key,
                "periodStart": window.start.isoformat() if window.start else None,
                "periodEnd": window.end.isoformat() if window.end else None,
                "top": entries,
            }
            await emit(connection, EventType.LEADERBOARD_PERIOD_CLOSED, closed, at=now)
    return len(inserted)


# Rows read at a time while looking for the top `depth` visible members.
TOP_CHUNK = 500


async def _top(key: BoardKey, depth: int) -> list[dict[str, object]]:
    """The period's top `depth` as others saw it when it is archived: HIDDEN members left out
    and not counted in the ranks, ANONYMOUS ones marked (`"anonymous": true`; the archive then
    shows them as "Member #<rank>" for ever, whatever they choose later). The member id is
    kept, as for everyone: the webhook goes to the brand's own systems, and erasure finds the
    member by it. One query for the rows and one for their members' visibility per chunk."""
    entries: list[dict[str, object]] = []
    offset = 0
    while len(entries) < depth:
        rows = await sources.ranked(key, offset, TOP_CHUNK)
        if not rows:
            break
        offset += len(rows)
        chosen = dict(
            await Member.filter(id__in=[str(member_id) for member_id, _ in rows])
            .exclude(leaderboard_visibility=Visibility.PUBLIC.value)
            .values_list("id", "leaderboard_visibility")
        )
        for member_id, score in rows:
            visibility = chosen.get(str(member_id), Visibility.PUBLIC.value)
            if visibility == Visibility.HIDDEN.value:
                continue
            entry: dict[str, object] = {
                "rank": len(entries) + 1,
                "memberId": str(member_id),
                "score": int(score),
            }
            if visibility == Visibility.ANONYMOUS.value:
                entry["anonymous"] = True
            entries.append(entry)
            if len(entries) == depth:
                break
    return entries


async def recent(board: str, period: BoardPeriod, last: int) -> list[LeaderboardArchive]:
    """The board's `last` archived periods, the most recent first."""
    return list(
        await matching(LeaderboardArchive, board=board, period=period.value)
        .order_by("-period_end")
        .limit(max(1, min(last, MAX_ARCHIVES_READ)))
    )
