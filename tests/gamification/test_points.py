"""Specification of which ledger entries count as earned points (`gamification.points`).

Earned points raise a member's lifetime total and their leaderboard scores. Entries that give
back or take away points the member already had (redemptions, expiries, reversals) move the
balance but are not earnings, even when their amount is positive.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.points import counts_as_earned

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
