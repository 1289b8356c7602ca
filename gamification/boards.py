"""Which leaderboards there are: one small definition per board.

Every board is served by the same code (`domain.leaderboards.scores`, `domain.leaderboards.store`,
`api.leaderboards`): a board is a name, a title and the periods it keeps. A new kind of board is
one more definition here and a writer of its scores, not a new read path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gamification.challenges import ROUND_BOARD_PERIOD, Recurrence, board_of, challenge_of_board
from gamification.content import CONTENT_BOARD
from gamification.leaderboards import POINTS_BOARD, BoardPeriod
from gamification.referrals import REFERRALS_BOARD

CALENDAR_PERIODS = tuple(BoardPeriod)


@dataclass(frozen=True)
class BoardDefinition:
    board: str
    name: str
    periods: tuple[BoardPeriod, ...]
    # What a score on this board counts, for the schema's descriptions and the README.
    counts: str

    def keeps(self, period: BoardPeriod) -> bool:
        return period in self.periods


BUILT_IN: dict[str, BoardDefinition] = {
    definition.board: definition
    for definition in (
        BoardDefinition(POINTS_BOARD, "Points", CALENDAR_PERIODS, "points credited"),
        BoardDefinition(REFERRALS_BOARD, "Referrals", CALENDAR_PERIODS, "converted referrals"),
        BoardDefinition(
            CONTENT_BOARD, "Content", CALENDAR_PERIODS, "sum of approved content scores, rounded"
        ),
    )
}


@dataclass(frozen=True)
class ChallengeBoard:
    """What a challenge's board is made of: its name and how often the challenge repeats."""

    name: str
    recurrence: Recurrence = Recurrence.NONE


def challenge_board(challenge_key: str, challenge: ChallengeBoard) -> BoardDefinition:
    """A challenge's board keeps one period: the challenge itself (served as ALL_TIME), or for
    a repeating challenge its rounds (served as DAILY, WEEKLY or MONTHLY: the current period
    is the current round)."""
    return BoardDefinition(
        board_of(challenge_key),
        challenge.name,
        (ROUND_BOARD_PERIOD[challenge.recurrence],),
        "goal progress, capped, in the challenge window (per round when it repeats)",
    )


def definition_of(board: str, challenges: Mapping[str, ChallengeBoard]) -> BoardDefinition | None:
    """The definition of `board`, given the program's challenges (key -> board); None when
    there is no such board."""
    built_in = BUILT_IN.get(board)
    if built_in is not None:
        return built_in
    challenge_key = challenge_of_board(board)
    if challenge_key is not None and challenge_key in challenges:
        return challenge_board(challenge_key, challenges[challenge_key])
    return None


def all_definitions(challenges: Mapping[str, ChallengeBoard]) -> list[BoardDefinition]:
    """Built-in boards first, then one per challenge, by key."""
    return list(BUILT_IN.values()) + [
        challenge_board(key, challenges[key]) for key in sorted(challenges)
    ]
