from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from api.context import Info
from api.leaderboards import live
from api.leaderboards.types import LeaderboardPeriod, LeaderboardUpdate
from gamification.leaderboards import POINTS_BOARD, BoardPeriod


@strawberry.type
class LeaderboardSubscriptions:
    @strawberry.subscription(
        description="Pushed when the board's top `top` or the viewer's entry changes; at most "
        "one message per second per subscriber. Every board is public: a socket opened without "
        "a token may follow it too (`me` is then null)."
    )
    async def leaderboard_changed(
        self,
        info: Info,
        board: str = POINTS_BOARD,
        period: LeaderboardPeriod = BoardPeriod.ALL_TIME,  # type: ignore[valid-type]
        top: int | None = 10,
    ) -> AsyncGenerator[LeaderboardUpdate, None]:
        return await live.subscribe(info, board, BoardPeriod(period), top)
