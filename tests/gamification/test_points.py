"""Specification of which ledger entries count as earned points (`gamification.points`).

Earned points raise a member's lifetime total and their leaderboard scores. Entries that give
back or take away points the member already had (redemptions, expiries, reversals) move the
balance but are not earnings, even when their amount is positive.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.points import (
    MAX_POINTS_TOTAL,
    clamp_to_int,
    counts_as_earned,
    credit_overflow,
    fitting_credit,
    totals_overflow,
)

EARNING = ["ACTION", "CHALLENGE", "BADGE", "REFERRAL", "CONTENT", "ADJUSTMENT", "BONUS"]
NOT_EARNING = ["REDEMPTION", "EXPIRY", "REVERSAL"]


@pytest.mark.parametrize("reason", EARNING)
def test_a_positive_credit_for_an_earning_reason_counts_as_earned(reason: str) -> None:
    assert counts_as_earned(reason, 1)
    assert counts_as_earned(reason, 1_000_000)


@pytest.mark.parametrize("reason", EARNING)
def test_a_debit_or_an_empty_entry_never_counts_as_earned(reason: str) -> None:
    assert not counts_as_earned(reason, 0)
    assert not counts_as_earned(reason, -1)
    assert not counts_as_earned(reason, -500)


@pytest.mark.parametrize("reason", NOT_EARNING)
def test_redemptions_expiries_and_reversals_never_count_even_when_positive(reason: str) -> None:
    # e.g. a reversed redemption gives points back: the balance rises, the lifetime total doesn't.
    assert not counts_as_earned(reason, 100)
    assert not counts_as_earned(reason, -100)
    assert not counts_as_earned(reason, 0)


def test_the_reason_must_match_exactly_to_be_excluded() -> None:
    assert counts_as_earned("redemption", 5)  # reasons are upper-case enum values
    assert counts_as_earned("", 5)


@settings(max_examples=100, deadline=None)
@given(reason=st.sampled_from(EARNING + NOT_EARNING) | st.text(), amount=st.integers())
def test_an_entry_counts_as_earned_exactly_when_positive_and_not_a_give_back(
    reason: str, amount: int
) -> None:
    assert counts_as_earned(reason, amount) == (amount > 0 and reason not in NOT_EARNING)


def test_a_credit_that_fits_graphqls_int_is_allowed_up_to_the_last_point() -> None:
    assert credit_overflow(MAX_POINTS_TOTAL - 10, 0, 10, "ADJUSTMENT") is None
    assert credit_overflow(MAX_POINTS_TOTAL - 10, 0, 11, "ADJUSTMENT") is not None


def test_an_earned_credit_may_not_take_lifetime_points_past_the_int() -> None:
    assert credit_overflow(0, MAX_POINTS_TOTAL, 1, "ADJUSTMENT") is not None
    # A refund moves only the balance: lifetime points are not earned again.
    assert credit_overflow(0, MAX_POINTS_TOTAL, 1, "REVERSAL") is None


def test_a_debit_always_fits() -> None:
    assert credit_overflow(MAX_POINTS_TOTAL, MAX_POINTS_TOTAL, -MAX_POINTS_TOTAL, "EXPIRY") is None


def test_totals_are_checked_after_a_chain_of_credits() -> None:
    assert totals_overflow(MAX_POINTS_TOTAL, MAX_POINTS_TOTAL) is None
    assert totals_overflow(MAX_POINTS_TOTAL + 1, 0) is not None
    assert totals_overflow(0, MAX_POINTS_TOTAL + 1) is not None


def test_a_stored_total_is_clamped_into_the_int() -> None:
    assert clamp_to_int(2 * MAX_POINTS_TOTAL) == MAX_POINTS_TOTAL
    assert clamp_to_int(-2 * MAX_POINTS_TOTAL) == -MAX_POINTS_TOTAL - 1
    assert clamp_to_int(42) == 42


@given(
    balance=st.integers(min_value=0, max_value=MAX_POINTS_TOTAL),
    extra=st.integers(min_value=0, max_value=MAX_POINTS_TOTAL),
    amount=st.integers(min_value=-(2**40), max_value=2**40),
    reason=st.sampled_from(EARNING + NOT_EARNING),
)
def test_the_fitting_part_of_a_credit_fits_and_is_all_of_it_when_it_can_be(
    balance: int, extra: int, amount: int, reason: str
) -> None:
    lifetime = min(MAX_POINTS_TOTAL, balance + extra)
    fitting = fitting_credit(balance, lifetime, amount, reason)
    assert credit_overflow(balance, lifetime, fitting, reason) is None
    if credit_overflow(balance, lifetime, amount, reason) is None:
        assert fitting == amount
    else:
        assert 0 <= fitting < amount
        # Nothing more would have fitted.
        assert credit_overflow(balance, lifetime, fitting + 1, reason) is not None
