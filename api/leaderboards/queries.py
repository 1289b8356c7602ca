from __future__ import annotations

import strawberry

from api.challenges.visibility import sees_every_challenge
from api.context import Info
from api.errors import ClientError
from api.leaderboards.lookahead import planned_reads
from api.leaderboards.types import (
    BoardDefinition,
    Leaderboard,
    LeaderboardArchive,
    LeaderboardPeriod,
)
from domain.leaderboards import archives as leaderboard_archives
from domain.leaderboards import boards
from domain.leaderboards.scores import current_board
from gamification.challenges import challenge_of_board
from gamification.leaderboards import POINTS_BOARD, BoardPeriod, board_window


async def open_leaderboard(info: Info, board: str, period: BoardPeriod) -> Leaderboard:
    """The current period of `board`: NOT_FOUND for a board there is not, INVALID_INPUT for a
    period the board does not keep (a challenge's board keeps only ALL_TIME)."""
    # A hidden challenge's board exists for admins only (`api.challenges.visibility`).
    definition = await boards.find(board, include_hidden=sees_every_challenge(info))
    if definition is None:
        raise ClientError("NOT_FOUND", f"no leaderboard named {board[:100]!r}")
    if not definition.keeps(period):
        kept = ", ".join(p.value for p in definition.periods)
        raise ClientError("INVALID_INPUT", f"board {board[:100]!r} keeps only {kept}")
    now, tz = info.context.now, info.context.runtime.settings.tz
    window = None if period is BoardPeriod.ALL_TIME else board_window(period, now, tz)
    return Leaderboard(
        board=board, period=period, _key=current_board(board, period, now, tz), _window=window
    )


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
        opened = await open_leaderboard(info, board, BoardPeriod(period))
        # What the document reads of the board, in one script call: its fields then resolve
        # from the answers.
        await info.context.boards.prefetch(opened._key, planned_reads(info, opened._key))
        return opened

    @strawberry.field(
        description="Every board there is, with the periods it keeps (a hidden challenge's "
        "for ADMIN only)."
    )
    async def boards(self, info: Info) -> list[BoardDefinition]:
        every = await boards.every_board(include_hidden=sees_every_challenge(info))
        return [BoardDefinition.of(definition) for definition in every]

    @strawberry.field(description="The most recent closed periods first.")
    async def leaderboard_archives(
        self,
        info: Info,
        board: str,
        period: LeaderboardPeriod,  # type: ignore[valid-type]
        last: int | None = 1,
    ) -> list[LeaderboardArchive]:
        hidden = (
            challenge_of_board(board) is not None
            and not sees_every_challenge(info)
            and await boards.find(board, include_hidden=False) is None
        )
        if hidden:
            return []  # a hidden challenge's rounds are archived for admins only
        rows = await leaderboard_archives.recent(board, BoardPeriod(period), last or 1)
        return [LeaderboardArchive.from_model(row) for row in rows]
