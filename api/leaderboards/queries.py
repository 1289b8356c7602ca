from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from api.context import Info
from api.errors import ClientError
from api.leaderboards.types import Leaderboard, LeaderboardPeriod
from domain.leaderboards import current_board
from gamification.leaderboards import POINTS_BOARD, BoardPeriod

KNOWN_BOARDS = {POINTS_BOARD}


@strawberry.type
class LeaderboardQueries:
    @strawberry.field
    async def leaderboard(
        self,
        info: Info,
        board: str = POINTS_BOARD,
        period: LeaderboardPeriod = BoardPeriod.ALL_TIME,  # type: ignore[valid-type]
    ) -> Leaderboard:
        if board not in KNOWN_BOARDS:
            raise ClientError("NOT_FOUND", f"no leaderboard named {board[:100]!r}")
        key = current_board(board, period, datetime.now(UTC), info.context.runtime.settings.tz)
        return Leaderboard(board=board, period=period, _key=key)
