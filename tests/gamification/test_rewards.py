"""Specification of redemptions and reward definitions (`gamification.rewards`).

A refused redemption reports one reason, the most lasting: INACTIVE, then LIMIT_REACHED, then
TIER_REQUIRED, then OUT_OF_STOCK, then INSUFFICIENT_POINTS.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.actions import Problem
from gamification.rewards import RedemptionError, RewardRule, check_redemption, validate_reward

MUG = RewardRule(cost=500, stock=10, per_member_limit=2, required_tier="gold")
GOLD = 5_000
SILVER = 1_000
ORDER = list(RedemptionError)

fast = settings(max_examples=64, deadline=None)


def fields(problems: list[Problem]) -> list[tuple[str, ...]]:
    return [problem.field for problem in problems]


# --- check_redemption -----------------------------------------------------------------------------


def test_a_member_who_meets_every_condition_may_redeem() -> None:
    assert check_redemption(MUG, 500, 1, GOLD, GOLD) is None


def test_the_errors_are_the_codes_of_the_api() -> None:
    assert [str(error) for error in ORDER] == [
        "INACTIVE",
        "LIMIT_REACHED",
        "TIER_REQUIRED",
        "OUT_OF_STOCK",
        "INSUFFICIENT_POINTS",
    ]


def test_an_inactive_reward_cannot_be_redeemed() -> None:
    inactive = RewardRule(cost=500, active=False)
    assert check_redemption(inactive, 10_000, 0, GOLD, None) is RedemptionError.INACTIVE


def test_a_member_who_had_their_share_cannot_redeem_again() -> None:
    assert check_redemption(MUG, 10_000, 2, GOLD, GOLD) is RedemptionError.LIMIT_REACHED
    assert check_redemption(MUG, 10_000, 3, GOLD, GOLD) is RedemptionError.LIMIT_REACHED


def test_without_a_per_member_limit_a_member_may_redeem_any_number_of_times() -> None:
    unlimited = RewardRule(cost=1)
    assert check_redemption(unlimited, 1, 10**6, 0, None) is None


def test_a_member_below_the_required_tier_cannot_redeem() -> None:
    assert check_redemption(MUG, 10_000, 0, SILVER, GOLD) is RedemptionError.TIER_REQUIRED


def test_a_member_above_the_required_tier_may_redeem() -> None:
    assert check_redemption(MUG, 10_000, 0, 20_000, GOLD) is None


def test_a_required_tier_nobody_can_find_fails_closed() -> None:
    assert check_redemption(MUG, 10_000, 0, 10**9, None) is RedemptionError.TIER_REQUIRED


def test_a_reward_without_a_required_tier_ignores_tiers() -> None:
    open_to_all = RewardRule(cost=100)
    assert check_redemption(open_to_all, 100, 0, 0, None) is None


def test_a_reward_with_no_stock_left_cannot_be_redeemed() -> None:
    sold_out = RewardRule(cost=100, stock=0)
    assert check_redemption(sold_out, 10_000, 0, 0, None) is RedemptionError.OUT_OF_STOCK


def test_unlimited_stock_never_runs_out() -> None:
    assert check_redemption(RewardRule(cost=100, stock=None), 100, 0, 0, None) is None


def test_a_member_needs_the_full_cost_in_their_balance() -> None:
    assert check_redemption(MUG, 499, 0, GOLD, GOLD) is RedemptionError.INSUFFICIENT_POINTS
    assert check_redemption(MUG, -20, 0, GOLD, GOLD) is RedemptionError.INSUFFICIENT_POINTS
    assert check_redemption(MUG, 500, 0, GOLD, GOLD) is None


def test_a_member_with_their_share_is_told_so_rather_than_to_climb_or_wait_for_stock() -> None:
    sold_out = RewardRule(cost=500, stock=0, per_member_limit=1, required_tier="gold")
    assert check_redemption(sold_out, 0, 1, SILVER, GOLD) is RedemptionError.LIMIT_REACHED


def test_a_member_below_the_tier_is_told_to_climb_rather_than_to_wait_for_stock() -> None:
    sold_out = RewardRule(cost=500, stock=0, required_tier="gold")
    assert check_redemption(sold_out, 0, 0, SILVER, GOLD) is RedemptionError.TIER_REQUIRED


@fast
@given(
    active=st.booleans(),
    limit_reached=st.booleans(),
    below_tier=st.booleans(),
    out_of_stock=st.booleans(),
    short=st.booleans(),
)
def test_the_reported_error_is_the_first_failing_condition_in_precedence_order(
    active: bool, limit_reached: bool, below_tier: bool, out_of_stock: bool, short: bool
) -> None:
    reward = RewardRule(
        cost=100,
        stock=0 if out_of_stock else 3,
        per_member_limit=1,
        required_tier="gold",
        active=active,
    )
    failing = [
        not active,
        limit_reached,
        below_tier,
        out_of_stock,
        short,
    ]
    expected = next((error for error, fails in zip(ORDER, failing, strict=True) if fails), None)
    balance = 99 if short else 100
    tier = SILVER if below_tier else GOLD
    assert check_redemption(reward, balance, int(limit_reached), tier, GOLD) == expected


# --- validate_reward ------------------------------------------------------------------------------


def test_a_sensible_reward_has_no_problems() -> None:
    assert validate_reward(MUG, {"base", "silver", "gold"}) == []
    assert validate_reward(RewardRule(cost=1, stock=0, per_member_limit=1)) == []


@pytest.mark.parametrize("cost", [0, -1])
def test_a_reward_costs_at_least_one_point(cost: int) -> None:
    assert validate_reward(RewardRule(cost=cost)) == [
        Problem(("input", "cost"), "cost must be at least 1")
    ]


def test_stock_is_unlimited_or_not_negative() -> None:
    assert fields(validate_reward(RewardRule(cost=1, stock=-1))) == [("input", "stock")]


@pytest.mark.parametrize("limit", [0, -3])
def test_a_per_member_limit_is_at_least_one(limit: int) -> None:
    problems = validate_reward(RewardRule(cost=1, per_member_limit=limit))
    assert fields(problems) == [("input", "perMemberLimit")]


@pytest.mark.parametrize("tier", ["", "Gold", "gold tier", "g" * 101])
def test_a_required_tier_is_a_tier_key(tier: str) -> None:
    problems = validate_reward(RewardRule(cost=1, required_tier=tier))
    assert problems == [Problem(("input", "requiredTier"), "requiredTier must be a tier key")]


def test_a_required_tier_must_be_on_the_ladder_when_the_caller_gives_it() -> None:
    reward = RewardRule(cost=1, required_tier="diamond")
    assert validate_reward(reward) == []
    assert validate_reward(reward, {"base", "gold"}) == [
        Problem(("input", "requiredTier"), "no active tier has key diamond")
    ]


def test_every_reward_problem_is_reported_at_once_under_the_given_path() -> None:
    reward = RewardRule(cost=0, stock=-1, per_member_limit=0, required_tier="X")
    assert fields(validate_reward(reward, path=("input", "reward"))) == [
        ("input", "reward", "cost"),
        ("input", "reward", "stock"),
        ("input", "reward", "perMemberLimit"),
        ("input", "reward", "requiredTier"),
    ]
