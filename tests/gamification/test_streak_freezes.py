"""Specification of streak freezes (`gamification.streaks`).

The policy earns one freeze for every N days the run grows, never past `max_held`; an admin's
grant adds within the same cap. A missed day uses a freeze automatically: the streak goes on
over it, but the frozen day does not add to the run. What the member is shown on any day
(`current`, `freezes_left`) is what the next active day will store; a streak kept in place day
by day equals one rebuilt from its active and frozen days.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.streaks import (
    MAX_EARN_EVERY_DAYS,
    MAX_HELD,
    NO_FREEZES,
    ONE_DAY,
    FreezePolicy,
    Step,
    Streak,
    advance,
    from_days,
    grant,
    policy_errors,
    rebuilt,
)

START = date(2026, 2, 20)  # runs cross the end of February
fast = settings(max_examples=120, deadline=None)
policies = st.builds(FreezePolicy, st.integers(0, 4), st.integers(0, 4))
# Increasing days with gaps of 0 to 3 missed days between them.
gaps = st.lists(st.integers(0, 3), min_size=1, max_size=20)


def day(n: int) -> date:
    return START + n * ONE_DAY


def in_order(gap_list: list[int]) -> list[date]:
    days, current = [], START
    for gap in gap_list:
        current += (gap + 1) * ONE_DAY
        days.append(current)
    return days


def kept(days: list[date], policy: FreezePolicy, held: int = 0) -> tuple[Streak, list[Step]]:
    """`advance` over each day in turn, as the pipeline does for in-order days."""
    streak, steps = Streak(freezes=held), []
    for active in days:
        step = advance(streak, active, policy)
        assert step is not None
        steps.append(step)
        streak = step.streak
    return streak, steps


# --- examples -------------------------------------------------------------------------------------


def test_a_missed_day_uses_a_freeze_and_the_frozen_day_does_not_count() -> None:
    step = advance(Streak(3, 3, day(0), 1), day(2))
    assert step == Step(Streak(4, 4, day(2), 0), (day(1),), 0)


def test_several_missed_days_use_several_freezes() -> None:
    step = advance(Streak(2, 5, day(0), 3), day(3))
    assert step == Step(Streak(3, 5, day(3), 1), (day(1), day(2)), 0)


def test_too_few_freezes_are_spent_and_the_streak_breaks() -> None:
    step = advance(Streak(4, 4, day(0), 1), day(3))
    assert step == Step(Streak(1, 4, day(3), 0), (day(1),), 0)


def test_a_freeze_is_earned_every_n_days_up_to_the_cap() -> None:
    policy = FreezePolicy(earn_every_days=2, max_held=2)
    streak, steps = kept([day(n) for n in range(9)], policy)
    assert [step.earned for step in steps] == [0, 1, 0, 1, 0, 0, 0, 0, 0]
    assert streak == Streak(9, 9, day(8), 2)


def test_a_lowered_cap_takes_no_freeze_away() -> None:
    step = advance(Streak(1, 1, day(0), 5), day(1), FreezePolicy(1, 2))
    assert step is not None and step.streak.freezes == 5 and step.earned == 0


def test_what_the_member_sees_each_day() -> None:
    streak = Streak(5, 5, day(0), 2)
    seen = [(streak.current(day(n)), streak.freezes_left(day(n))) for n in range(5)]
    # Today and tomorrow nothing is missed; then a freeze goes each midnight; then it breaks.
    assert seen == [(5, 2), (5, 2), (5, 1), (5, 0), (0, 0)]


def test_a_grant_adds_within_the_cap() -> None:
    policy = FreezePolicy(0, 3)
    assert grant(Streak(), day(0), 2, policy) == Step(Streak(freezes=2), (), 2)
    assert grant(Streak(freezes=2), day(0), 5, policy) == Step(Streak(freezes=3), (), 1)
    assert grant(Streak(), day(0), 2, NO_FREEZES).streak.freezes == 0


def test_a_grant_leaves_a_kept_streak_pending_and_settles_a_broken_one() -> None:
    policy = FreezePolicy(0, 5)
    alive = Streak(4, 4, day(0), 1)  # day 1 missed, covered by the freeze
    assert grant(alive, day(2), 2, policy) == Step(Streak(4, 4, day(0), 3), (), 2)
    broken = Streak(4, 4, day(0), 1)  # days 1 and 2 missed: broken on day 3
    assert grant(broken, day(3), 2, policy) == Step(Streak(0, 4, day(0), 2), (day(1),), 2)
    # The broken run stays broken: the new freezes protect days to come.
    after = advance(Streak(0, 4, day(0), 2), day(5), policy)
    assert after == Step(Streak(1, 4, day(5), 2), (), 0)


def test_rebuilding_bridges_frozen_days_and_keeps_the_freezes_held() -> None:
    streak = rebuilt(Streak(1, 2, day(5), 2), [day(0), day(1), day(3), day(5)], [day(2), day(4)])
    assert streak == Streak(4, 4, day(5), 2)


def test_frozen_days_after_the_last_active_day_or_after_a_gap_keep_nothing() -> None:
    assert from_days([day(0), day(3)], [day(2), day(4)]) == Streak(1, 1, day(3))


@pytest.mark.parametrize(
    ("every", "held", "wrong"),
    [
        (-1, 0, ["earnEveryDays"]),
        (0, -1, ["maxHeld"]),
        (MAX_EARN_EVERY_DAYS + 1, MAX_HELD + 1, ["earnEveryDays", "maxHeld"]),
        (0, 0, []),
        (MAX_EARN_EVERY_DAYS, MAX_HELD, []),
    ],
)
def test_policy_bounds(every: int, held: int, wrong: list[str]) -> None:
    assert [field for field, _ in policy_errors(FreezePolicy(every, held))] == wrong


# --- properties -----------------------------------------------------------------------------------


@fast
@given(gap_list=gaps, policy=policies, held=st.integers(0, 3))
def test_kept_day_by_day_equals_rebuilt_from_active_and_frozen_days(
    gap_list: list[int], policy: FreezePolicy, held: int
) -> None:
    days = in_order(gap_list)
    streak, steps = kept(days, policy, held)
    frozen = [d for step in steps for d in step.frozen]
    rebuilt_streak = from_days(days, frozen)
    assert (rebuilt_streak.run, rebuilt_streak.longest, rebuilt_streak.last_active_on) == (
        streak.run,
        streak.longest,
        streak.last_active_on,
    )
    assert rebuilt(streak, days, frozen) == streak


@fast
@given(gap_list=gaps, policy=policies, held=st.integers(0, 3))
def test_freezes_are_conserved_and_never_past_the_cap(
    gap_list: list[int], policy: FreezePolicy, held: int
) -> None:
    streak, steps = kept(in_order(gap_list), policy, held)
    frozen = [d for step in steps for d in step.frozen]
    assert streak.freezes == held + sum(step.earned for step in steps) - len(frozen)
    assert len(set(frozen)) == len(frozen)  # a day is frozen once
    for step in steps:
        assert 0 <= step.streak.freezes <= max(policy.max_held, held)
        assert step.earned >= 0


@fast
@given(gap_list=gaps, policy=policies, held=st.integers(0, 3))
def test_frozen_days_are_missed_days_right_after_an_active_one(
    gap_list: list[int], policy: FreezePolicy, held: int
) -> None:
    days = in_order(gap_list)
    _, steps = kept(days, policy, held)
    previous = None
    for active, step in zip(days, steps, strict=True):
        assert set(step.frozen).isdisjoint(days)
        if step.frozen:
            assert previous is not None
            assert list(step.frozen) == [
                previous + (k + 1) * ONE_DAY for k in range(len(step.frozen))
            ]
            assert step.frozen[-1] < active
        previous = active


@fast
@given(gap_list=gaps, policy=policies, held=st.integers(0, 3), wait=st.integers(1, 6))
def test_what_the_member_sees_is_what_the_next_active_day_stores(
    gap_list: list[int], policy: FreezePolicy, held: int, wait: int
) -> None:
    streak, _ = kept(in_order(gap_list), policy, held)
    assert streak.last_active_on is not None
    today = streak.last_active_on + wait * ONE_DAY
    step = advance(streak, today, NO_FREEZES)  # nothing earned: only what the gap used
    assert step is not None
    assert step.streak.freezes == streak.freezes_left(today)
    alive = streak.current(today) > 0
    assert alive == (step.streak.run == streak.run + 1)


@fast
@given(days=st.lists(st.integers(0, 30), max_size=15))
def test_without_freezes_nothing_is_frozen_and_the_streak_is_the_plain_one(days: list[int]) -> None:
    active = sorted({day(n) for n in days})
    streak, steps = kept(active, NO_FREEZES)
    assert all(step.frozen == () and step.earned == 0 for step in steps)
    assert streak == from_days(active)


@fast
@given(
    gap_list=gaps,
    policy=policies,
    held=st.integers(0, 3),
    wait=st.integers(0, 6),
    count=st.integers(1, 5),
)
def test_a_grant_respects_the_cap_and_never_mends_a_broken_streak(
    gap_list: list[int], policy: FreezePolicy, held: int, wait: int, count: int
) -> None:
    streak, _ = kept(in_order(gap_list), policy, held)
    assert streak.last_active_on is not None
    today = streak.last_active_on + wait * ONE_DAY
    step = grant(streak, today, count, policy)
    after = step.streak
    assert 0 <= step.earned <= count
    assert after.freezes_left(today) == max(
        streak.freezes_left(today), min(policy.max_held, streak.freezes_left(today) + count)
    )
    assert after.current(today) == streak.current(today)
    assert (after.longest, after.last_active_on) == (streak.longest, streak.last_active_on)
    next_day = advance(after, today, NO_FREEZES)
    assert next_day is not None
    if streak.current(today) == 0:
        assert next_day.streak.run == 1  # broken before the grant: starts again


def test_a_first_day_may_earn_when_every_day_counts() -> None:
    assert advance(Streak(), day(0), FreezePolicy(1, 1)) == Step(Streak(1, 1, day(0), 1), (), 1)


def test_an_earlier_day_asks_for_a_rebuild() -> None:
    assert advance(Streak(2, 2, day(5), 1), day(5) - timedelta(days=3), FreezePolicy(1, 1)) is None
