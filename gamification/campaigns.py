"""Campaign rules: who is targeted, who is held out, and whether the offer worked.

The holdout is drawn from a hash of the campaign key and the member id, so the same member is
always in the same group of the same campaign (a rerun, a second worker, a replay all agree),
and different campaigns draw independently. The uplift is the difference between the treated
and held-out groups' shares of members active again, with a 95 % Wald interval.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile
_BUCKETS = 10_000


def is_held_out(campaign_key: str, member_id: str, holdout_percent: int) -> bool:
    if not 0 <= holdout_percent <= 50:
        raise ValueError(f"holdout is 0 to 50 percent, got {holdout_percent}")
    digest = hashlib.sha256(f"{campaign_key}:{member_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % _BUCKETS < holdout_percent * (_BUCKETS // 100)


@dataclass(frozen=True)
class Target:
    """Members match when they match every non-empty set (an empty one asks nothing)."""

    segments: frozenset[str] = frozenset()
    churn_risks: frozenset[str] = frozenset()
    tiers: frozenset[str] = frozenset()


def matches(target: Target, segment: str | None, churn_risk: str | None, tier: str | None) -> bool:
    return all(
        not wanted or (value is not None and value in wanted)
        for wanted, value in (
            (target.segments, segment),
            (target.churn_risks, churn_risk),
            (target.tiers, tier),
        )
    )


@dataclass(frozen=True)
class Uplift:
    estimate: float
    low: float
    high: float


def uplift(treated_active: int, treated: int, holdout_active: int, holdout: int) -> Uplift:
    """Share active among the treated minus among the held out, with its 95 % interval. With
    an empty group nothing is known: 0 within (-1, 1)."""
    if treated <= 0 or holdout <= 0:
        return Uplift(0.0, -1.0, 1.0)
    p1, p0 = treated_active / treated, holdout_active / holdout
    error = math.sqrt(p1 * (1 - p1) / treated + p0 * (1 - p0) / holdout)
    estimate = p1 - p0
    return Uplift(estimate, max(-1.0, estimate - Z_95 * error), min(1.0, estimate + Z_95 * error))
