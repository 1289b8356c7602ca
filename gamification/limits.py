"""Whether an interaction earns its points: limits per calendar period and cooldowns.

The domain layer gathers the facts (how many awarded interactions of the action the member has in
each limited period, and the nearest awarded ones in time) and this module decides. Interactions
may be processed out of order (backdated imports, retries), so a cooldown looks both ways.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from gamification.periods import Period
from gamification.reasons import InteractionReason


class Outcome(StrEnum):
    AWARDED = "AWARDED"
    CAPPED = "CAPPED"
    REJECTED = "REJECTED"


@dataclass(frozen=True)
class Limit:
    period: Period
    max: int


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reason: str | None = None

    @property
    def awarded(self) -> bool:
        return self.outcome is Outcome.AWARDED


AWARD = Decision(Outcome.AWARDED)
LIMIT_REACHED = Decision(Outcome.CAPPED, InteractionReason.LIMIT_REACHED)
# Final at once, at recording or in the worker: the action is not (or no longer) defined.
UNKNOWN_ACTION = Decision(Outcome.REJECTED, InteractionReason.UNKNOWN_ACTION)
INACTIVE_ACTION = Decision(Outcome.REJECTED, InteractionReason.INACTIVE_ACTION)
COOLDOWN = Decision(Outcome.CAPPED, InteractionReason.COOLDOWN)


def check_limits(limits: Sequence[Limit], awarded_in_period: Mapping[Period, int]) -> Decision:
    """CAPPED when any limit's period already holds `max` awarded interactions."""
    for limit in limits:
        if awarded_in_period.get(limit.period, 0) >= limit.max:
            return LIMIT_REACHED
    return AWARD


def check_cooldown(
    cooldown_seconds: int,
    occurred_at: datetime,
    previous_award: datetime | None,
    next_award: datetime | None,
) -> Decision:
    """CAPPED when an awarded interaction lies less than the cooldown away, before or after."""
    if cooldown_seconds <= 0:
        return AWARD
    gap = timedelta(seconds=cooldown_seconds)
    for neighbour in (previous_award, next_award):
        # In UTC: between two datetimes of one ZoneInfo Python subtracts wall clocks, which
        # is off by the DST shift around a change.
        if neighbour is not None and abs(_utc(occurred_at) - _utc(neighbour)) < gap:
            return COOLDOWN
    return AWARD


def decide(
    limits: Sequence[Limit],
    cooldown_seconds: int,
    occurred_at: datetime,
    awarded_in_period: Mapping[Period, int],
    previous_award: datetime | None,
    next_award: datetime | None,
) -> Decision:
    """Limits first (the more common cap, and the one members understand), then the cooldown."""
    decision = check_limits(limits, awarded_in_period)
    if not decision.awarded:
        return decision
    return check_cooldown(cooldown_seconds, occurred_at, previous_award, next_award)


def validate_limits(limits: Sequence[Limit]) -> str | None:
    """A problem with an action's limits, in words, or None when they make sense."""
    seen: set[Period] = set()
    for limit in limits:
        if limit.max < 1:
            return "a limit's max must be at least 1 (deactivate the action to stop awards)"
        if limit.max > 1_000_000:
            return "a limit's max must be at most 1000000"
        if limit.period in seen:
            return f"more than one limit for period {limit.period.value}"
        seen.add(limit.period)
    return None


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
