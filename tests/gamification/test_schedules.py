"""Specification of points schedules (`gamification.schedules`).

A schedule pays an action's nth award to a member in a calendar period by steps: "the first
review of the month 100, the 2nd to 5th 50, any later one 10".
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.actions import MAX_POINTS, Problem
from gamification.periods import Period
from gamification.schedules import (
    MAX_STEPS,
    MAX_UP_TO,
    Schedule,
    Step,
    points_for,
    validate_schedule,
)

REVIEWS = Schedule(Period.MONTH, (Step(1, 100), Step(5, 50), Step(None, 10)))
STEPS = ("input", "schedule", "steps")

fast = settings(max_examples=50, deadline=None)


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    bounds = sorted(draw(st.sets(st.integers(min_value=1, max_value=200), max_size=MAX_STEPS - 1)))
    amounts = draw(
        st.lists(
            st.integers(min_value=0, max_value=MAX_POINTS),
            min_size=len(bounds) + 1,
            max_size=len(bounds) + 1,
        )
    )
    up_tos: list[int | None] = [*bounds, None]
    period = draw(st.sampled_from(list(Period)))
    return Schedule(period, tuple(Step(u, p) for u, p in zip(up_tos, amounts, strict=True)))


def fields(problems: list[Problem]) -> list[tuple[str, ...]]:
    return [problem.field for problem in problems]


# --- points_for -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nth", "expected"),
    [(1, 100), (2, 50), (5, 50), (6, 10), (1_000, 10)],
)
def test_the_nth_award_of_the_period_earns_the_points_of_its_step(nth: int, expected: int) -> None:
    assert points_for(REVIEWS, nth) == expected


def test_a_single_open_step_pays_the_same_for_every_award() -> None:
    flat = Schedule(Period.LIFETIME, (Step(None, 25),))
    assert [points_for(flat, nth) for nth in (1, 2, 10**6)] == [25, 25, 25]


def test_a_step_may_pay_nothing() -> None:
    first_only = Schedule(Period.DAY, (Step(1, 20), Step(None, 0)))
    assert (points_for(first_only, 1), points_for(first_only, 2)) == (20, 0)


@pytest.mark.parametrize("nth", [0, -1])
def test_awards_are_counted_from_one(nth: int) -> None:
    with pytest.raises(ValueError, match="from 1"):
        points_for(REVIEWS, nth)


def test_an_invalid_schedule_ending_on_a_bounded_step_keeps_paying_its_last_step() -> None:
    bounded = Schedule(Period.WEEK, (Step(2, 30), Step(4, 20)))
    assert points_for(bounded, 9) == 20
    assert points_for(Schedule(Period.WEEK, ()), 1) == 0


@fast
@given(schedule=schedules(), nth=st.integers(min_value=1, max_value=300))
def test_an_award_earns_the_points_of_the_first_step_reaching_its_ordinal(
    schedule: Schedule, nth: int
) -> None:
    step = next(s for s in schedule.steps if s.up_to is None or nth <= s.up_to)
    assert points_for(schedule, nth) == step.points


@fast
@given(schedule=schedules(), nth=st.integers(min_value=1, max_value=300))
def test_every_generated_schedule_is_valid_and_pays_one_of_its_steps(
    schedule: Schedule, nth: int
) -> None:
    assert validate_schedule(schedule) == []
    assert points_for(schedule, nth) in {step.points for step in schedule.steps}


# --- validate_schedule ----------------------------------------------------------------------------


def test_the_example_schedule_is_valid() -> None:
    assert validate_schedule(REVIEWS) == []


def test_a_schedule_has_at_least_one_step() -> None:
    assert validate_schedule(Schedule(Period.DAY, ())) == [
        Problem(STEPS, "a schedule has 1 to 20 steps")
    ]


def test_a_schedule_has_at_most_20_steps() -> None:
    twenty = (*(Step(n, 1) for n in range(1, MAX_STEPS)), Step(None, 1))
    assert validate_schedule(Schedule(Period.DAY, twenty)) == []
    twenty_one = (*(Step(n, 1) for n in range(1, MAX_STEPS + 1)), Step(None, 1))
    assert fields(validate_schedule(Schedule(Period.DAY, twenty_one))) == [STEPS]


def test_the_last_step_has_no_up_to() -> None:
    schedule = Schedule(Period.DAY, (Step(1, 10), Step(3, 5)))
    assert validate_schedule(schedule) == [
        Problem((*STEPS, "1", "upTo"), "the last step has no upTo: it pays for every later award")
    ]


def test_only_the_last_step_may_omit_up_to() -> None:
    schedule = Schedule(Period.DAY, (Step(None, 10), Step(None, 5)))
    assert validate_schedule(schedule) == [
        Problem((*STEPS, "0", "upTo"), "only the last step may omit upTo")
    ]


def test_up_to_strictly_increases() -> None:
    schedule = Schedule(Period.MONTH, (Step(3, 100), Step(3, 50), Step(None, 10)))
    assert validate_schedule(schedule) == [
        Problem((*STEPS, "1", "upTo"), "upTo must be 4 to 1000000 (more than the step before)")
    ]


def test_each_step_out_of_order_is_reported_against_the_last_good_one() -> None:
    schedule = Schedule(
        Period.MONTH, (Step(5, 1), Step(3, 1), Step(4, 1), Step(6, 1), Step(None, 1))
    )
    assert fields(validate_schedule(schedule)) == [
        (*STEPS, "1", "upTo"),
        (*STEPS, "2", "upTo"),
    ]


@pytest.mark.parametrize("up_to", [0, -1, MAX_UP_TO + 1])
def test_the_first_up_to_is_1_to_a_million(up_to: int) -> None:
    schedule = Schedule(Period.DAY, (Step(up_to, 1), Step(None, 1)))
    assert validate_schedule(schedule) == [
        Problem((*STEPS, "0", "upTo"), f"upTo must be 1 to {MAX_UP_TO}")
    ]
    assert validate_schedule(Schedule(Period.DAY, (Step(MAX_UP_TO, 1), Step(None, 1)))) == []


@pytest.mark.parametrize("amount", [-1, MAX_POINTS + 1])
def test_step_points_are_0_to_a_million(amount: int) -> None:
    schedule = Schedule(Period.DAY, (Step(1, 5), Step(None, amount)))
    assert validate_schedule(schedule) == [
        Problem((*STEPS, "1", "points"), f"points must be 0 to {MAX_POINTS}")
    ]


def test_every_step_problem_is_reported_at_once() -> None:
    schedule = Schedule(Period.DAY, (Step(0, -1), Step(None, 5), Step(2, 5)))
    assert fields(validate_schedule(schedule)) == [
        (*STEPS, "0", "upTo"),
        (*STEPS, "0", "points"),
        (*STEPS, "1", "upTo"),
        (*STEPS, "2", "upTo"),
    ]


def test_problems_are_reported_under_the_path_the_caller_gives() -> None:
    schedule = Schedule(Period.DAY, (Step(None, -5),))
    problems = validate_schedule(schedule, path=("input", "actions", "2", "schedule"))
    assert fields(problems) == [("input", "actions", "2", "schedule", "steps", "0", "points")]
