from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from api.context import Info
from api.errors import ClientError
from api.leaderboards.types import (
    BoardDefinition,
    Leaderboard,
    LeaderboardArchive,
    LeaderboardPeriod,
)
from domain import leaderboard_archives, progress
from domain.content_board import CONTENT_BOARD
from domain.leaderboards import current_board
from gamification.challenges import board_key, board_of, challenge_of_board
from gamification.leaderboards import POINTS_BOARD, BoardPeriod, board_window
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
        now, tz = datetime.now(UTC), info.context.runtime.settings.tz
        key = current_board(board, period, now, tz)
        window = None if period is BoardPeriod.ALL_TIME else board_window(period, now, tz)
        return Leaderboard(board=board, period=period, _key=key, _window=window)

    @strawberry.field(description="Every board there is, with the periods it keeps.")
    async def boards(self) -> list[BoardDefinition]:
        calendar = list(BoardPeriod)
        built_in = [
            BoardDefinition(board=POINTS_BOARD, name="Points", periods=calendar),
            BoardDefinition(board=REFERRALS_BOARD, name="Referrals", periods=calendar),
            BoardDefinition(board=CONTENT_BOARD, name="Content", periods=calendar),
        ]
        challenges = [
            BoardDefinition(board=board_of(key), name=name, periods=[BoardPeriod.ALL_TIME])
            for key, name in await progress.challenge_names()
        ]
        return built_in + challenges

    @strawberry.field(description="The most recent closed periods first.")
    async def leaderboard_archives(
        self,
        board: str,
        period: LeaderboardPeriod,  # type: ignore[valid-type]
        last: int | None = 1,
    ) -> list[LeaderboardArchive]:
        rows = await leaderboard_archives.recent(board, BoardPeriod(period), last or 1)
        return [LeaderboardArchive.from_model(row) for row in rows]
