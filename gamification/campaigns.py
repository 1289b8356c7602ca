"""Campaign rules: who is targeted, who is held out, and whether the offer worked.

A surprise reward only proves itself against members who did not get it, so every campaign
holds out a share of its targeted members at random and compares the two groups afterwards.

- The holdout is drawn from a hash of the campaign key and the member id, not from a random
  generator: the same member is always in the same group of the same campaign (a rerun, a
  second worker, a replay all agree, with nothing to store first), and different campaigns draw
  independently of each other.
- A target is three sets (segments, churn bands, tiers) and answer conditions
  (`gamification.offers`); a member must match every non-empty set and meet every condition, and
  an empty one asks nothing.
- The result is the difference between the treated and held-out groups' shares of members
  active again, with a 95 % Wald interval: the textbook interval for a difference of two
  proportions, simple enough to explain to the program manager reading it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from gamification.offers import AnswerCondition, LatestAnswers, meets

# The standard normal's 97.5th percentile, scipy.stats.norm.ppf(0.975) (the test checks it).
Z_95 = 1.959963984540054
MAX_HOLDOUT_PERCENT = 50
# A member's draw is a bucket 0..9,999 (1/100 of a percent); held out below percent * 100.
_BUCKETS = 10_000


def holdout_bucket(campaign_key: str, member_id: str | int) -> int:
    """The member's bucket in the campaign, 0 to 9,999: the first 8 bytes of
    sha256("<campaign key>:<member id>") as a big-endian integer, modulo 10,000. (2^64 is not a
    multiple of 10,000, which favours the lowest buckets by about one part in 10^15.)"""
    digest = hashlib.sha256(f"{campaign_key}:{member_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % _BUCKETS


def is_held_out(campaign_key: str, member_id: str | int, holdout_percent: int) -> bool:
    """Whether the member is in the campaign's holdout. Member ids are the program's strings;
    an integer id draws exactly as its decimal string does (42 and "42" are one member)."""
    if (
        isinstance(holdout_percent, bool)
        or not isinstance(holdout_percent, int)
        or not 0 <= holdout_percent <= MAX_HOLDOUT_PERCENT
    ):
        raise ValueError(
            f"a holdout is a whole percent from 0 to {MAX_HOLDOUT_PERCENT}, got {holdout_percent!r}"
        )
    return holdout_bucket(campaign_key, member_id) < holdout_percent * (_BUCKETS // 100)


@dataclass(frozen=True)
class Target:
    """Who a campaign is for: segment names, churn bands, tier keys and answer conditions. A
    member matches when they match every non-empty set and meet every condition; an empty set
    asks nothing, so `Target()` is everybody."""

    segments: frozenset[str] = frozenset()
    churn_risks: frozenset[str] = frozenset()
    tiers: frozenset[str] = frozenset()
    answers: tuple[AnswerCondition, ...] = ()


def matches(
    target: Target,
    segment: str | None,
    churn_risk: str | None,
    tier: str | None,
    answers: LatestAnswers | None = None,
) -> bool:
    """Whether a member with this segment, churn band, tier and latest answers is targeted.
    None (no segment before the first refresh, no band before the first fit, no tier) never
    matches a non-empty set: a campaign for AT_RISK members is not for members nobody has
    measured yet; and no answer meets no condition."""
    return meets(target.answers, answers or {}) and all(
        not wanted or (value is not None and value in wanted)
        for wanted, value in (
            (target.segments, segment),
            (target.churn_risks, churn_risk),
            (target.tiers, tier),
        )
    )


@dataclass(frozen=True)
class Uplift:
    """Treated share minus held-out share, and its 95 % confidence interval [low, high]."""

    estimate: float
    low: float
    high: float


def uplift(treated_active: int, treated_n: int, holdout_active: int, holdout_n: int) -> Uplift:
    """The difference of the two groups' shares of active members, with a 95 % Wald interval.

    estimate = p1 - p0 with p1 = treated_active / treated_n, p0 = holdout_active / holdout_n,
    and estimate -/+ Z_95 * sqrt(p1 (1 - p1) / treated_n + p0 (1 - p0) / holdout_n), clipped to
    [-1, 1] (no difference of shares lies outside). With an empty group nothing is known: the
    estimate is 0 and the interval (-1, 1), everything possible. Like every Wald interval it
    is degenerate (zero width) when both shares are 0 or 1, and it is only trustworthy with a
    few dozen members per group.
    """
    for active, n, group in (
        (treated_active, treated_n, "treated"),
        (holdout_active, holdout_n, "holdout"),
    ):
        if not 0 <= active <= n:
            raise ValueError(f"the {group} group has 0 <= active <= members, got {active} of {n}")
    if treated_n == 0 or holdout_n == 0:
        return Uplift(0.0, -1.0, 1.0)
    p1, p0 = treated_active / treated_n, holdout_active / holdout_n
    error = math.sqrt(p1 * (1 - p1) / treated_n + p0 * (1 - p0) / holdout_n)
    estimate = p1 - p0
    return Uplift(estimate, max(-1.0, estimate - Z_95 * error), min(1.0, estimate + Z_95 * error))


@dataclass(frozen=True)
class GroupSummary:
    """One group's outcome (the contract's CampaignGroup), and its counts for `uplift`."""

    members: int
    active_within_7: int
    active_within_30: int
    points_earned: int

    @property
    def active_within_7_days(self) -> float:
        return self.active_within_7 / self.members if self.members else 0.0

    @property
    def active_within_30_days(self) -> float:
        return self.active_within_30 / self.members if self.members else 0.0

    @property
    def points_earned_per_member(self) -> float:
        return self.points_earned / self.members if self.members else 0.0


def group_summary(
    days_to_return: Sequence[int | None], points_earned: Sequence[int]
) -> GroupSummary:
    """A group's summary from, per member, the days from the day of their draw to their first
    active day after it (1 = the next day; None = not back yet) and the points they earned since
    (the campaign's own bonus excluded). Active within N days means back on day 1 to N; an
    empty group has shares of 0."""
    if len(days_to_return) != len(points_earned):
        raise ValueError("one return and one points figure per member")
    if any(days is not None and days < 1 for days in days_to_return):
        raise ValueError("a return is counted from the day after the draw: 1 or more days")
    return GroupSummary(
        members=len(days_to_return),
        active_within_7=sum(1 for days in days_to_return if days is not None and days <= 7),
        active_within_30=sum(1 for days in days_to_return if days is not None and days <= 30),
        points_earned=sum(points_earned),
    )


def campaign_uplift(treated: GroupSummary, holdout: GroupSummary) -> Uplift:
    """The uplift the contract reports: of the 30-day share, treated minus holdout."""
    return uplift(
        treated.active_within_30, treated.members, holdout.active_within_30, holdout.members
    )
