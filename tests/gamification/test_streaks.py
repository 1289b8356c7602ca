"""Specification of streaks (`gamification.streaks`).

A streak is the run of consecutive active days ending on the member's last active day, plus the
longest run ever. Kept in place, it grows one new day at a time (`extend`); a day that arrives
out of order makes `extend` give up, and the streak is rebuilt from all the member's days
(`from_days`). Both ways must always agree, on any calendar: month and year ends and leap days.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.streaks import ONE_DAY, Streak, extend, from_days, longest_run

START = date(2026, 3, 1)
TODAY = date(2026, 3, 29)

fast = settings(max_examples=80, deadline=None)
# Days close together, so that runs, gaps and duplicates all show up often.
days = st.integers(min_value=0, max_value=40).map(lambda offset: START + timedelta(days=offset))
day_lists = st.lists(days, max_size=25)
streaks = day_lists.map(from_days)  # every reachable streak


def run_of(*values: str) -> Streak:
    return from_days(date.fromisoformat(value) for value in values)


def extended(active: list[date]) -> Streak:
    """`extend` applied to each day in turn, as the in-place counter does for in-order days."""
    streak = Streak()
    for day in active:
        after = extend(streak, day)
        assert after is not None, f"{day} is not on or after {streak.last_active_on}"
        streak = after
    return streak


# --- from_days ------------------------------------------------------------------------------------


def test_no_active_days_is_no_streak() -> None:
    assert from_days([]) == Streak() == Streak(0, 0, None)
    assert longest_run([]) == 0


def test_one_active_day_is_a_streak_of_one() -> None:
    assert run_of("2026-03-10") == Streak(1, 1, date(2026, 3, 10))


def test_consecutive_days_make_one_run() -> None:
    assert run_of("2026-03-10", "2026-03-11", "2026-03-12") == Streak(3, 3, date(2026, 3, 12))


def test_a_missed_day_starts_a_new_run_but_the_longest_is_remembered() -> None:
    streak = run_of("2026-03-01", "2026-03-02", "2026-03-03", "2026-03-05", "2026-03-06")
    assert streak == Streak(2, 3, date(2026, 3, 6))


def test_the_run_is_the_one_ending_on_the_last_active_day_even_if_short() -> None:
    assert run_of("2026-03-01", "2026-03-02", "2026-03-09") == Streak(1, 2, date(2026, 3, 9))


def test_the_longest_run_can_be_the_latest_one() -> None:
    streak = run_of("2026-03-01", "2026-03-03", "2026-03-04", "2026-03-05")
    assert streak == Streak(3, 3, date(2026, 3, 5))


def test_longest_run_is_the_longest_of_from_days() -> None:
    assert longest_run([date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 4)]) == 2


def test_from_days_accepts_any_iterable_once() -> None:
    generator = (START + timedelta(days=offset) for offset in (2, 0, 1))
    assert from_days(generator) == Streak(3, 3, START + timedelta(days=2))


@fast
@given(active=day_lists, data=st.data())
def test_from_days_ignores_order_and_duplicates(active: list[date], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(active))
    duplicated = data.draw(st.lists(st.sampled_from(active), max_size=10)) if active else []
    expected = from_days(sorted(set(active)))
    assert from_days(shuffled) == expected
    assert from_days([*shuffled, *duplicated]) == expected


@fast
@given(active=day_lists)
def test_the_longest_run_is_at_least_the_current_run(active: list[date]) -> None:
    streak = from_days(active)
    assert 0 <= streak.run <= streak.longest <= len(set(active))
    assert (streak.last_active_on is None) == (not active)
    if active:
        assert streak.last_active_on == max(active)
        assert streak.run >= 1


@fast
@given(active=day_lists)
def test_the_run_ends_on_the_last_day_and_counts_back_without_a_gap(active: list[date]) -> None:
    streak = from_days(active)
    unique = set(active)
    if streak.last_active_on is None:
        return
    run_days = {streak.last_active_on - k * ONE_DAY for k in range(streak.run)}
    assert run_days <= unique
    assert streak.last_active_on - streak.run * ONE_DAY not in unique


@fast
@given(active=day_lists)
def test_the_longest_run_is_the_longest_stretch_of_consecutive_days(active: list[date]) -> None:
    unique = set(active)
    # Brute force: the longest k such that some day starts k consecutive active days.
    best = 0
    for first in unique:
        k = 0
        while first + k * ONE_DAY in unique:
            k += 1
        best = max(best, k)
    assert longest_run(active) == best


# --- extend ---------------------------------------------------------------------------------------


def test_a_first_active_day_starts_a_streak_of_one() -> None:
    assert extend(Streak(), TODAY) == Streak(1, 1, TODAY)


def test_the_next_day_extends_the_run() -> None:
    assert extend(Streak(4, 6, TODAY), TODAY + ONE_DAY) == Streak(5, 6, TODAY + ONE_DAY)


def test_extending_past_the_longest_run_raises_the_longest() -> None:
    assert extend(Streak(6, 6, TODAY), TODAY + ONE_DAY) == Streak(7, 7, TODAY + ONE_DAY)


def test_a_later_day_after_a_gap_restarts_the_run_and_keeps_the_longest() -> None:
    assert extend(Streak(4, 6, TODAY), TODAY + 2 * ONE_DAY) == Streak(1, 6, TODAY + 2 * ONE_DAY)


def test_the_same_day_again_leaves_the_streak_as_it_is() -> None:
    streak = Streak(4, 6, TODAY)
    assert extend(streak, TODAY) is streak


def test_an_earlier_day_cannot_be_extended_in_place() -> None:
    assert extend(Streak(4, 6, TODAY), TODAY - ONE_DAY) is None
    assert extend(Streak(1, 1, TODAY), date(2000, 1, 1)) is None


def test_a_first_day_keeps_a_longest_run_already_recorded() -> None:
    # Stats rows without a last day but with a longest run (e.g. migrated) keep their record.
    assert extend(Streak(0, 5, None), TODAY) == Streak(1, 5, TODAY)


@fast
@given(active=day_lists)
def test_extending_day_by_day_in_order_equals_building_from_the_days(active: list[date]) -> None:
    assert extended(sorted(active)) == from_days(active)


@fast
@given(before=day_lists, after=day_lists)
def test_extending_an_existing_streak_with_later_days_equals_building_from_all_of_them(
    before: list[date], after: list[date]
) -> None:
    streak = from_days(before)
    later = [day + timedelta(days=41) for day in sorted(after)]  # all on or after the last day
    for day in later:
        next_streak = extend(streak, day)
        assert next_streak is not None
        streak = next_streak
    assert streak == from_days([*before, *later])


@fast
@given(active=st.lists(days, min_size=1, max_size=25), day=days)
def test_extend_either_agrees_with_from_days_or_asks_for_a_rebuild(
    active: list[date], day: date
) -> None:
    streak = from_days(active)
    after = extend(streak, day)
    if after is None:
        assert streak.last_active_on is not None
        assert day < streak.last_active_on
    else:
        assert after == from_days([*active, day])


# --- current --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_active_on", "current"),
    [
        (TODAY + ONE_DAY, 3),  # a day ahead of "today" (another clock's today): still running
        (TODAY, 3),
        (TODAY - ONE_DAY, 3),  # yesterday: today is not over, the streak is not lost yet
        (TODAY - 2 * ONE_DAY, 0),  # a whole day was missed
        (TODAY - 30 * ONE_DAY, 0),
    ],
)
def test_the_current_streak_survives_until_a_whole_day_is_missed(
    last_active_on: date, current: int
) -> None:
    assert Streak(3, 8, last_active_on).current(TODAY) == current


def test_no_activity_ever_is_a_current_streak_of_zero() -> None:
    assert Streak().current(TODAY) == 0


@fast
@given(streak=streaks, today=days)
def test_the_current_streak_is_the_run_or_zero(streak: Streak, today: date) -> None:
    current = streak.current(today)
    assert current in (0, streak.run)
    last = streak.last_active_on
    alive = last is not None and last >= today - ONE_DAY
    assert current == (streak.run if alive else 0)


# --- the calendar ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("2026-01-31", "2026-02-01"),  # month end
        ("2026-04-30", "2026-05-01"),  # 30-day month end
        ("2026-02-28", "2026-03-01"),  # February of a common year
        ("2026-12-31", "2027-01-01"),  # year end
        ("2028-02-29", "2028-03-01"),  # leap day to March
        ("2100-02-28", "2100-03-01"),  # 2100 is not a leap year
        ("2000-02-29", "2000-03-01"),  # 2000 is
    ],
)
def test_consecutive_calendar_days_across_month_and_year_ends_make_a_run(
    first: str, then: str
) -> None:
    start = date.fromisoformat(first)
    extended_once = extend(Streak(1, 1, start), date.fromisoformat(then))
    assert extended_once == Streak(2, 2, date.fromisoformat(then))
    assert run_of(first, then) == Streak(2, 2, date.fromisoformat(then))


def test_a_leap_day_joins_february_and_march_into_one_run() -> None:
    leap = ["2028-02-27", "2028-02-28", "2028-02-29", "2028-03-01", "2028-03-02"]
    assert run_of(*leap) == Streak(5, 5, date(2028, 3, 2))
    assert extended([date.fromisoformat(day) for day in leap]) == Streak(5, 5, date(2028, 3, 2))


def test_skipping_the_leap_day_breaks_the_run() -> None:
    assert run_of("2028-02-27", "2028-02-28", "2028-03-01") == Streak(1, 2, date(2028, 3, 1))
    assert extend(Streak(2, 2, date(2028, 2, 28)), date(2028, 3, 1)) == Streak(
        1, 2, date(2028, 3, 1)
    )


def test_a_run_through_new_year_keeps_counting() -> None:
    new_year = [date(2026, 12, 30) + k * ONE_DAY for k in range(5)]  # Dec 30 to Jan 3
    assert from_days(new_year) == Streak(5, 5, date(2027, 1, 3))
    assert extended(new_year) == from_days(new_year)
    assert from_days(new_year).current(date(2027, 1, 4)) == 5
    assert from_days(new_year).current(date(2027, 1, 5)) == 0


def test_a_streak_is_alive_on_the_first_of_march_after_a_leap_day() -> None:
    assert Streak(2, 2, date(2028, 2, 29)).current(date(2028, 3, 1)) == 2
    assert Streak(2, 2, date(2028, 2, 28)).current(date(2028, 3, 1)) == 0  # Feb 29 was missed
    assert Streak(2, 2, date(2027, 2, 28)).current(date(2027, 3, 1)) == 2  # no Feb 29 in 2027


def test_a_whole_leap_year_of_days_is_a_run_of_366() -> None:
    year = [date(2028, 1, 1) + k * ONE_DAY for k in range(366)]
    assert year[-1] == date(2028, 12, 31)
    assert from_days(reversed(year)) == Streak(366, 366, date(2028, 12, 31))
    assert extended(year) == Streak(366, 366, date(2028, 12, 31))
