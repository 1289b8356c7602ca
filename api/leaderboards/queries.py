from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from api.context import Info
from api.errors import ClientError
from api.leaderboards.types import Leaderboard, LeaderboardPeriod
from domain import progress
from domain.content_board import CONTENT_BOARD
from domain.leaderboards import current_board
from gamification.challenges import board_key, challenge_of_board
from gamification.leaderboards import POINTS_BOARD, BoardPeriod
from gamification.referrals import REFERRALS_BOARD

KNOWN_BOARDS = {POINTS_BOARD, CONTENT_BOARD, REFERRALS_BOARD}


@strawberry.type
class LeaderboardQueries:
    @strawberry.field(
        description="A board: `points` (points earned), `referrals` (converted referrals), "
        "`content` (the sum of approved content scores, rounded) or `challenge:<key>`; "
        "NOT_FOUND for any other."
    )
    async def leaderboard(
        self,
        info: Info,
        board: str = POINTS_BOARD,
        period: LeaderboardPeriod = BoardPeriod.ALL_TIME,  # type: ignore[valid-type]
    ) -> Leaderboard:
        challenge_key = challenge_of_board(board)
        if challenge_key is not None:
            # "challenge:<key>": summed capped goal progress; one period, the challenge itself.
            if not await progress.challenge_exists(challenge_key):
                raise ClientError("NOT_FOUND", f"no leaderboard named {board[:100]!r}")
            if period is not BoardPeriod.ALL_TIME:
                raise ClientError(
                    "INVALID_INPUT", "a challenge's leaderboard has only the ALL_TIME period"
                )
            return Leaderboard(board=board, period=period, _key=board_key(challenge_key))
        if board not in KNOWN_BOARDS:
            raise ClientError("NOT_FOUND", f"no leaderboard named {board[:100]!r}")
        key = current_board(board, period, datetime.now(UTC), info.context.runtime.settings.tz)
        return Leaderboard(board=board, period=period, _key=key)
