"""Specification of campaign rules (`gamification.campaigns`): the holdout draw, targeting and
the uplift with its confidence interval.

The draw must be a pure function of (campaign, member): the same answer on every worker and
every rerun, the promised share over many members, nested as the percent grows, and unrelated
between campaigns. Targeting is "every non-empty set matches". The uplift is the difference of
two shares with a 95 % Wald interval, which should cover the true difference about 95 % of the
time.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from gamification.campaigns import (
    MAX_HOLDOUT_PERCENT,
    Z_95,
    GroupSummary,
    Target,
    Uplift,
    campaign_uplift,
    group_summary,
    holdout_bucket,
    is_held_out,
    matches,
    uplift,
)

fast = settings(max_examples=100, deadline=None)
keys = st.text(max_size=30)
member_ids = st.text(max_size=30) | st.integers(min_value=0, max_value=10**12)
percents = st.integers(min_value=0, max_value=MAX_HOLDOUT_PERCENT)
names = st.sampled_from(["AT_RISK", "LOYAL", "LOST", "HIGH", "LOW", "gold", "silver"])
name_sets = st.frozensets(names, max_size=3)
maybe_name = st.none() | names


# --- the holdout draw --------------------------------------------------------------------------


def test_the_bucket_is_the_first_eight_bytes_of_the_hash_modulo_ten_thousand() -> None:
    digest = hashlib.sha256(b"winback-dec:member-17").digest()
    assert holdout_bucket("winback-dec", "member-17") == int.from_bytes(digest[:8], "big") % 10_000


@fast
@given(key=keys, member=member_ids, percent=percents)
def test_a_member_is_held_out_when_their_bucket_is_below_the_percent(
    key: str, member: str | int, percent: int
) -> None:
    bucket = holdout_bucket(key, member)
    assert 0 <= bucket < 10_000
    assert is_held_out(key, member, percent) == (bucket < percent * 100)
    assert is_held_out(key, member, percent) == is_held_out(key, member, percent)  # every time


@fast
@given(key=keys, member=member_ids, low=percents, high=percents)
def test_holdouts_are_nested_a_larger_percent_only_adds_members(
    key: str, member: str | int, low: int, high: int
) -> None:
    low, high = min(low, high), max(low, high)
    if is_held_out(key, member, low):
        assert is_held_out(key, member, high)


@fast
@given(key=keys, member=member_ids)
def test_nobody_is_held_out_of_a_campaign_without_a_holdout(key: str, member: str | int) -> None:
    assert not is_held_out(key, member, 0)


@fast
@given(key=keys, member=st.integers(min_value=0, max_value=10**12), percent=percents)
def test_an_integer_id_draws_as_its_decimal_string(key: str, member: int, percent: int) -> None:
    assert is_held_out(key, member, percent) == is_held_out(key, str(member), percent)


@pytest.mark.parametrize("percent", [1, 10, 25, 30, 50])
def test_the_holdout_share_is_close_to_the_percent(percent: int) -> None:
    members = 20_000
    held = sum(is_held_out("winback", f"m{n}", percent) for n in range(members))
    share, expected = held / members, percent / 100
    # Four standard errors of a share over 20,000 members (at most 0.014 percentage points).
    assert abs(share - expected) < 4 * math.sqrt(expected * (1 - expected) / members)


def test_two_campaigns_draw_independently() -> None:
    members = 8_000
    first = [is_held_out("a", f"m{n}", 50) for n in range(members)]
    second = [is_held_out("b", f"m{n}", 50) for n in range(members)]
    both = sum(x and y for x, y in zip(first, second, strict=True))
    assert abs(both / members - 0.25) < 4 * math.sqrt(0.25 * 0.75 / members)
    assert first != second


@pytest.mark.parametrize("percent", [-1, 51, 100, True, 10.0, "10"])
def test_a_holdout_beyond_zero_to_fifty_whole_percent_is_refused(percent: object) -> None:
    with pytest.raises(ValueError):
        is_held_out("a", "m", percent)  # type: ignore[arg-type]


# --- targeting ---------------------------------------------------------------------------------


@fast
@given(
    segments=name_sets,
    risks=name_sets,
    tiers=name_sets,
    segment=maybe_name,
    risk=maybe_name,
    tier=maybe_name,
)
def test_a_member_matches_when_every_non_empty_set_holds_their_value(
    segments: frozenset[str],
    risks: frozenset[str],
    tiers: frozenset[str],
    segment: str | None,
    risk: str | None,
    tier: str | None,
) -> None:
    def holds(wanted: frozenset[str], value: str | None) -> bool:
        return len(wanted) == 0 or value in wanted

    expected = holds(segments, segment) and holds(risks, risk) and holds(tiers, tier)
    assert matches(Target(segments, risks, tiers), segment, risk, tier) == expected


def test_an_empty_target_is_everybody_even_members_nobody_has_measured() -> None:
    assert matches(Target(), None, None, None)
    assert matches(Target(), "LOYAL", "LOW", "gold")


def test_every_non_empty_list_must_match() -> None:
    target = Target(frozenset({"AT_RISK", "CANNOT_LOSE"}), frozenset({"HIGH"}))
    assert matches(target, "AT_RISK", "HIGH", "gold")
    assert matches(target, "CANNOT_LOSE", "HIGH", None)  # no tier asked, none needed
    assert not matches(target, "AT_RISK", "LOW", "gold")
    assert not matches(target, "LOYAL", "HIGH", "gold")


def test_a_member_without_a_segment_or_band_is_not_in_a_list_for_them() -> None:
    assert not matches(Target(segments=frozenset({"AT_RISK"})), None, "HIGH", "gold")
    assert not matches(Target(churn_risks=frozenset({"HIGH"})), "AT_RISK", None, "gold")
    assert not matches(Target(tiers=frozenset({"gold"})), "AT_RISK", "HIGH", None)


def test_enum_members_match_their_names() -> None:
    from gamification.churn import ChurnRisk
    from gamification.rfm import RfmSegment

    target = Target(frozenset({RfmSegment.AT_RISK}), frozenset({"HIGH"}))
    assert matches(target, "AT_RISK", ChurnRisk.HIGH, None)


# --- the uplift --------------------------------------------------------------------------------


def test_z_is_the_normal_quantile_of_a_two_sided_95_percent_interval() -> None:
    assert pytest.approx(float(norm.ppf(0.975)), abs=1e-15) == Z_95


def test_uplift_by_hand() -> None:
    """60 of 100 treated came back, 10 of 100 held out: +50 points, standard error
    sqrt(0.6 * 0.4 / 100 + 0.1 * 0.9 / 100) = sqrt(0.0033) = 0.05745, so 0.3874 to 0.6126."""
    found = uplift(60, 100, 10, 100)
    error = math.sqrt(0.0033)
    assert found.estimate == pytest.approx(0.5)
    assert found.low == pytest.approx(0.5 - 1.959963984540054 * error)
    assert found.high == pytest.approx(0.5 + 1.959963984540054 * error)
    assert (round(found.low, 4), round(found.high, 4)) == (0.3874, 0.6126)


def test_uplift_by_hand_with_unequal_groups_and_a_negative_effect() -> None:
    """30 of 900 treated against 5 of 100 held out: 3.33 % - 5 % = -1.67 points."""
    found = uplift(30, 900, 5, 100)
    p1, p0 = 30 / 900, 0.05
    error = math.sqrt(p1 * (1 - p1) / 900 + p0 * (1 - p0) / 100)
    assert found.estimate == pytest.approx(-1 / 60)
    assert (found.low, found.high) == pytest.approx(
        (-1 / 60 - Z_95 * error, -1 / 60 + Z_95 * error)
    )
    assert found.low < 0 < found.high  # this campaign cannot tell


groups = st.tuples(st.integers(1, 5_000), st.floats(0, 1)).map(lambda g: (round(g[1] * g[0]), g[0]))


@fast
@given(treated=groups, holdout=groups, factor=st.integers(2, 50))
def test_the_interval_contains_the_estimate_and_narrows_with_more_members(
    treated: tuple[int, int], holdout: tuple[int, int], factor: int
) -> None:
    small = uplift(*treated, *holdout)
    assert -1 <= small.low <= small.estimate <= small.high <= 1
    # The same shares over `factor` times the members: the same estimate, a narrower interval.
    large = uplift(
        treated[0] * factor, treated[1] * factor, holdout[0] * factor, holdout[1] * factor
    )
    assert large.estimate == pytest.approx(small.estimate)
    assert large.high - large.low <= small.high - small.low + 1e-12
    unclipped = small.low > -1 and small.high < 1
    if unclipped and small.high > small.low:
        assert large.high - large.low == pytest.approx((small.high - small.low) / math.sqrt(factor))


@fast
@given(treated=groups, holdout=groups)
def test_swapping_the_groups_mirrors_the_uplift(
    treated: tuple[int, int], holdout: tuple[int, int]
) -> None:
    forward, backward = uplift(*treated, *holdout), uplift(*holdout, *treated)
    assert backward == Uplift(-forward.estimate, -forward.high, -forward.low)


def test_the_interval_covers_the_true_difference_about_95_percent_of_the_time() -> None:
    rng = np.random.default_rng(7)
    trials, n1, n0, p1, p0 = 4_000, 400, 200, 0.35, 0.25
    treated = rng.binomial(n1, p1, trials)
    held = rng.binomial(n0, p0, trials)
    covered = sum(
        (found := uplift(int(t), n1, int(h), n0)).low <= p1 - p0 <= found.high
        for t, h in zip(treated, held, strict=True)
    )
    assert abs(covered / trials - 0.95) < 0.015


def test_with_an_empty_group_nothing_is_known() -> None:
    assert uplift(3, 10, 0, 0) == Uplift(0.0, -1.0, 1.0)
    assert uplift(0, 0, 3, 10) == Uplift(0.0, -1.0, 1.0)
    assert uplift(0, 0, 0, 0) == Uplift(0.0, -1.0, 1.0)


def test_with_shares_of_exactly_zero_or_one_the_wald_interval_has_no_width() -> None:
    assert uplift(10, 10, 0, 10) == Uplift(1.0, 1.0, 1.0)
    assert uplift(0, 10, 0, 10) == Uplift(0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("counts"), [(-1, 10, 0, 10), (11, 10, 0, 10), (0, 10, 5, 4), (0, -1, 0, 1)]
)
def test_more_active_members_than_members_is_refused(counts: tuple[int, int, int, int]) -> None:
    with pytest.raises(ValueError):
        uplift(*counts)


# --- group summaries ---------------------------------------------------------------------------


def test_a_group_summary_counts_returns_within_7_and_30_days_and_averages_points() -> None:
    summary = group_summary([1, 7, 8, 30, 31, None], [100, 0, 50, 0, 10, 0])
    assert summary == GroupSummary(
        members=6, active_within_7=2, active_within_30=4, points_earned=160
    )
    assert summary.active_within_7_days == pytest.approx(2 / 6)
    assert summary.active_within_30_days == pytest.approx(4 / 6)
    assert summary.points_earned_per_member == pytest.approx(160 / 6)


def test_an_empty_group_has_shares_of_zero() -> None:
    empty = group_summary([], [])
    assert (empty.members, empty.active_within_7_days, empty.points_earned_per_member) == (0, 0, 0)


def test_group_summaries_need_aligned_inputs_and_returns_after_the_draw() -> None:
    with pytest.raises(ValueError):
        group_summary([1, 2], [0])
    with pytest.raises(ValueError):
        group_summary([0], [0])  # the draw's own day is not a return


def test_the_campaign_uplift_is_of_the_30_day_share() -> None:
    treated = group_summary([1] * 60 + [40] * 40, [0] * 100)
    holdout = group_summary([20] * 10 + [None] * 90, [0] * 100)
    assert campaign_uplift(treated, holdout) == uplift(60, 100, 10, 100)
