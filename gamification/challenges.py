"""Challenges: their status on the clock, which facts count for them, and their board."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from gamification.actions import ACTION_KEY, MAX_POINTS, Problem
from gamification.goals import Goal, validate_goals
from gamification.leaderboards import MAX_BOARD_NAME, BoardKey, BoardPeriod
from gamification.text import within

BOARD_PREFIX = "challenge:"
# A challenge's key names its board too, so it leaves room for the prefix: 90 characters.
MAX_CHALLENGE_KEY_LENGTH = MAX_BOARD_NAME - len(BOARD_PREFIX)
MAX_DURATION = timedelta(days=366)
MAX_PARTICIPANTS = 10_000_000


class ChallengeStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    ACTIVE = "ACTIVE"
    ENDED = "ENDED"
    ARCHIVED = "ARCHIVED"


@dataclass(frozen=True)
class Window:
    """[starts_at, ends_at)."""

    starts_at: datetime
    ends_at: datetime

    def contains(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


def status_of(window: Window, archived: bool, now: datetime) -> ChallengeStatus:
    if archived:
        return ChallengeStatus.ARCHIVED
    if now < window.starts_at:
        return ChallengeStatus.SCHEDULED
    if now < window.ends_at:
        return ChallengeStatus.ACTIVE
    return ChallengeStatus.ENDED


def counts_for(
    window: Window, occurred_at: datetime, requires_enrollment: bool, enrolled_at: datetime | None
) -> bool:
    """Whether something that happened at `occurred_at` counts toward the challenge: inside the
    window and, when enrolment is required, at or after the member enrolled."""
    if not window.contains(occurred_at):
        return False
    if requires_enrollment:
        return enrolled_at is not None and occurred_at >= enrolled_at
    return True


def board_of(key: str) -> str:
    """The leaderboard of a challenge."""
    return f"{BOARD_PREFIX}{key}"


def board_key(key: str) -> BoardKey:
    """A challenge's board has one period: the challenge itself."""
    return BoardKey(board_of(key), BoardPeriod.ALL_TIME, "lifetime")


def challenge_of_board(board: str) -> str | None:
    return board.removeprefix(BOARD_PREFIX) if board.startswith(BOARD_PREFIX) else None


@dataclass(frozen=True)
class ChallengeDefinition:
    key: str
    name: str
    window: Window
    goals: tuple[Goal, ...]
    reward_points: int
    max_participants: int | None


def validate_challenge(
    definition: ChallengeDefinition,
    *,
    started_goals: Sequence[Goal] | None,
) -> list[Problem]:
    """Problems with a definition. `started_goals`: the stored goals of a challenge that has
    already started (they may not change), None for a new or not yet started one."""
    problems: list[Problem] = []
    if len(definition.key) > MAX_CHALLENGE_KEY_LENGTH or not ACTION_KEY.fullmatch(definition.key):
        problems.append(
            Problem(
                ("input", "key"),
                "key must be lowercase dot-separated words of at most "
                f"{MAX_CHALLENGE_KEY_LENGTH} characters (its board is challenge:<key>), "
                "e.g. june.reviews",
            )
        )
    if not within(definition.name, 200):
        problems.append(Problem(("input", "name"), "name must be 1 to 200 characters"))
    window = definition.window
    if window.ends_at <= window.starts_at:
        problems.append(Problem(("input", "endsAt"), "endsAt must be after startsAt"))
    elif window.ends_at - window.starts_at > MAX_DURATION:
        problems.append(Problem(("input", "endsAt"), "a challenge lasts at most 366 days"))
    if not definition.goals:
        problems.append(Problem(("input", "goals"), "a challenge needs at least one goal"))
    problems += validate_goals(definition.goals, ("input", "goals"))
    if not 0 <= definition.reward_points <= MAX_POINTS:
        problems.append(
            Problem(("input", "rewardPoints"), f"rewardPoints must be 0 to {MAX_POINTS}")
        )
    cap = definition.max_participants
    if cap is not None and not 1 <= cap <= MAX_PARTICIPANTS:
        problems.append(
            Problem(
                ("input", "maxParticipants"), f"maxParticipants must be 1 to {MAX_PARTICIPANTS}"
            )
        )
    if started_goals is not None and tuple(started_goals) != tuple(definition.goals):
        problems.append(
            Problem(("input", "goals"), "the goals of a challenge that has started cannot change")
        )
    return problems
