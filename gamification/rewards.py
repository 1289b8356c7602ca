"""Rewards: whether a member may redeem one now, and what a valid catalog entry is.

The domain layer gathers the facts (the member's balance, how many of this reward they hold,
the thresholds of their tier and of the tier the reward requires) and takes the stock and
balance under a lock; this module only decides.

When several reasons refuse a redemption, the one reported is the most lasting, so a member is
never sent to fix something that would not help:

1. INACTIVE: the reward is withdrawn, for everyone.
2. LIMIT_REACHED: this member has had all of it they may ever have.
3. TIER_REQUIRED: the member must first climb to a tier (weeks or months of earning).
4. OUT_OF_STOCK: nobody can have it until it is restocked.
5. INSUFFICIENT_POINTS: the member is a few points short.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from gamification.actions import ACTION_KEY, MAX_KEY_LENGTH, Problem


class RedemptionError(StrEnum):
    INACTIVE = "INACTIVE"
    LIMIT_REACHED = "LIMIT_REACHED"
    TIER_REQUIRED = "TIER_REQUIRED"
    OUT_OF_STOCK = "OUT_OF_STOCK"
    INSUFFICIENT_POINTS = "INSUFFICIENT_POINTS"


@dataclass(frozen=True)
class RewardRule:
    """The facts of a catalog entry that decide redemptions.

    `stock` None is unlimited; `per_member_limit` None is no limit; `required_tier` is a tier key.
    """

    cost: int
    stock: int | None = None
    per_member_limit: int | None = None
    required_tier: str | None = None
    active: bool = True


def check_redemption(
    reward: RewardRule,
    balance: int,
    member_redemptions: int,
    member_tier_threshold: int,
    required_tier_threshold: int | None,
) -> RedemptionError | None:
    """Why the member may not redeem one of `reward` now, or None when they may.

    `member_redemptions` counts the member's redemptions of this reward that were not reversed.
    Tiers compare by threshold, so any tier ranked at or above the required one qualifies.
    `required_tier_threshold` is the threshold of `reward.required_tier` (archived tiers
    included); when the reward requires a tier the domain could not find, pass None and the
    check fails closed. Precedence: see the module docstring.
    """
    if not reward.active:
        return RedemptionError.INACTIVE
    if reward.per_member_limit is not None and member_redemptions >= reward.per_member_limit:
        return RedemptionError.LIMIT_REACHED
    if reward.required_tier is not None and (
        required_tier_threshold is None or member_tier_threshold < required_tier_threshold
    ):
        return RedemptionError.TIER_REQUIRED
    if reward.stock is not None and reward.stock <= 0:
        return RedemptionError.OUT_OF_STOCK
    if balance < reward.cost:
        return RedemptionError.INSUFFICIENT_POINTS
    return None


def validate_reward(
    reward: RewardRule,
    tier_keys: Collection[str] | None = None,
    path: tuple[str, ...] = ("input",),
) -> list[Problem]:
    """Every problem with a reward's redemption facts, each at `path` + the field at fault.

    Cost at least 1 (a free reward would be a giveaway, not a redemption); stock None or at
    least 0 (0 is a sold-out entry kept in the catalog); perMemberLimit None or at least 1
    (deactivate the reward to stop redemptions); requiredTier None or a tier key, one of
    `tier_keys` when the caller gives them (the keys of the current ladder).
    """
    problems: list[Problem] = []
    if reward.cost < 1:
        problems.append(Problem((*path, "cost"), "cost must be at least 1"))
    if reward.stock is not None and reward.stock < 0:
        problems.append(
            Problem((*path, "stock"), "stock must be at least 0 (leave it out for unlimited)")
        )
    if reward.per_member_limit is not None and reward.per_member_limit < 1:
        problems.append(
            Problem(
                (*path, "perMemberLimit"),
                "perMemberLimit must be at least 1 (leave it out for no limit)",
            )
        )
    tier = reward.required_tier
    if tier is not None:
        if len(tier) > MAX_KEY_LENGTH or not ACTION_KEY.fullmatch(tier):
            problems.append(Problem((*path, "requiredTier"), "requiredTier must be a tier key"))
        elif tier_keys is not None and tier not in tier_keys:
            problems.append(Problem((*path, "requiredTier"), f"no active tier has key {tier}"))
    return problems
