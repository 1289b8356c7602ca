"""Challenges: their status on the clock, which facts count for them, and their board."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from gamification.actions import ACTION_KEY, MAX_POINTS, Problem
from gamification.goals import Goal, validate_goals
from gamification.leaderboards import MAX_BOARD_NAME, BoardKey, BoardPeriod
from gamification.periods import Period, period_window
from gamification.text import within

BOARD_PREFIX = "challenge:"
# A challenge's key names its board too, so it leaves room for the prefix: 90 characters.
MAX_CHALLENGE_KEY_LENGTH = MAX_BOARD_NAME - len(BOARD_PREFIX)
MAX_DURATION = timedelta(days=366)
MAX_PARTICIPANTS = 10_000_000


class Recurrence(StrEnum):
    """How often a challenge opens a fresh round inside its window (program time zone)."""

    NONE = "NONE"
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


# The calendar period of each recurrence: rounds are the leaderboards' periods (ISO weeks), so a
# repeating challenge's board is an ordinary periodic board whose period key names the round.
ROUND_PERIOD = {
    Recurrence.DAILY: Period.DAY,
    Recurrence.WEEKLY: Period.WEEK,
    Recurrence.MONTHLY: Period.MONTH,
}
ROUND_BOARD_PERIOD = {
    Recurrence.NONE: BoardPeriod.ALL_TIME,
    Recurrence.DAILY: BoardPeriod.DAILY,
    Recurrence.WEEKLY: BoardPeriod.WEEKLY,
    Recurrence.MONTHLY: BoardPeriod.MONTHLY,
}
# The round key of a non-repeating challenge's one participant row, and of a repeating
# challenge's series row (the member's enrolment and place, which hold for every round).
SERIES = ""


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


@dataclass(frozen=True)
class Round:
    """One round of a challenge: [starts_at, ends_at), inside the challenge's window. `key` is
    SERIES for a non-repeating challenge (its one round is the window), else the calendar
    period's key (e.g. "2026-12-07", "2026-W50", "2026-12")."""

    key: str
    starts_at: datetime
    ends_at: datetime

    def contains(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


def round_at(
    window: Window, recurrence: Recurrence, moment: datetime, tz: ZoneInfo
) -> Round | None:
    """The round `moment` falls in; None outside the window. A repeating challenge's round is
    the calendar period containing `moment` (computed by `period_window`, as every period is),
    clipped to the window: the first and last rounds may be short."""
    if not window.contains(moment):
        return None
    if recurrence is Recurrence.NONE:
        return Round(SERIES, window.starts_at, window.ends_at)
    period = period_window(ROUND_PERIOD[recurrence], moment, tz)
    assert period.start is not None and period.end is not None  # calendar periods are bounded
    return Round(period.key, max(period.start, window.starts_at), min(period.end, window.ends_at))


def next_round_end(
    window: Window, recurrence: Recurrence, now: datetime, tz: ZoneInfo
) -> datetime | None:
    """When the round running at `now` ends (the next moment a member's status in it changes
    by time alone); None when no round runs at `now` (the window's own start and end are
    boundaries of their own)."""
    current = round_at(window, recurrence, now, tz)
    return current.ends_at if current is not None else None


def completion_source(key: str, round_key: str, member_id: str) -> str:
    """The ledger source of a completion's reward: one per challenge, round and member, so a
    round is rewarded once however often it is replayed. It ends with the member id (erasure
    rewrites that part); a non-repeating challenge keeps the key it always had."""
    if round_key == SERIES:
        return f"challenge:{key}:{member_id}"
    return f"challenge:{key}:{round_key}:{member_id}"


def board_of(key: str) -> str:
    """The leaderboard of a challenge."""
    return f"{BOARD_PREFIX}{key}"


def board_key(
    key: str, recurrence: Recurrence = Recurrence.NONE, round_key: str = SERIES
) -> BoardKey:
    """A challenge's board: one period, the challenge itself (served as ALL_TIME), or for a
    repeating one a board per round, in the period of its recurrence (served as DAILY, WEEKLY
    or MONTHLY, whose current period is the current round)."""
    if recurrence is Recurrence.NONE:
        return BoardKey(board_of(key), BoardPeriod.ALL_TIME, "lifetime")
    return BoardKey(board_of(key), ROUND_BOARD_PERIOD[recurrence], round_key)


def challenge_of_board(board: str) -> str | None:
    return board.removeprefix(BOARD_PREFIX) if board.startswith(BOARD_PREFIX) else None


def participant_of_board(key: BoardKey) -> tuple[str, str] | None:
    """The (challenge, round) whose participant rows hold a challenge board's scores (`board_key`
    read backwards); None for a board that is not a challenge's."""
    challenge = challenge_of_board(key.board)
    if challenge is None:
        return None
    return challenge, SERIES if key.period is BoardPeriod.ALL_TIME else key.period_key


@dataclass(frozen=True)
class ChallengeDefinition:
    key: str
    name: str
    window: Window
    goals: tuple[Goal, ...]
    reward_points: int
    max_participants: int | None
    recurrence: Recurrence = Recurrence.NONE
    hidden: bool = False
    requires_enrollment: bool = False


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
    if definition.hidden and definition.requires_enrollment:
        problems.append(
            Problem(
                ("input", "hidden"),
                "a hidden challenge cannot require enrolment: members cannot enrol in what "
                "they cannot see",
            )
        )
    if started_goals is not None and tuple(started_goals) != tuple(definition.goals):
        problems.append(
            Problem(("input", "goals"), "the goals of a challenge that has started cannot change")
        )
    return problems
