"""Tiers: which tier a member's qualifying points earn, when they move, and what a tier multiplies.

Members climb at once and fall slowly. Qualifying points are the credits of a rolling window, so
they drop as old credits age out; a member keeps a tier until `retain_until` (the moment they
reached it plus the retention) and only a re-evaluation after that may move them down. Spending
never lowers qualifying points, so redeeming a reward never costs a member their tier.

The domain layer stores a `TierState` per member, sums their qualifying points (see
`counts_as_qualifying` and `window_start`), and calls `on_credit` after every credit and
`reevaluate` from the daily job for members where `is_due` holds.

A member's tier may leave the ladder when an admin archives it (or, for the built-in base tier,
when an admin defines a threshold-0 tier). Such a member still ranks by the threshold of the tier
they hold, `held_threshold`, which the domain reads from the archived row; the base tier's is 0.
A tier nobody can find ranks lowest, so the member falls to the tier their points meet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

from gamification.actions import ACTION_KEY, MAX_KEY_LENGTH, Problem
from gamification.text import within

DEFAULT_WINDOW_DAYS = 365
DEFAULT_RETENTION_DAYS = 365
MAX_NAME_LENGTH = 100
MAX_MULTIPLIER = 100.0
MAX_BENEFITS = 20
MAX_BENEFIT_LENGTH = 200

# Entries that give back or take away points a member already had. The rule reads "every positive
# credit except REVERSAL"; REDEMPTION and EXPIRY only ever debit, so excluding them as well changes
# nothing today and keeps a positive correction of either from buying tier status.
_NOT_QUALIFYING = frozenset({"REDEMPTION", "EXPIRY", "REVERSAL"})


@dataclass(frozen=True)
class TierRule:
    """A tier an admin defined (or the built-in base tier)."""

    key: str
    name: str
    threshold: int
    multiplier: float = 1.0
    benefits: tuple[str, ...] = ()
    archived: bool = False


BASE_TIER = TierRule(key="base", name="Base", threshold=0)


@dataclass(frozen=True)
class TierState:
    """The tier a member holds, since when, and until when they keep it whatever their points.

    `retain_until` is None for the lowest tier: there is nothing to fall to.
    """

    key: str
    since: datetime
    retain_until: datetime | None


# --- the ladder -----------------------------------------------------------------------------------


def ladder(defined: Iterable[TierRule]) -> list[TierRule]:
    """The tiers members can hold, lowest first: never empty, and the first has threshold 0.

    Archived tiers are left out. Until a tier with threshold 0 is defined, `BASE_TIER` is the
    first rung. Thresholds are unique among active tiers (`validate_tier`); should two collide
    anyway, the first in `defined` order is kept so that the answer stays deterministic.
    """
    rungs: dict[int, TierRule] = {}
    for tier in defined:
        if not tier.archived and tier.threshold >= 0:
            rungs.setdefault(tier.threshold, tier)
    ordered = [rungs[threshold] for threshold in sorted(rungs)]
    if not ordered or ordered[0].threshold > 0:
        ordered.insert(0, BASE_TIER)
    return ordered


def tier_for(qualifying: int, ladder: Sequence[TierRule]) -> TierRule:
    """The highest tier whose threshold `qualifying` meets (the lowest tier below every one)."""
    _require_rungs(ladder)
    reached = ladder[0]
    for tier in ladder:
        if tier.threshold <= qualifying:
            reached = tier
    return reached


def rank_of(key: str, ladder: Sequence[TierRule], held_threshold: int | None = None) -> int:
    """The threshold a member holding tier `key` ranks at.

    The ladder's own threshold when `key` is on it; otherwise `held_threshold` (an archived
    tier's), 0 for the built-in base tier, and 0 for a tier nobody can find.
    """
    for tier in ladder:
        if tier.key == key:
            return tier.threshold
    if held_threshold is not None:
        return held_threshold
    return 0


def next_tier(
    current_key: str, ladder: Sequence[TierRule], held_threshold: int | None = None
) -> TierRule | None:
    """The first tier above the one held, or None at the top."""
    rank = rank_of(current_key, ladder, held_threshold)
    return next((tier for tier in ladder if tier.threshold > rank), None)


def points_to_next(
    qualifying: int,
    current_key: str,
    ladder: Sequence[TierRule],
    held_threshold: int | None = None,
) -> int | None:
    """Qualifying points still missing for the next tier (never negative), or None at the top."""
    upcoming = next_tier(current_key, ladder, held_threshold)
    if upcoming is None:
        return None
    return max(0, upcoming.threshold - qualifying)


# --- qualifying points ----------------------------------------------------------------------------


def counts_as_qualifying(reason: str, amount: int) -> bool:
    """True for ledger entries that count toward tier qualification: earned credits."""
    return amount > 0 and reason not in _NOT_QUALIFYING


def window_start(now: datetime, window_days: int = DEFAULT_WINDOW_DAYS) -> datetime:
    """The first instant (inclusive, in UTC) of the rolling qualification window ending at `now`.

    Days are 24 hours of elapsed time, so a DST change inside the window does not move its edge.
    """
    return _utc(now) - timedelta(days=window_days)


def in_window(at: datetime, now: datetime, window_days: int = DEFAULT_WINDOW_DAYS) -> bool:
    """Whether an entry effective `at` lies in the window [window_start, now]."""
    return window_start(now, window_days) <= _utc(at) <= _utc(now)


def qualifying_points(
    entries: Iterable[tuple[int, datetime, str]],
    now: datetime,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> int:
    """The sum of the qualifying (amount, at, reason) ledger entries inside the window."""
    return sum(
        amount
        for amount, at, reason in entries
        if counts_as_qualifying(reason, amount) and in_window(at, now, window_days)
    )


# --- moving between tiers -------------------------------------------------------------------------


def initial_state(
    qualifying: int,
    ladder: Sequence[TierRule],
    now: datetime,
    retention_days: int = DEFAULT_RETENTION_DAYS,
) -> TierState:
    """A member placed for the first time: the tier their points meet, reached now."""
    tier = tier_for(qualifying, ladder)
    return TierState(tier.key, now, _retain_until(tier, ladder, now, retention_days))


def on_credit(
    state: TierState,
    qualifying: int,
    ladder: Sequence[TierRule],
    now: datetime,
    retention_days: int = DEFAULT_RETENTION_DAYS,
    held_threshold: int | None = None,
) -> TierState:
    """The state after a credit brought qualifying points to `qualifying`: upgrades only.

    A member whose points meet a tier ranked above the one they hold moves at once to the
    highest tier met, reached now. A member whose tier left the ladder and whose points meet a
    tier of the same rank moves to it (its successor) and keeps `since` and `retain_until`.
    Anything else leaves the state as it is: a credit never moves a member down.
    """
    target = tier_for(qualifying, ladder)
    rank = rank_of(state.key, ladder, held_threshold)
    if target.threshold > rank:
        return TierState(target.key, now, _retain_until(target, ladder, now, retention_days))
    if target.threshold == rank and target.key != state.key:
        retain_until = None if target.key == ladder[0].key else state.retain_until
        return TierState(target.key, state.since, retain_until)
    return state


def is_due(state: TierState, ladder: Sequence[TierRule], now: datetime) -> bool:
    """Whether the daily job should re-evaluate this member now.

    When `retain_until` has passed, and also when a member without one (the lowest tier)
    holds a tier that left the ladder, e.g. the base tier once a threshold-0 tier is defined.
    """
    if state.retain_until is not None:
        return _utc(state.retain_until) <= _utc(now)
    return all(tier.key != state.key for tier in ladder)


def reevaluate(
    state: TierState,
    qualifying: int,
    ladder: Sequence[TierRule],
    now: datetime,
    retention_days: int = DEFAULT_RETENTION_DAYS,
    held_threshold: int | None = None,
) -> TierState:
    """The state after the daily job looked at a member; unchanged unless `is_due`.

    The member moves to the tier their current qualifying points meet. At the same rank as
    before they keep `since` and retention extends to now + retention; otherwise the tier is
    reached now. The lowest tier never has a `retain_until`.
    """
    if not is_due(state, ladder, now):
        return state
    target = tier_for(qualifying, ladder)
    same_rank = target.threshold == rank_of(state.key, ladder, held_threshold)
    since = state.since if same_rank else now
    return TierState(target.key, since, _retain_until(target, ladder, now, retention_days))


# --- tiered points --------------------------------------------------------------------------------


def multiply(points: int, multiplier: float) -> int:
    """`points` times `multiplier` rounded down, computed exactly on the multiplier as written.

    `Decimal(str(1.1))` is 1.1 where the float is 1.0999...; so 10 times 1.1 gives 11, not 10.
    """
    product = Decimal(points) * Decimal(str(multiplier))
    return int(product.to_integral_value(rounding=ROUND_FLOOR))


# --- validation -----------------------------------------------------------------------------------


def validate_tier(tier: TierRule, others: Iterable[TierRule] = ()) -> list[Problem]:
    """Every problem with a tier definition, given the other tiers defined (archived included).

    `others` excludes the tier itself when it is being updated. Keys are unique among all tiers,
    archived ones included, since member states name them; thresholds are unique among active
    tiers. The key `base` is the built-in tier's and so is only for a threshold-0 tier that
    takes its place.
    """
    problems: list[Problem] = []
    others = list(others)
    if len(tier.key) > MAX_KEY_LENGTH or not ACTION_KEY.fullmatch(tier.key):
        problems.append(
            Problem(
                ("input", "key"),
                "key must be lowercase dot-separated words, e.g. gold "
                f"(at most {MAX_KEY_LENGTH} characters)",
            )
        )
    elif any(other.key == tier.key for other in others):
        problems.append(Problem(("input", "key"), f"another tier already has key {tier.key}"))
    elif tier.key == BASE_TIER.key and tier.threshold != 0:
        problems.append(
            Problem(("input", "key"), "key base is reserved for a tier with threshold 0")
        )
    if not within(tier.name, MAX_NAME_LENGTH):
        problems.append(
            Problem(("input", "name"), f"name must be 1 to {MAX_NAME_LENGTH} characters")
        )
    if tier.threshold < 0:
        problems.append(Problem(("input", "threshold"), "threshold must be at least 0"))
    elif not tier.archived:
        clash = next((o for o in others if not o.archived and o.threshold == tier.threshold), None)
        if clash is not None:
            problems.append(
                Problem(
                    ("input", "threshold"),
                    f"tier {clash.key} already has threshold {tier.threshold}",
                )
            )
    if not 0 < tier.multiplier <= MAX_MULTIPLIER:  # also refuses NaN
        problems.append(
            Problem(
                ("input", "multiplier"),
                f"multiplier must be above 0 and at most {MAX_MULTIPLIER:g}",
            )
        )
    if len(tier.benefits) > MAX_BENEFITS:
        problems.append(Problem(("input", "benefits"), f"at most {MAX_BENEFITS} benefits per tier"))
    for index, benefit in enumerate(tier.benefits):
        if not within(benefit, MAX_BENEFIT_LENGTH):
            problems.append(
                Problem(
                    ("input", "benefits", str(index)),
                    f"a benefit must be 1 to {MAX_BENEFIT_LENGTH} characters",
                )
            )
    return problems


def _retain_until(
    tier: TierRule, ladder: Sequence[TierRule], now: datetime, retention_days: int
) -> datetime | None:
    if tier.key == ladder[0].key:
        return None
    return _utc(now) + timedelta(days=retention_days)


def _require_rungs(ladder: Sequence[TierRule]) -> None:
    if not ladder:
        raise ValueError("a ladder has at least one tier; build it with ladder()")


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
    return moment.astimezone(UTC)
