"""The `content` leaderboard: authors ranked by the scores of their approved content.

A member's score on board "content" in a period (all-time, month, week, day) is the sum of the
scores of their APPROVED pieces approved in that period, rounded to an integer. Unlike points,
it falls as well as rises (downvotes, takedowns), so it is recomputed rather than added to:
`recompute` reads the author's approved pieces and writes the absolute totals of the periods
one piece's approval falls in (those still open: a closed period is final), in the caller's
transaction, under the author's row lock (which serialises every change to their pieces).
Once committed, the rows are read back and replace the Redis projection (`falling=True`: a
lower score replaces a higher one, 0 removes it).
Rows that fall to 0 stay in the database with score 0: a rebuild skips them, as Redis does.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.infra.db import after_commit
from domain.leaderboards import scores as leaderboards
from domain.leaderboards.scores import ScoreUpdate
from domain.leaderboards.store import LeaderboardStore
from domain.models import Content, ContentStatus, LeaderboardScore
from domain.runtime import Runtime
from gamification.content import CONTENT_BOARD
from gamification.leaderboards import BoardKey, expires_at, is_open, periods_of


async def recompute(
    connection: BaseDBAsyncClient,
    runtime: Runtime,
    author_id: str,
    approved_at: datetime,
    now: datetime,
) -> None:
    """Rewrite the author's `content` scores in every period `approved_at` falls in (the
    periods a change to a piece approved then can move). The caller holds the author's lock
    and has saved the piece. Scores that did not change keep their `reached_at` (the
    tie-break: who reached a score first ranks higher). Periods that have closed by `now`
    keep their final standings."""
    tz = runtime.settings.tz
    # Closed periods are final (see `boards_moved_by`): only the open ones are rewritten.
    moved = [
        (key, window)
        for key, window in periods_of(CONTENT_BOARD, approved_at, tz)
        if is_open(window, now)
    ]
    sums = {key: 0.0 for key, _ in moved}
    pieces = (
        await Content.filter(author_id=author_id, status=ContentStatus.APPROVED)
        .using_db(connection)
        .values_list("score", "approved_at")
    )
    for score, at in pieces:
        if at is None:
            continue
        for key, _ in periods_of(CONTENT_BOARD, at, tz):
            if key in sums:
                sums[key] += float(score)
    stored = {
        (period, period_key): int(score)
        for period, period_key, score in await LeaderboardScore.filter(
            board=CONTENT_BOARD,
            period__in=[key.period.value for key in sums],
            period_key__in=[key.period_key for key in sums],
            member_id=author_id,
        )
        .using_db(connection)
        .values_list("period", "period_key", "score")
    }
    changed = [
        (key, round(total))
        for key, total in sums.items()
        if stored.get((key.period.value, key.period_key)) != round(total)
    ]
    if not changed:
        return
    windows = dict(moved)
    await leaderboards.store_scores(
        connection, [ScoreUpdate(key, author_id, total, now, None) for key, total in changed]
    )
    expiring = [(key, expires_at(key, windows[key])) for key, _ in changed]
    store = runtime.leaderboards
    after_commit(lambda: _project(store, author_id, expiring))


async def _project(
    store: LeaderboardStore, author_id: str, keys: list[tuple[BoardKey, datetime | None]]
) -> None:
    """Replace the author's scores in Redis with what the database holds now: read after the
    commit, so two changes committed one after the other project in that order whatever order
    their hooks run in."""
    expiry = {(key.period.value, key.period_key): (key, until) for key, until in keys}
    rows = await LeaderboardScore.filter(
        board=CONTENT_BOARD,
        period__in=sorted({period for period, _ in expiry}),
        period_key__in=sorted({period_key for _, period_key in expiry}),
        member_id=author_id,
    ).values_list("period", "period_key", "score", "reached_at")
    updates = []
    for period, period_key, score, reached_at in rows:
        found = expiry.get((period, period_key))
        if found is not None:
            key, until = found
            updates.append(ScoreUpdate(key, author_id, int(score), reached_at, until))
    await leaderboards.project(store, updates, falling=True)
