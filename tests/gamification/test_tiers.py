"""Specification of tiers (`gamification.tiers`).

Members climb at once when their qualifying points (earned credits of a rolling window) meet a
higher threshold, and fall only when the daily job re-evaluates them after `retain_until`.
ACTION points are multiplied by the tier's multiplier, rounded down, exactly.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gamification.actions import MAX_KEY_LENGTH, Problem
from gamification.tiers import (
    BASE_TIER,
    DEFAULT_RETENTION_DAYS,
    DEFAULT_WINDOW_DAYS,
    TierRule,
    TierState,
    counts_as_qualifying,
    in_window,
    initial_state,
    is_due,
    ladder,
    multiply,
    next_tier,
    on_credit,
    points_to_next,
    qualifying_points,
    rank_of,
    reevaluate,
    tier_for,
    validate_tier,
    window_start,
)

NOW = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
YEAR = timedelta(days=365)

SILVER = TierRule("silver", "Silver", 1_000, 1.1, ("Free shipping",))
GOLD = TierRule("gold", "Gold", 5_000, 1.5, ("Free shipping", "Early access"))
PLATINUM = TierRule("platinum", "Platinum", 20_000, 2.0)
LADDER = ladder([GOLD, SILVER, PLATINUM])  # base, silver, gold, platinum

fast = settings(max_examples=50, deadline=None)
points = st.integers(min_value=0, max_value=50_000)
thresholds = st.lists(st.integers(min_value=0, max_value=30_000), min_size=0, max_size=6)


@st.composite
def ladders(draw: st.DrawFn) -> list[TierRule]:
    values = draw(thresholds)
    defined = [TierRule(f"tier{i}", f"Tier {i}", t) for i, t in enumerate(values)]
    return ladder(defined)


def placed(
    key: str, since: datetime = NOW - 10 * DAY, retain: timedelta | None = YEAR
) -> TierState:
    return TierState(key, since, None if retain is None else since + retain)


# --- the ladder -----------------------------------------------------------------------------------


def test_the_built_in_base_tier_is_free_plain_and_for_everyone() -> None:
    assert TierRule("base", "Base", 0, 1.0, (), False) == BASE_TIER


def test_without_defined_tiers_everyone_is_in_the_base_tier() -> None:
    assert ladder([]) == [BASE_TIER]
    assert tier_for(0, ladder([])) == BASE_TIER
    assert tier_for(10**9, ladder([])) == BASE_TIER


def test_the_ladder_sorts_active_tiers_by_threshold_above_the_base_tier() -> None:
    assert LADDER == [BASE_TIER, SILVER, GOLD, PLATINUM]


def test_archived_tiers_are_not_on_the_ladder() -> None:
    archived_gold = TierRule("gold", "Gold", 5_000, archived=True)
    assert ladder([SILVER, archived_gold]) == [BASE_TIER, SILVER]


def test_the_first_threshold_zero_tier_takes_the_place_of_the_base_tier() -> None:
    bronze = TierRule("bronze", "Bronze", 0)
    copper = TierRule("copper", "Copper", 0)
    assert ladder([SILVER, bronze, copper]) == [bronze, SILVER]


def test_an_archived_threshold_zero_tier_leaves_the_base_tier_in_place() -> None:
    bronze = TierRule("bronze", "Bronze", 0, archived=True)
    assert ladder([bronze, SILVER]) == [BASE_TIER, SILVER]


@fast
@given(values=thresholds)
def test_a_ladder_starts_at_zero_and_climbs_strictly(values: list[int]) -> None:
    rungs = ladder(TierRule(f"t{i}", "T", t) for i, t in enumerate(values))
    assert rungs[0].threshold == 0
    assert all(low.threshold < high.threshold for low, high in pairwise(rungs))
    assert {rung.threshold for rung in rungs} == {0, *values}


# --- tier_for, next_tier, points_to_next ----------------------------------------------------------


@pytest.mark.parametrize(
    ("qualifying", "key"),
    [
        (0, "base"),
        (999, "base"),
        (1_000, "silver"),  # a threshold is met by reaching it exactly
        (4_999, "silver"),
        (5_000, "gold"),
        (19_999, "gold"),
        (20_000, "platinum"),
        (10**9, "platinum"),
    ],
)
def test_a_member_is_in_the_highest_tier_whose_threshold_they_meet(
    qualifying: int, key: str
) -> None:
    assert tier_for(qualifying, LADDER).key == key


def test_negative_points_place_a_member_in_the_lowest_tier() -> None:
    assert tier_for(-5, LADDER) == BASE_TIER


def test_an_empty_ladder_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="at least one tier"):
        tier_for(10, [])


@fast
@given(rungs=ladders(), a=points, b=points)
def test_more_qualifying_points_never_mean_a_lower_tier(
    rungs: list[TierRule], a: int, b: int
) -> None:
    low, high = sorted((a, b))
    assert tier_for(low, rungs).threshold <= tier_for(high, rungs).threshold


@fast
@given(rungs=ladders(), qualifying=points)
def test_the_tier_for_some_points_is_met_and_the_next_one_is_not(
    rungs: list[TierRule], qualifying: int
) -> None:
    tier = tier_for(qualifying, rungs)
    assert tier in rungs
    assert tier.threshold <= qualifying
    upcoming = next_tier(tier.key, rungs)
    assert upcoming is None or upcoming.threshold > qualifying


def test_the_next_tier_is_the_one_just_above() -> None:
    assert next_tier("base", LADDER) == SILVER
    assert next_tier("silver", LADDER) == GOLD
    assert next_tier("platinum", LADDER) is None


def test_the_next_tier_above_an_archived_tier_ranks_by_its_threshold() -> None:
    assert next_tier("legacy", LADDER, held_threshold=3_000) == GOLD
    assert next_tier("legacy", LADDER, held_threshold=20_000) is None


def test_points_to_next_is_what_is_missing_for_the_next_tier() -> None:
    assert points_to_next(0, "base", LADDER) == 1_000
    assert points_to_next(1_200, "silver", LADDER) == 3_800
    assert points_to_next(25_000, "platinum", LADDER) is None


def test_points_to_next_is_never_negative() -> None:
    # A member kept in silver mid-recalculation may already have gold's points.
    assert points_to_next(6_000, "silver", LADDER) == 0


def test_a_tier_ranks_by_its_threshold_on_or_off_the_ladder() -> None:
    assert rank_of("gold", LADDER) == 5_000
    assert rank_of("gold", LADDER, held_threshold=1) == 5_000  # the ladder's own wins
    assert rank_of("legacy", LADDER, held_threshold=3_000) == 3_000
    assert rank_of("base", [TierRule("bronze", "Bronze", 0), SILVER]) == 0
    assert rank_of("vanished", LADDER) == 0  # nobody can find it: it ranks lowest


# --- qualifying points ----------------------------------------------------------------------------

EARNING = ["ACTION", "CHALLENGE", "BADGE", "REFERRAL", "CONTENT", "ADJUSTMENT", "BONUS"]
GIVE_BACKS = ["REDEMPTION", "EXPIRY", "REVERSAL"]


@pytest.mark.parametrize("reason", EARNING)
def test_every_positive_earned_credit_qualifies(reason: str) -> None:
    assert counts_as_qualifying(reason, 1)
    assert not counts_as_qualifying(reason, 0)
    assert not counts_as_qualifying(reason, -10)


@pytest.mark.parametrize("reason", GIVE_BACKS)
def test_refunds_and_debits_never_qualify(reason: str) -> None:
    # A reversed redemption gives points back: it does not buy tier status.
    assert not counts_as_qualifying(reason, 100)
    assert not counts_as_qualifying(reason, -100)


def test_the_window_is_365_days_of_elapsed_time_by_default() -> None:
    assert DEFAULT_WINDOW_DAYS == DEFAULT_RETENTION_DAYS == 365
    assert window_start(NOW) == NOW - YEAR
    assert window_start(NOW, 30) == NOW - 30 * DAY


def test_the_window_start_ignores_dst_in_the_zone_now_is_written_in() -> None:
    paris_now = datetime(2026, 4, 1, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))  # 10:00 UTC
    assert window_start(paris_now, 7) == datetime(2026, 3, 25, 10, 0, tzinfo=UTC)


def test_the_window_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        window_start(datetime(2026, 1, 1))


def test_an_entry_is_in_the_window_from_its_start_to_now_inclusive() -> None:
    assert in_window(NOW - YEAR, NOW)
    assert in_window(NOW, NOW)
    assert not in_window(NOW - YEAR - timedelta(microseconds=1), NOW)
    assert not in_window(NOW + timedelta(seconds=1), NOW)


def test_qualifying_points_add_earned_credits_of_the_window_and_ignore_spending() -> None:
    entries = [
        (500, NOW - 400 * DAY, "ACTION"),  # too old
        (300, NOW - 100 * DAY, "ACTION"),
        (200, NOW - 50 * DAY, "BONUS"),
        (-400, NOW - 40 * DAY, "REDEMPTION"),  # spending never lowers them
        (400, NOW - 30 * DAY, "REVERSAL"),  # nor does a refund raise them
        (-50, NOW - 20 * DAY, "ADJUSTMENT"),
    ]
    assert qualifying_points(entries, NOW) == 500
    assert qualifying_points(entries, NOW, window_days=60) == 200


# --- moving between tiers -------------------------------------------------------------------------


def test_a_new_member_starts_in_the_tier_their_points_meet() -> None:
    assert initial_state(0, LADDER, NOW) == TierState("base", NOW, None)
    assert initial_state(1_500, LADDER, NOW) == TierState("silver", NOW, NOW + YEAR)


def test_a_credit_crossing_a_threshold_upgrades_at_once() -> None:
    state = initial_state(900, LADDER, NOW - 5 * DAY)
    assert on_credit(state, 1_000, LADDER, NOW) == TierState("silver", NOW, NOW + YEAR)


def test_a_credit_crossing_several_thresholds_goes_to_the_highest_met() -> None:
    state = initial_state(0, LADDER, NOW - 5 * DAY)
    assert on_credit(state, 21_000, LADDER, NOW).key == "platinum"


def test_a_credit_that_crosses_nothing_changes_nothing() -> None:
    state = placed("silver")
    assert on_credit(state, 4_999, LADDER, NOW) is state


def test_a_credit_never_moves_a_member_down_even_when_points_aged_out() -> None:
    state = placed("gold")
    assert on_credit(state, 10, LADDER, NOW) is state


def test_the_retention_is_configurable() -> None:
    state = initial_state(0, LADDER, NOW)
    assert on_credit(state, 5_000, LADDER, NOW, retention_days=90).retain_until == NOW + 90 * DAY


def test_a_member_of_an_archived_tier_upgrades_only_above_its_rank() -> None:
    state = placed("legacy")
    assert on_credit(state, 4_000, LADDER, NOW, held_threshold=3_000) is state
    upgraded = on_credit(state, 5_000, LADDER, NOW, held_threshold=3_000)
    assert upgraded == TierState("gold", NOW, NOW + YEAR)


def test_a_member_of_a_tier_nobody_can_find_falls_to_the_tier_their_points_meet() -> None:
    state = placed("vanished")
    assert on_credit(state, 1_200, LADDER, NOW) == TierState("silver", NOW, NOW + YEAR)
    assert on_credit(state, 10, LADDER, NOW) == TierState("base", state.since, None)


def test_base_members_move_to_the_threshold_zero_tier_that_replaces_base_on_a_credit() -> None:
    bronze = TierRule("bronze", "Bronze", 0)
    rungs = ladder([bronze, SILVER])
    state = TierState("base", NOW - 100 * DAY, None)
    assert on_credit(state, 10, rungs, NOW) == TierState("bronze", state.since, None)


def test_a_successor_at_the_same_rank_keeps_the_retention_of_the_archived_tier() -> None:
    state = placed("old_gold")
    new_gold = TierRule("new_gold", "Gold", 5_000)
    rungs = ladder([SILVER, new_gold])
    moved = on_credit(state, 6_000, rungs, NOW, held_threshold=5_000)
    assert moved == TierState("new_gold", state.since, state.retain_until)


def test_a_member_is_due_once_retain_until_has_passed() -> None:
    state = placed("gold", since=NOW - YEAR)  # retain_until is NOW
    assert not is_due(state, LADDER, NOW - timedelta(microseconds=1))
    assert is_due(state, LADDER, NOW)
    assert not is_due(TierState("base", NOW - 10 * YEAR, None), LADDER, NOW)


def test_a_member_of_a_lowest_tier_that_left_the_ladder_is_due() -> None:
    rungs = ladder([TierRule("bronze", "Bronze", 0), SILVER])
    assert is_due(TierState("base", NOW - DAY, None), rungs, NOW)


def test_reevaluation_before_retain_until_changes_nothing() -> None:
    state = placed("gold", since=NOW - 100 * DAY)
    assert reevaluate(state, 0, LADDER, NOW) is state


def test_reevaluation_keeping_the_tier_extends_retention_from_now() -> None:
    state = placed("gold", since=NOW - 400 * DAY)
    assert reevaluate(state, 7_000, LADDER, NOW) == TierState("gold", state.since, NOW + YEAR)


def test_reevaluation_moves_a_member_down_to_the_tier_their_points_meet() -> None:
    state = placed("platinum", since=NOW - 400 * DAY)
    assert reevaluate(state, 1_500, LADDER, NOW) == TierState("silver", NOW, NOW + YEAR)


def test_reevaluation_down_to_the_lowest_tier_ends_retention() -> None:
    state = placed("gold", since=NOW - 400 * DAY)
    assert reevaluate(state, 0, LADDER, NOW) == TierState("base", NOW, None)


def test_reevaluation_moves_up_when_points_meet_a_higher_tier() -> None:
    state = placed("silver", since=NOW - 400 * DAY)
    assert reevaluate(state, 5_000, LADDER, NOW) == TierState("gold", NOW, NOW + YEAR)


def test_reevaluation_moves_base_members_to_the_tier_that_replaced_base() -> None:
    rungs = ladder([TierRule("bronze", "Bronze", 0), SILVER])
    state = TierState("base", NOW - 100 * DAY, None)
    assert reevaluate(state, 0, rungs, NOW) == TierState("bronze", state.since, None)


def test_reevaluation_of_an_archived_tier_at_the_same_rank_keeps_since() -> None:
    state = placed("old_gold", since=NOW - 400 * DAY)
    rungs = ladder([TierRule("new_gold", "Gold", 5_000)])
    moved = reevaluate(state, 5_500, rungs, NOW, held_threshold=5_000)
    assert moved == TierState("new_gold", state.since, NOW + YEAR)


@fast
@given(rungs=ladders(), before=points, after=points, age=st.integers(min_value=0, max_value=800))
def test_a_credit_never_downgrades(
    rungs: list[TierRule], before: int, after: int, age: int
) -> None:
    state = initial_state(before, rungs, NOW - age * DAY)
    result = on_credit(state, after, rungs, NOW)
    assert rank_of(result.key, rungs) >= rank_of(state.key, rungs)
    assert result == state or result.key == tier_for(after, rungs).key


@fast
@given(rungs=ladders(), held=points, after=points)
def test_a_credit_never_ranks_a_member_of_an_archived_tier_below_it(
    rungs: list[TierRule], held: int, after: int
) -> None:
    state = placed("legacy")
    result = on_credit(state, after, rungs, NOW, held_threshold=held)
    assert rank_of(result.key, rungs, held_threshold=held) >= held


@fast
@given(
    rungs=ladders(), before=points, after=points, early=st.integers(min_value=1, max_value=10**6)
)
def test_reevaluation_never_acts_before_retain_until(
    rungs: list[TierRule], before: int, after: int, early: int
) -> None:
    state = initial_state(before, rungs, NOW - 10 * DAY)
    assume(state.retain_until is not None)
    assert state.retain_until is not None
    moment = state.retain_until - timedelta(seconds=early)
    assert reevaluate(state, after, rungs, moment) is state


@fast
@given(rungs=ladders(), before=points, after=points)
def test_after_reevaluation_a_member_holds_exactly_the_tier_their_points_meet(
    rungs: list[TierRule], before: int, after: int
) -> None:
    state = initial_state(before, rungs, NOW - 2 * YEAR)
    assume(is_due(state, rungs, NOW))
    result = reevaluate(state, after, rungs, NOW)
    assert result.key == tier_for(after, rungs).key
    lowest = result.key == rungs[0].key
    assert (result.retain_until is None) == lowest
    assert result.retain_until is None or result.retain_until == NOW + YEAR


# --- tiered points --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points_", "multiplier", "expected"),
    [
        (10, 1.1, 11),  # the float 1.1 is 1.0999...: naive float maths would give 10
        (100, 1.15, 115),
        (3, 2.5, 7),  # 7.5 rounds down
        (7, 1.0, 7),
        (0, 3.0, 0),
        (33, 0.5, 16),
        (1, 0.01, 0),
        (1_000_000, 100.0, 100_000_000),
        (3, 1.1, 3),  # 3.3 rounds down
    ],
)
def test_action_points_are_multiplied_and_rounded_down_exactly(
    points_: int, multiplier: float, expected: int
) -> None:
    assert multiply(points_, multiplier) == expected


@fast
@given(
    points_=st.integers(min_value=0, max_value=1_000_000),
    hundredths=st.integers(min_value=1, max_value=10_000),
)
def test_multiplying_by_a_two_decimal_multiplier_is_exact(points_: int, hundredths: int) -> None:
    multiplier = hundredths / 100
    exact = points_ * hundredths // 100
    assert multiply(points_, multiplier) == exact


@fast
@given(
    points_=st.integers(min_value=0, max_value=1_000_000),
    multiplier=st.floats(min_value=0.001, max_value=100, allow_nan=False),
)
def test_tiered_points_never_exceed_points_times_multiplier_by_even_a_fraction(
    points_: int, multiplier: float
) -> None:
    product = Decimal(points_) * Decimal(str(multiplier))
    result = multiply(points_, multiplier)
    assert result <= product < result + 1


# --- validation -----------------------------------------------------------------------------------


def fields(problems: list[Problem]) -> list[tuple[str, ...]]:
    return [problem.field for problem in problems]


def test_a_sensible_tier_has_no_problems() -> None:
    assert validate_tier(GOLD, [SILVER, PLATINUM]) == []
    assert validate_tier(TierRule("base", "Starter", 0)) == []


@pytest.mark.parametrize("key", ["", "Gold", "gold tier", "1gold", "gold.", "gold-tier"])
def test_a_tier_key_must_be_lowercase_dot_separated_words(key: str) -> None:
    assert fields(validate_tier(TierRule(key, "Gold", 10))) == [("input", "key")]


def test_a_tier_key_is_at_most_100_characters() -> None:
    assert validate_tier(TierRule("g" * MAX_KEY_LENGTH, "Gold", 10)) == []
    assert fields(validate_tier(TierRule("g" * 101, "Gold", 10))) == [("input", "key")]


def test_a_tier_key_is_unique_among_all_tiers_archived_included() -> None:
    archived = TierRule("gold", "Old gold", 7_000, archived=True)
    assert validate_tier(GOLD, [archived]) == [
        Problem(("input", "key"), "another tier already has key gold")
    ]


def test_the_key_base_is_only_for_a_tier_replacing_the_base_tier() -> None:
    problems = validate_tier(TierRule("base", "Base", 100))
    assert problems == [
        Problem(("input", "key"), "key base is reserved for a tier with threshold 0")
    ]


@pytest.mark.parametrize("name", ["", "   ", "n" * 101])
def test_a_tier_name_is_1_to_100_characters(name: str) -> None:
    assert fields(validate_tier(TierRule("gold", name, 10))) == [("input", "name")]
    assert validate_tier(TierRule("gold", "n" * 100, 10)) == []


def test_a_threshold_is_never_negative() -> None:
    assert fields(validate_tier(TierRule("gold", "Gold", -1))) == [("input", "threshold")]


def test_a_threshold_is_unique_among_active_tiers() -> None:
    twin = TierRule("gilded", "Gilded", 5_000)
    assert validate_tier(twin, [SILVER, GOLD]) == [
        Problem(("input", "threshold"), "tier gold already has threshold 5000")
    ]


def test_archived_tiers_do_not_block_a_threshold_nor_are_blocked() -> None:
    archived_twin = TierRule("gilded", "Gilded", 5_000, archived=True)
    assert validate_tier(archived_twin, [GOLD]) == []
    assert validate_tier(GOLD, [archived_twin]) == []


@pytest.mark.parametrize("multiplier", [0.0, -1.0, 100.01, float("inf"), float("nan")])
def test_a_multiplier_is_above_0_and_at_most_100(multiplier: float) -> None:
    problems = validate_tier(TierRule("gold", "Gold", 10, multiplier))
    assert problems == [
        Problem(("input", "multiplier"), "multiplier must be above 0 and at most 100")
    ]


@pytest.mark.parametrize("multiplier", [0.01, 1.0, 1.15, 100.0])
def test_multipliers_up_to_100_are_valid(multiplier: float) -> None:
    assert validate_tier(TierRule("gold", "Gold", 10, multiplier)) == []


def test_a_tier_has_at_most_20_benefits() -> None:
    assert validate_tier(TierRule("gold", "Gold", 10, benefits=("b",) * 20)) == []
    problems = validate_tier(TierRule("gold", "Gold", 10, benefits=("b",) * 21))
    assert fields(problems) == [("input", "benefits")]


def test_each_benefit_is_1_to_200_characters_and_is_reported_by_index() -> None:
    benefits = ("Free shipping", "x" * 201, "x" * 200, " ")
    problems = validate_tier(TierRule("gold", "Gold", 10, benefits=benefits))
    assert fields(problems) == [("input", "benefits", "1"), ("input", "benefits", "3")]


def test_names_and_benefits_are_measured_after_trimming_as_they_are_stored() -> None:
    padded = TierRule("gold", "  " + "G" * 100 + "\n", 10, benefits=("\t" + "x" * 200 + " ",))
    assert validate_tier(padded) == []


def test_every_problem_is_reported_at_once_in_field_order() -> None:
    tier = TierRule("Gold", "", -5, 0.0, ("",) * 21)
    assert fields(validate_tier(tier))[:5] == [
        ("input", "key"),
        ("input", "name"),
        ("input", "threshold"),
        ("input", "multiplier"),
        ("input", "benefits"),
    ]
