"""Specification of campaign rules (`gamification.campaigns`): the holdout draw, targeting and
the uplift with its confidence interval."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.campaigns import Target, is_held_out, matches, uplift

fast = settings(max_examples=100, deadline=None)


@pytest.mark.parametrize("percent", [0, 10, 30, 50])
def test_the_holdout_share_is_close_to_the_percent(percent: int) -> None:
    held = sum(is_held_out("winback", f"m{n}", percent) for n in range(20_000))
    assert abs(held / 20_000 - percent / 100) < 0.01


@fast
@given(key=st.text(max_size=20), member=st.text(max_size=20), percent=st.integers(0, 50))
def test_the_draw_is_the_same_every_time(key: str, member: str, percent: int) -> None:
    assert is_held_out(key, member, percent) == is_held_out(key, member, percent)
    assert not is_held_out(key, member, 0)


def test_two_campaigns_draw_independently() -> None:
    first = [is_held_out("a", f"m{n}", 50) for n in range(4000)]
    second = [is_held_out("b", f"m{n}", 50) for n in range(4000)]
    both = sum(x and y for x, y in zip(first, second, strict=True))
    assert abs(both / 4000 - 0.25) < 0.03


@pytest.mark.parametrize("percent", [-1, 51])
def test_a_holdout_beyond_zero_to_fifty_percent_is_refused(percent: int) -> None:
    with pytest.raises(ValueError):
        is_held_out("a", "m", percent)


def test_a_member_matches_every_non_empty_list_of_the_target() -> None:
    anyone = Target()
    assert matches(anyone, None, None, None)
    target = Target(frozenset({"AT_RISK", "CANNOT_LOSE"}), frozenset({"HIGH"}))
    assert matches(target, "AT_RISK", "HIGH", "gold")
    assert not matches(target, "AT_RISK", "LOW", "gold")
    assert not matches(target, "LOYAL", "HIGH", "gold")
    assert not matches(target, None, "HIGH", None)  # no segment yet: not targeted


def test_uplift_by_hand() -> None:
    found = uplift(60, 100, 10, 100)
    error = math.sqrt(0.6 * 0.4 / 100 + 0.1 * 0.9 / 100)
    assert found.estimate == pytest.approx(0.5)
    assert found.low == pytest.approx(0.5 - 1.959963984540054 * error)
    assert found.high == pytest.approx(0.5 + 1.959963984540054 * error)


@fast
@given(p1=st.floats(0, 1), p0=st.floats(0, 1), n=st.integers(1, 10_000), m=st.integers(1, 10_000))
def test_the_interval_contains_the_estimate_and_narrows_with_more_members(
    p1: float, p0: float, n: int, m: int
) -> None:
    small = uplift(round(p1 * n), n, round(p0 * m), m)
    assert -1 <= small.low <= small.estimate <= small.high <= 1
    large = uplift(round(p1 * n) * 4, n * 4, round(p0 * m) * 4, m * 4)
    assert large.high - large.low <= small.high - small.low + 1e-12


def test_with_an_empty_group_nothing_is_known() -> None:
    assert uplift(3, 10, 0, 0) == uplift(0, 0, 0, 0)
    assert (uplift(0, 0, 0, 0).low, uplift(0, 0, 0, 0).high) == (-1.0, 1.0)
