"""`Subscription.leaderboardChanged`: a board's top entries and the viewer's own, pushed live.

Every write to a board announces the board and period on Redis pub/sub
(`LeaderboardStore._announce`), so any API process serves any subscriber through its one
`EventHub` connection. A subscriber's queue keeps only the latest announcement: a burst
coalesces into one read, and a slow subscriber holds up nobody. After a push, the next waits
until a second has passed, then reads the current period of the board (the top and the
viewer's entry, in one script call) and is sent only when either differs from the last one
sent (at first: from the standings when the subscription opened). The reads go to the store
directly, not through the page cache, which could serve a page computed before the announced
write.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from datetime import UTC, datetime

from api.context import Info
from api.errors import ClientError, unauthenticated
from api.events.hub import EventHub, Listener
from api.leaderboards.queries import open_leaderboard
from api.leaderboards.types import LeaderboardEntry, LeaderboardUpdate, entries_of
from api.pagination import clamp_first
from domain.errors import ErrorCode
from domain.leaderboards.scores import current_board
from domain.leaderboards.store import AroundRead, PageRead
from gamification.leaderboards import BoardPeriod, change_channel

# At most one push per subscriber per this many seconds.
PUSH_INTERVAL_S = 1.0

Snapshot = tuple[tuple[tuple[int, int, str], ...], tuple[int, int, str] | None]


async def subscribe(
    info: Info, board: str, period: BoardPeriod, top: int | None
) -> AsyncGenerator[LeaderboardUpdate, None]:
    """Checks run before the stream exists, so a refusal is the protocol's `error` message."""
    viewer = info.context.viewer()
    if viewer is None:
        raise unauthenticated()
    hub = info.context.hub
    if hub is None:
        raise ClientError(ErrorCode.UNAVAILABLE, "live updates are not available on this server")
    await open_leaderboard(info, board, period)  # NOT_FOUND, or a period the board lacks
    return _stream(info, hub, board, period, clamp_first(top, 10), viewer.subject)


async def _stream(
    info: Info, hub: EventHub, board: str, period: BoardPeriod, top: int, viewer_id: str
) -> AsyncGenerator[LeaderboardUpdate, None]:
    loop = asyncio.get_running_loop()
    namespace = info.context.runtime.leaderboards.namespace
    pushed_at = float("-inf")
    async with hub.listen(change_channel(board, period, namespace), latest_only=True) as queue:
        # The standings as the subscription opens are the baseline, not a push: a front-end
        # subscribes, then queries, and hears of every change after the baseline.
        _, last = await _read(info, board, period, top, viewer_id)
        while await queue.get() is not None:
            wait = pushed_at + PUSH_INTERVAL_S - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if _closed(queue):
                return
            update, snapshot = await _read(info, board, period, top, viewer_id)
            if snapshot != last:
                last, pushed_at = snapshot, loop.time()
                yield update


def _closed(queue: Listener) -> bool:
    """Take what arrived while waiting (it is covered by the read that follows); True when
    the hub closed meanwhile."""
    with contextlib.suppress(asyncio.QueueEmpty):
        while True:
            if queue.get_nowait() is None:
                return True
    return False


async def _read(
    info: Info, board: str, period: BoardPeriod, top: int, viewer_id: str
) -> tuple[LeaderboardUpdate, Snapshot]:
    runtime = info.context.runtime
    key = current_board(board, period, datetime.now(UTC), runtime.settings.tz)
    page, mine = await runtime.leaderboards.read(
        key, [PageRead(top, None), AroundRead(viewer_id, 0)]
    )
    entries = await entries_of(info, page.standings + mine)
    me: LeaderboardEntry | None = entries[-1] if mine else None
    update = LeaderboardUpdate(
        board=board, period=period, top=entries[: len(page.standings)], me=me
    )
    snapshot: Snapshot = (
        tuple((s.rank, s.score, s.member_id) for s in page.standings),
        (mine[0].rank, mine[0].score, mine[0].member_id) if mine else None,
    )
    return update, snapshot
