"""Specification of award limits and cooldowns (`gamification.limits`).

The domain layer counts the member's awarded interactions of the action in each limited period and
finds the nearest awarded ones before and after; these pure functions decide from those facts.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.limits import (
    AWARD,
    COOLDOWN,
    LIMIT_REACHED,
    Decision,
    Limit,
    Outcome,
    check_cooldown,
    check_limits,
    decide,
    validate_limits,
)
from gamification.periods import Period

NOW = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
HOUR = 3600
ONE_HOUR = timedelta(seconds=HOUR)

periods = st.sampled_from(list(Period))
limit_lists = st.lists(
    st.builds(Limit, period=periods, max=st.integers(min_value=1, max_value=50)), max_size=4
)
counts = st.dictionaries(periods, st.integers(min_value=0, max_value=60))
offsets = st.timedeltas(min_value=timedelta(days=-3), max_value=timedelta(days=3))
fast = settings(max_examples=80, deadline=None)


# --- decisions ------------------------------------------------------------------------------------


def test_an_award_is_the_only_decision_that_awards() -> None:
    assert (AWARD.outcome, AWARD.reason) == (Outcome.AWARDED, None)
    assert AWARD.awarded
    assert not LIMIT_REACHED.awarded
    assert not COOLDOWN.awarded
    assert not Decision(Outcome.REJECTED, "ANYTHING").awarded


def test_a_reached_limit_and_a_cooldown_both_cap_rather_than_reject() -> None:
    assert (LIMIT_REACHED.outcome, LIMIT_REACHED.reason) == (Outcome.CAPPED, "LIMIT_REACHED")
    assert (COOLDOWN.outcome, COOLDOWN.reason) == (Outcome.CAPPED, "COOLDOWN")


# --- limits ---------------------------------------------------------------------------------------


def test_an_action_without_limits_always_awards() -> None:
    assert check_limits([], {}) == AWARD
    assert check_limits([], {Period.DAY: 10_000, Period.LIFETIME: 10**9}) == AWARD


def test_a_limit_allows_exactly_max_awards_then_caps() -> None:
    limits = [Limit(Period.DAY, 3)]
    assert check_limits(limits, {Period.DAY: 0}) == AWARD
    assert check_limits(limits, {Period.DAY: 2}) == AWARD  # this is the third award: allowed
    assert check_limits(limits, {Period.DAY: 3}) == LIMIT_REACHED
    assert check_limits(limits, {Period.DAY: 4}) == LIMIT_REACHED


def test_a_limit_of_one_allows_a_single_award_per_period() -> None:
    limits = [Limit(Period.LIFETIME, 1)]
    assert check_limits(limits, {Period.LIFETIME: 0}) == AWARD
    assert check_limits(limits, {Period.LIFETIME: 1}) == LIMIT_REACHED


def test_a_period_missing_from_the_counts_has_no_awards_yet() -> None:
    assert check_limits([Limit(Period.WEEK, 1)], {}) == AWARD
    assert check_limits([Limit(Period.WEEK, 1)], {Period.DAY: 5}) == AWARD


def test_counts_for_periods_without_a_limit_are_ignored() -> None:
    assert check_limits([Limit(Period.DAY, 2)], {Period.DAY: 1, Period.MONTH: 999}) == AWARD


@pytest.mark.parametrize(
    ("awarded", "expected"),
    [
        ({Period.DAY: 2, Period.WEEK: 9}, AWARD),
        ({Period.DAY: 3, Period.WEEK: 5}, LIMIT_REACHED),  # the daily limit is the tight one
        ({Period.DAY: 1, Period.WEEK: 10}, LIMIT_REACHED),  # the weekly limit is the tight one
        ({Period.DAY: 0, Period.WEEK: 0, Period.MONTH: 20}, LIMIT_REACHED),
        ({Period.DAY: 3, Period.WEEK: 10, Period.MONTH: 20}, LIMIT_REACHED),
    ],
)
def test_with_several_limits_the_tightest_one_wins(
    awarded: dict[Period, int], expected: Decision
) -> None:
    limits = [Limit(Period.DAY, 3), Limit(Period.WEEK, 10), Limit(Period.MONTH, 20)]
    assert check_limits(limits, awarded) == expected


@fast
@given(limits=limit_lists, awarded=counts)
def test_an_interaction_is_capped_exactly_when_some_limit_is_already_full(
    limits: list[Limit], awarded: dict[Period, int]
) -> None:
    full = any(awarded.get(limit.period, 0) >= limit.max for limit in limits)
    assert check_limits(limits, awarded) == (LIMIT_REACHED if full else AWARD)


@fast
@given(limits=limit_lists, awarded=counts, seed=st.integers())
def test_the_order_of_the_limits_does_not_matter(
    limits: list[Limit], awarded: dict[Period, int], seed: int
) -> None:
    shuffled = list(limits)
    random.Random(seed).shuffle(shuffled)
    assert check_limits(shuffled, awarded) == check_limits(limits, awarded)


# --- cooldowns ------------------------------------------------------------------------------------


def test_without_neighbouring_awards_a_cooldown_never_caps() -> None:
    assert check_cooldown(HOUR, NOW, None, None) == AWARD


@pytest.mark.parametrize("cooldown", [0, -1, -HOUR])
def test_a_zero_or_negative_cooldown_never_caps_even_at_the_same_instant(cooldown: int) -> None:
    assert check_cooldown(cooldown, NOW, NOW, NOW) == AWARD


def test_an_award_shortly_before_caps_the_interaction() -> None:
    previous = NOW - timedelta(minutes=59)
    assert check_cooldown(HOUR, NOW, previous, None) == COOLDOWN


def test_a_cooldown_looks_forward_too_because_interactions_arrive_out_of_order() -> None:
    # A backdated import lands just before an interaction that was already awarded.
    following = NOW + timedelta(minutes=59)
    assert check_cooldown(HOUR, NOW, None, following) == COOLDOWN


def test_either_neighbour_within_the_cooldown_is_enough_to_cap() -> None:
    far = timedelta(hours=5)
    near = timedelta(minutes=10)
    assert check_cooldown(HOUR, NOW, NOW - far, NOW + near) == COOLDOWN
    assert check_cooldown(HOUR, NOW, NOW - near, NOW + far) == COOLDOWN
    assert check_cooldown(HOUR, NOW, NOW - far, NOW + far) == AWARD


def test_an_award_at_the_very_same_instant_caps_the_interaction() -> None:
    assert check_cooldown(1, NOW, NOW, None) == COOLDOWN
    assert check_cooldown(1, NOW, None, NOW) == COOLDOWN


def test_a_neighbour_exactly_one_cooldown_away_does_not_cap() -> None:
    # "CAPPED when an awarded interaction lies *less than* the cooldown away": equal is allowed.
    gap = timedelta(seconds=HOUR)
    assert check_cooldown(HOUR, NOW, NOW - gap, None) == AWARD
    assert check_cooldown(HOUR, NOW, None, NOW + gap) == AWARD
    assert check_cooldown(HOUR, NOW, NOW - gap, NOW + gap) == AWARD


def test_a_neighbour_one_microsecond_inside_the_cooldown_caps() -> None:
    gap = timedelta(seconds=HOUR) - timedelta(microseconds=1)
    assert check_cooldown(HOUR, NOW, NOW - gap, None) == COOLDOWN
    assert check_cooldown(HOUR, NOW, None, NOW + gap) == COOLDOWN


def test_a_cooldown_compares_instants_whatever_zone_each_is_written_in() -> None:
    previous = (NOW - timedelta(minutes=30)).astimezone(ZoneInfo("Pacific/Kiritimati"))
    following = (NOW + timedelta(minutes=30)).astimezone(ZoneInfo("Pacific/Pago_Pago"))
    assert check_cooldown(HOUR, NOW, previous, None) == COOLDOWN
    assert check_cooldown(HOUR, NOW, None, following) == COOLDOWN
    assert check_cooldown(1800, NOW, previous, following) == AWARD


def test_a_cooldown_measures_elapsed_time_across_a_dst_change_in_the_program_zone() -> None:
    paris = ZoneInfo("Europe/Paris")
    previous = datetime(2026, 3, 29, 1, 45, tzinfo=paris)  # 00:45 UTC
    occurred = datetime(2026, 3, 29, 3, 30, tzinfo=paris)  # 01:30 UTC, 45 minutes later
    assert occurred.astimezone(UTC) - previous.astimezone(UTC) == timedelta(minutes=45)
    assert check_cooldown(HOUR, occurred, previous, None) == COOLDOWN


@fast
@given(
    cooldown=st.integers(min_value=-10, max_value=2 * 24 * HOUR),
    before=st.none() | offsets,
    after=st.none() | offsets,
)
def test_a_cooldown_caps_exactly_when_a_neighbour_is_closer_than_it(
    cooldown: int, before: timedelta | None, after: timedelta | None
) -> None:
    previous = None if before is None else NOW - abs(before)
    following = None if after is None else NOW + abs(after)
    closest = [abs(d) for d in (before, after) if d is not None]
    close = cooldown > 0 and any(d < timedelta(seconds=cooldown) for d in closest)
    assert check_cooldown(cooldown, NOW, previous, following) == (COOLDOWN if close else AWARD)


# --- decide ---------------------------------------------------------------------------------------


def test_decide_awards_when_neither_limits_nor_cooldown_object() -> None:
    decision = decide([Limit(Period.DAY, 2)], HOUR, NOW, {Period.DAY: 1}, NOW - 2 * ONE_HOUR, None)
    assert decision == AWARD


def test_decide_reports_the_limit_before_the_cooldown_when_both_would_cap() -> None:
    decision = decide([Limit(Period.DAY, 1)], HOUR, NOW, {Period.DAY: 1}, NOW, NOW)
    assert decision == LIMIT_REACHED


def test_decide_reports_the_cooldown_when_only_the_cooldown_caps() -> None:
    decision = decide([Limit(Period.DAY, 5)], HOUR, NOW, {Period.DAY: 1}, None, NOW + ONE_HOUR / 2)
    assert decision == COOLDOWN


def test_decide_with_no_limits_and_no_cooldown_always_awards() -> None:
    assert decide([], 0, NOW, {}, NOW, NOW) == AWARD


@fast
@given(
    limits=limit_lists,
    awarded=counts,
    cooldown=st.integers(min_value=0, max_value=24 * HOUR),
    before=st.none() | offsets,
    after=st.none() | offsets,
)
def test_decide_is_the_limit_check_then_the_cooldown_check(
    limits: list[Limit],
    awarded: dict[Period, int],
    cooldown: int,
    before: timedelta | None,
    after: timedelta | None,
) -> None:
    previous = None if before is None else NOW - abs(before)
    following = None if after is None else NOW + abs(after)
    by_limits = check_limits(limits, awarded)
    expected = (
        by_limits if not by_limits.awarded else check_cooldown(cooldown, NOW, previous, following)
    )
    assert decide(limits, cooldown, NOW, awarded, previous, following) == expected


# --- validate_limits ------------------------------------------------------------------------------


def test_no_limits_are_valid() -> None:
    assert validate_limits([]) is None


def test_one_limit_per_period_is_valid_including_lifetime() -> None:
    limits = [Limit(period, 1) for period in Period]
    assert validate_limits(limits) is None


@pytest.mark.parametrize("maximum", [1, 2, 999_999, 1_000_000])
def test_a_limit_max_from_1_to_a_million_is_valid(maximum: int) -> None:
    assert validate_limits([Limit(Period.DAY, maximum)]) is None


@pytest.mark.parametrize("maximum", [0, -1, -1_000])
def test_a_limit_max_below_one_is_refused_in_favour_of_deactivating_the_action(
    maximum: int,
) -> None:
    problem = validate_limits([Limit(Period.DAY, maximum)])
    assert problem == "a limit's max must be at least 1 (deactivate the action to stop awards)"


@pytest.mark.parametrize("maximum", [1_000_001, 10**12])
def test_a_limit_max_above_a_million_is_refused(maximum: int) -> None:
    assert validate_limits([Limit(Period.WEEK, maximum)]) == "a limit's max must be at most 1000000"


@pytest.mark.parametrize("period", list(Period))
def test_two_limits_for_the_same_period_are_refused(period: Period) -> None:
    problem = validate_limits([Limit(period, 1), Limit(period, 5)])
    assert problem == f"more than one limit for period {period.value}"


def test_the_first_problem_in_list_order_is_the_one_reported() -> None:
    limits = [Limit(Period.DAY, 1), Limit(Period.DAY, 2), Limit(Period.WEEK, 0)]
    assert validate_limits(limits) == "more than one limit for period DAY"
    limits = [Limit(Period.WEEK, 0), Limit(Period.DAY, 1), Limit(Period.DAY, 2)]
    assert validate_limits(limits) == (
        "a limit's max must be at least 1 (deactivate the action to stop awards)"
    )


@fast
@given(limits=limit_lists)
def test_limits_are_valid_exactly_when_their_periods_are_distinct(limits: list[Limit]) -> None:
    distinct = len({limit.period for limit in limits}) == len(limits)
    assert (validate_limits(limits) is None) == distinct
