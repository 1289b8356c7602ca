"""Specification of challenges (`gamification.challenges`).

A challenge runs over a half-open window [starts_at, ends_at): it is SCHEDULED before, ACTIVE
inside and ENDED from ends_at on, and ARCHIVED whatever the clock says once archived. Something
counts for it when it happens inside the window and, if the challenge requires enrolment, at or
after the member enrolled. Its leaderboard is the board "challenge:<key>".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.actions import MAX_POINTS, Problem
from gamification.challenges import (
    BOARD_PREFIX,
    MAX_CHALLENGE_KEY_LENGTH,
    MAX_DURATION,
    MAX_PARTICIPANTS,
    ROUND_BOARD_PERIOD,
    ROUND_PERIOD,
    SERIES,
    ChallengeDefinition,
    ChallengeStatus,
    Recurrence,
    Round,
    Window,
    board_key,
    board_of,
    challenge_of_board,
    completion_source,
    counts_for,
    next_round_end,
    round_at,
    status_of,
    validate_challenge,
)
from gamification.goals import MAX_GOALS, MAX_TARGET, Goal, Metric
from gamification.leaderboards import CALENDAR_PERIOD, MAX_BOARD_NAME, BoardKey, BoardPeriod
from gamification.periods import period_window

STARTS = datetime(2026, 6, 1, tzinfo=UTC)
ENDS = datetime(2026, 7, 1, tzinfo=UTC)
JUNE = Window(STARTS, ENDS)
TICK = timedelta(microseconds=1)
SECOND = timedelta(seconds=1)

GOALS = (Goal(Metric.ACTION_COUNT, "review.posted", 5), Goal(Metric.STREAK_DAYS, None, 3))
VALID = ChallengeDefinition(
    key="june.reviews",
    name="June reviews",
    window=JUNE,
    goals=GOALS,
    reward_points=500,
    max_participants=None,
)

fast = settings(max_examples=80, deadline=None)
moments = st.datetimes(
    min_value=datetime(2026, 5, 1), max_value=datetime(2026, 8, 1), timezones=st.just(UTC)
)
keys = st.from_regex(r"[a-z][a-z0-9_]{0,10}(\.[a-z][a-z0-9_]{0,10}){0,3}", fullmatch=True)


def problems(**changes: Any) -> list[Problem]:
    return validate_challenge(replace(VALID, **changes), started_goals=None)


def fields(found: list[Problem]) -> list[tuple[str, ...]]:
    return [problem.field for problem in found]


# --- status ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "status"),
    [
        (STARTS - timedelta(days=30), ChallengeStatus.SCHEDULED),
        (STARTS - TICK, ChallengeStatus.SCHEDULED),
        (STARTS, ChallengeStatus.ACTIVE),  # the start is inside the window
        (STARTS + TICK, ChallengeStatus.ACTIVE),
        (ENDS - TICK, ChallengeStatus.ACTIVE),
        (ENDS, ChallengeStatus.ENDED),  # the end is not
        (ENDS + timedelta(days=365), ChallengeStatus.ENDED),
    ],
)
def test_the_status_follows_the_half_open_window(now: datetime, status: ChallengeStatus) -> None:
    assert status_of(JUNE, False, now) is status


@pytest.mark.parametrize("now", [STARTS - SECOND, STARTS, ENDS - SECOND, ENDS, ENDS + SECOND])
def test_an_archived_challenge_is_archived_whatever_the_clock(now: datetime) -> None:
    assert status_of(JUNE, True, now) is ChallengeStatus.ARCHIVED


def test_the_status_compares_instants_not_wall_clocks() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")  # 09:00 in Tokyo on Jun 1 is midnight UTC
    assert status_of(JUNE, False, datetime(2026, 6, 1, 8, 59, tzinfo=tokyo)).value == "SCHEDULED"
    assert status_of(JUNE, False, datetime(2026, 6, 1, 9, 0, tzinfo=tokyo)).value == "ACTIVE"


@fast
@given(now=moments)
def test_an_unarchived_challenge_is_active_exactly_inside_its_window(now: datetime) -> None:
    status = status_of(JUNE, False, now)
    assert (status is ChallengeStatus.ACTIVE) == JUNE.contains(now)
    assert (status is ChallengeStatus.SCHEDULED) == (now < STARTS)
    assert (status is ChallengeStatus.ENDED) == (now >= ENDS)


# --- what counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("occurred_at", "counts"),
    [
        (STARTS - TICK, False),
        (STARTS, True),
        (ENDS - TICK, True),
        (ENDS, False),
        (ENDS + SECOND, False),
    ],
)
def test_only_what_happens_inside_the_window_counts(occurred_at: datetime, counts: bool) -> None:
    assert counts_for(JUNE, occurred_at, False, None) is counts
    assert counts_for(JUNE, occurred_at, True, STARTS - timedelta(days=1)) is counts


def test_without_required_enrolment_anything_in_the_window_counts() -> None:
    enrolled_later = STARTS + timedelta(days=10)
    assert counts_for(JUNE, STARTS + timedelta(days=1), False, enrolled_later)
    assert counts_for(JUNE, STARTS + timedelta(days=1), False, None)


@pytest.mark.parametrize(
    ("occurred_at", "counts"),
    [
        (STARTS + timedelta(days=10) - TICK, False),  # before enrolling
        (STARTS + timedelta(days=10), True),  # at the very moment of enrolling
        (STARTS + timedelta(days=10) + TICK, True),
        (ENDS - TICK, True),
        (ENDS, False),  # enrolled, but the window is over
    ],
)
def test_with_required_enrolment_only_what_happens_from_enrolling_on_counts(
    occurred_at: datetime, counts: bool
) -> None:
    assert counts_for(JUNE, occurred_at, True, STARTS + timedelta(days=10)) is counts


def test_enrolling_before_the_start_counts_from_the_start() -> None:
    enrolled_early = STARTS - timedelta(days=5)
    assert not counts_for(JUNE, STARTS - TICK, True, enrolled_early)
    assert counts_for(JUNE, STARTS, True, enrolled_early)


@pytest.mark.parametrize("occurred_at", [STARTS - SECOND, STARTS, ENDS - SECOND, ENDS])
def test_with_required_enrolment_a_member_who_never_enrolled_never_counts(
    occurred_at: datetime,
) -> None:
    assert not counts_for(JUNE, occurred_at, True, None)


@fast
@given(occurred_at=moments, enrolled_at=st.none() | moments, required=st.booleans())
def test_counting_is_being_in_the_window_and_enrolled_in_time_if_required(
    occurred_at: datetime, enrolled_at: datetime | None, required: bool
) -> None:
    enrolled_in_time = enrolled_at is not None and enrolled_at <= occurred_at
    expected = JUNE.contains(occurred_at) and (enrolled_in_time or not required)
    assert counts_for(JUNE, occurred_at, required, enrolled_at) is expected


# --- boards ---------------------------------------------------------------------------------------


def test_a_challenge_board_is_named_after_its_key() -> None:
    assert board_of("june.reviews") == "challenge:june.reviews"
    assert BOARD_PREFIX == "challenge:"


def test_other_boards_belong_to_no_challenge() -> None:
    assert challenge_of_board("points:weekly") is None
    assert challenge_of_board("challenges:june") is None
    assert challenge_of_board("june.reviews") is None
    assert challenge_of_board("") is None


@fast
@given(key=keys)
def test_a_challenge_key_survives_the_board_round_trip(key: str) -> None:
    assert challenge_of_board(board_of(key)) == key


# --- validation -----------------------------------------------------------------------------------


def test_a_well_formed_challenge_is_valid() -> None:
    assert validate_challenge(VALID, started_goals=None) == []


@pytest.mark.parametrize(
    "key",
    ["June.reviews", "june reviews", "june-reviews", "", "2026.june", "june.", "a" * 91],
)
def test_a_key_that_is_not_lowercase_dot_separated_words_is_refused(key: str) -> None:
    assert fields(problems(key=key)) == [("input", "key")]


@pytest.mark.parametrize(
    "key", ["june", "june.reviews", "summer_2026.week_1", "a" * MAX_CHALLENGE_KEY_LENGTH]
)
def test_lowercase_dot_separated_keys_are_accepted(key: str) -> None:
    assert problems(key=key) == []


@fast
@given(key=st.from_regex(r"[a-z][a-z0-9_.]{0,120}", fullmatch=True))
def test_an_accepted_key_names_a_board_the_leaderboard_tables_can_hold(key: str) -> None:
    """90 characters at most: `challenge:<key>` is a board name like any other, and a longer
    one made every interaction counted for the challenge fail on PostgreSQL."""
    if problems(key=key) == []:
        assert len(board_of(key)) <= MAX_BOARD_NAME
    if len(key) > MAX_CHALLENGE_KEY_LENGTH:
        assert ("input", "key") in fields(problems(key=key))


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_a_name_must_have_one_to_200_characters(name: str) -> None:
    assert problems(name=name) == [Problem(("input", "name"), "name must be 1 to 200 characters")]


@pytest.mark.parametrize("name", ["J", "x" * 200])
def test_names_of_one_and_200_characters_are_accepted(name: str) -> None:
    assert problems(name=name) == []


@pytest.mark.parametrize("ends_at", [STARTS, STARTS - SECOND])
def test_a_challenge_must_end_after_it_starts(ends_at: datetime) -> None:
    assert problems(window=Window(STARTS, ends_at)) == [
        Problem(("input", "endsAt"), "endsAt must be after startsAt")
    ]


def test_a_challenge_may_last_from_a_moment_up_to_366_days() -> None:
    assert problems(window=Window(STARTS, STARTS + TICK)) == []
    assert problems(window=Window(STARTS, STARTS + MAX_DURATION)) == []
    assert timedelta(days=366) == MAX_DURATION


def test_a_challenge_may_not_last_longer_than_366_days() -> None:
    assert problems(window=Window(STARTS, STARTS + MAX_DURATION + SECOND)) == [
        Problem(("input", "endsAt"), "a challenge lasts at most 366 days")
    ]


def test_a_challenge_needs_a_goal() -> None:
    assert problems(goals=()) == [
        Problem(("input", "goals"), "a challenge needs at least one goal")
    ]


def test_the_goals_of_a_challenge_are_validated_under_its_goals_field() -> None:
    bad = (Goal(Metric.ACTION_COUNT, None, 0),)
    assert problems(goals=bad) == [
        Problem(("input", "goals", "0", "target"), f"target must be 1 to {MAX_TARGET}"),
        Problem(("input", "goals", "0", "action"), "ACTION_COUNT needs an action"),
    ]
    too_many = tuple(Goal(Metric.ACTION_COUNT, f"a{i}", 1) for i in range(MAX_GOALS + 1))
    assert fields(problems(goals=too_many)) == [("input", "goals")]


@pytest.mark.parametrize("reward", [0, 1, MAX_POINTS])
def test_a_reward_from_zero_to_the_maximum_is_accepted(reward: int) -> None:
    assert problems(reward_points=reward) == []


@pytest.mark.parametrize("reward", [-1, MAX_POINTS + 1])
def test_a_reward_outside_zero_to_the_maximum_is_refused(reward: int) -> None:
    assert problems(reward_points=reward) == [
        Problem(("input", "rewardPoints"), f"rewardPoints must be 0 to {MAX_POINTS}")
    ]


@pytest.mark.parametrize("cap", [None, 1, MAX_PARTICIPANTS])
def test_no_cap_or_a_cap_from_one_to_the_maximum_is_accepted(cap: int | None) -> None:
    assert problems(max_participants=cap) == []


@pytest.mark.parametrize("cap", [0, -1, MAX_PARTICIPANTS + 1])
def test_a_cap_outside_one_to_the_maximum_is_refused(cap: int) -> None:
    assert problems(max_participants=cap) == [
        Problem(("input", "maxParticipants"), f"maxParticipants must be 1 to {MAX_PARTICIPANTS}")
    ]


def test_the_same_goals_are_accepted_once_a_challenge_has_started() -> None:
    assert validate_challenge(VALID, started_goals=list(GOALS)) == []
    assert validate_challenge(VALID, started_goals=GOALS) == []


def test_other_details_of_a_started_challenge_may_change() -> None:
    changed = replace(VALID, name="June reviews (extended)", reward_points=800)
    assert validate_challenge(changed, started_goals=GOALS) == []


@pytest.mark.parametrize(
    "stored",
    [
        (Goal(Metric.ACTION_COUNT, "review.posted", 4), GOALS[1]),  # another target
        (GOALS[1], GOALS[0]),  # another order: stored progress is kept per position
        GOALS[:1],  # a goal removed
        (*GOALS, Goal(Metric.POINTS_EARNED, None, 100)),  # a goal added
        (Goal(Metric.ACTION_COUNT, "photo.shared", 5), GOALS[1]),  # another action
    ],
)
def test_the_goals_of_a_started_challenge_cannot_change(stored: tuple[Goal, ...]) -> None:
    assert validate_challenge(VALID, started_goals=stored) == [
        Problem(("input", "goals"), "the goals of a challenge that has started cannot change")
    ]


def test_every_problem_is_reported_at_once() -> None:
    broken = ChallengeDefinition(
        key="Bad Key",
        name="",
        window=Window(ENDS, STARTS),
        goals=(),
        reward_points=-1,
        max_participants=0,
    )
    assert fields(validate_challenge(broken, started_goals=GOALS)) == [
        ("input", "key"),
        ("input", "name"),
        ("input", "endsAt"),
        ("input", "goals"),
        ("input", "rewardPoints"),
        ("input", "maxParticipants"),
        ("input", "goals"),
    ]


# --- rounds of repeating challenges -----------------------------------------------------------
# A repeating challenge opens a fresh round each calendar period of the program time zone (the
# periods every rule uses: `gamification.periods.period_window`, ISO weeks), clipped to its
# window. A non-repeating one has one round, the window, keyed SERIES.

ZONES = st.sampled_from([UTC, ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")])
repeating = st.sampled_from([Recurrence.DAILY, Recurrence.WEEKLY, Recurrence.MONTHLY])


@fast
@given(moment=moments, recurrence=st.sampled_from(list(Recurrence)), tz=ZONES)
def test_a_moment_in_the_window_falls_in_exactly_one_round_inside_it(
    moment: datetime, recurrence: Recurrence, tz: ZoneInfo
) -> None:
    found = round_at(JUNE, recurrence, moment, tz)
    if not JUNE.contains(moment):
        assert found is None
        return
    assert found is not None and found.contains(moment)
    assert JUNE.starts_at <= found.starts_at < found.ends_at <= JUNE.ends_at
    if recurrence is Recurrence.NONE:
        assert found == Round(SERIES, JUNE.starts_at, JUNE.ends_at)
    else:
        period = period_window(ROUND_PERIOD[recurrence], moment, tz)
        assert found.key == period.key != SERIES
        assert next_round_end(JUNE, recurrence, moment, tz) == found.ends_at


@fast
@given(a=moments, b=moments, recurrence=repeating, tz=ZONES)
def test_two_moments_share_a_round_exactly_when_they_share_the_period(
    a: datetime, b: datetime, recurrence: Recurrence, tz: ZoneInfo
) -> None:
    first, second = round_at(JUNE, recurrence, a, tz), round_at(JUNE, recurrence, b, tz)
    if first is None or second is None:
        return
    same_period = (
        period_window(ROUND_PERIOD[recurrence], a, tz).key
        == period_window(ROUND_PERIOD[recurrence], b, tz).key
    )
    assert (first == second) is same_period
    if a <= b:
        assert first.key <= second.key  # round keys sort in time order


def test_a_weekly_round_ends_on_the_monday_midnight_and_the_next_starts_from_zero() -> None:
    sunday_night = datetime(2026, 6, 14, 23, 59, tzinfo=UTC)
    this_week = round_at(JUNE, Recurrence.WEEKLY, sunday_night, UTC)
    next_week = round_at(JUNE, Recurrence.WEEKLY, sunday_night + timedelta(minutes=1), UTC)
    assert this_week == Round(
        "2026-W24", datetime(2026, 6, 8, tzinfo=UTC), sunday_night + 60 * SECOND
    )
    assert next_week is not None and next_week.key == "2026-W25"
    # The first and last weeks are cut to the window: June 1st 2026 is a Monday, July 1st not.
    last = round_at(JUNE, Recurrence.WEEKLY, ENDS - SECOND, UTC)
    assert last == Round("2026-W27", datetime(2026, 6, 29, tzinfo=UTC), ENDS)
    assert next_round_end(JUNE, Recurrence.WEEKLY, ENDS, UTC) is None


@fast
@given(
    key=keys,
    rounds=st.lists(st.sampled_from(["2026-06-01", "2026-W23", "2026-06", SERIES]), unique=True),
    member=st.from_regex(r"[a-z0-9_-]{1,20}", fullmatch=True),
)
def test_each_round_rewards_under_its_own_source_key_ending_with_the_member(
    key: str, rounds: list[str], member: str
) -> None:
    sources = [completion_source(key, round_key, member) for round_key in rounds]
    assert len(set(sources)) == len(rounds)
    assert all(s.startswith(f"challenge:{key}:") and s.endswith(f":{member}") for s in sources)
    # A non-repeating challenge keeps the source key it always had.
    assert completion_source(key, SERIES, member) == f"challenge:{key}:{member}"


def test_a_repeating_challenges_board_has_one_period_per_round() -> None:
    assert board_key("quest") == BoardKey("challenge:quest", BoardPeriod.ALL_TIME, "lifetime")
    assert board_key("quest", Recurrence.WEEKLY, "2026-W24") == BoardKey(
        "challenge:quest", BoardPeriod.WEEKLY, "2026-W24"
    )
    for recurrence, period in ROUND_PERIOD.items():
        assert CALENDAR_PERIOD[ROUND_BOARD_PERIOD[recurrence]] is period


def test_a_hidden_challenge_cannot_require_enrolment() -> None:
    hidden = replace(VALID, hidden=True)
    assert validate_challenge(hidden, started_goals=None) == []
    problems = validate_challenge(replace(hidden, requires_enrollment=True), started_goals=None)
    assert [p.field for p in problems] == [("input", "hidden")]
