"""The tier ladder the award pipeline reads: the tiers defined, members' tier state, and the
qualifying points that place them.

The rules live in `gamification.tiers`; this module reads the rows they decide about. A member's
state is `Member.tier_key/tier_since/tier_retain_until` (a null key is the built-in base tier, a
null `since` the moment they joined). Upgrades happen inside the transaction of the credit that
earns them (the award chain, `domain.pipeline.chain.Chain`); downgrades only in the daily
`domain.points.tiers.reevaluate_due_tiers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.functions import Sum

from domain.infra.db import param, raw_timestamp
from domain.infra.settings import Settings
from domain.models import LedgerEntry, LedgerReason, Member, Tier
from gamification import tiers as rules
from gamification.tiers import BASE_TIER, TierRule, TierState

QUALIFYING_REASONS = [r.value for r in LedgerReason if rules.counts_as_qualifying(r.value, 1)]


@dataclass(frozen=True)
class TierPolicy:
    """The program's qualification window and retention, in days."""

    window_days: int = rules.DEFAULT_WINDOW_DAYS
    retention_days: int = rules.DEFAULT_RETENTION_DAYS

    @classmethod
    def of(cls, settings: Settings) -> TierPolicy:
        return cls(settings.tier_window_days, settings.tier_retention_days)


@dataclass(frozen=True)
class Ladder:
    """Every defined tier (archived included) and the ladder members can climb."""

    rows: dict[str, TierRule]
    rungs: list[TierRule]

    def held_threshold(self, key: str) -> int | None:
        """The threshold of a held tier that left the ladder (archived), for `rank_of`."""
        row = self.rows.get(key)
        return row.threshold if row is not None else None

    def rule(self, key: str) -> TierRule:
        """The tier a member with state key `key` holds (BASE_TIER when no row has it)."""
        for rung in self.rungs:
            if rung.key == key:
                return rung
        return self.rows.get(key, BASE_TIER)

    def shown(self, key: str) -> TierRule:
        """The tier shown to a member: the built-in base tier reads as the lowest rung."""
        if key == BASE_TIER.key and key not in self.rows:
            return self.rungs[0]
        return self.rule(key)

    def multiplier(self, member: Member) -> float:
        """The multiplier of the tier the member holds now (archived tiers included)."""
        return self.shown(state_of(member).key).multiplier

    def rank(self, key: str) -> int:
        return rules.rank_of(key, self.rungs, self.held_threshold(key))

    def threshold_of(self, key: str) -> int | None:
        """A tier's threshold, archived tiers included; None for an unknown key."""
        if key in self.rows:
            return self.rows[key].threshold
        return 0 if key == BASE_TIER.key else None

    @property
    def defined(self) -> bool:
        return bool(self.rows)


EMPTY_LADDER = Ladder({}, rules.ladder([]))


def rule_of(tier: Tier) -> TierRule:
    return TierRule(
        key=tier.key,
        name=tier.name,
        threshold=tier.threshold,
        multiplier=tier.multiplier,
        benefits=tuple(tier.benefits or ()),
        archived=tier.archived,
    )


async def load_ladder(connection: BaseDBAsyncClient | None = None) -> Ladder:
    query = Tier.all().order_by("threshold", "key")
    if connection is not None:
        query = query.using_db(connection)
    rows = {tier.key: rule_of(tier) for tier in await query}
    return Ladder(rows, rules.ladder(rows.values()))


def state_of(member: Member) -> TierState:
    return TierState(
        key=member.tier_key or BASE_TIER.key,
        since=member.tier_since or member.joined_at,
        retain_until=member.tier_retain_until,
    )


def store_state(member: Member, state: TierState) -> list[str]:
    member.tier_key = None if state.key == BASE_TIER.key else state.key
    member.tier_since = state.since
    member.tier_retain_until = state.retain_until
    return ["tier_key", "tier_since", "tier_retain_until"]


def _qualifying_filter(now: datetime, policy: TierPolicy) -> Q:
    return Q(
        amount__gt=0,
        reason__in=QUALIFYING_REASONS,
        effective_at__gte=rules.window_start(now, policy.window_days),
        effective_at__lte=now,
    )


async def qualifying_points(
    connection: BaseDBAsyncClient | None, member_id: str, now: datetime, policy: TierPolicy
) -> int:
    """One SUM over the member's qualifying ledger entries in the rolling window."""
    totals = await qualifying_points_of(connection, [member_id], now, policy)
    return totals.get(member_id, 0)


async def qualifying_points_of(
    connection: BaseDBAsyncClient | None,
    member_ids: Sequence[str],
    now: datetime,
    policy: TierPolicy,
) -> dict[str, int]:
    """Qualifying points of many members in one grouped query."""
    query = LedgerEntry.filter(_qualifying_filter(now, policy), member_id__in=list(member_ids))
    if connection is not None:
        query = query.using_db(connection)
    rows = (
        await query.annotate(total=Sum("amount")).group_by("member_id").values("member_id", "total")
    )
    return {str(row["member_id"]): int(row["total"] or 0) for row in rows}


@dataclass(frozen=True)
class Qualifying:
    """A member's qualifying points now, and the next moment they change by time alone (an
    entry leaving the rolling window, or a future-dated one entering it); None: never."""

    points: int
    changes_at: datetime | None


async def qualifying_standing_of(
    connection: BaseDBAsyncClient | None,
    member_ids: Sequence[str],
    now: datetime,
    policy: TierPolicy,
) -> dict[str, Qualifying]:
    """`qualifying_points_of`, and when each total next changes, in the same one grouped
    statement (the read side's: a cached answer must not outlive its total)."""
    if not member_ids:
        return {}
    connection = connection or connections.get("default")
    start = rules.window_start(now, policy.window_days)
    members = ", ".join(param(5 + n) for n in range(len(member_ids)))
    reasons = ", ".join(f"'{reason}'" for reason in QUALIFYING_REASONS)  # our own enum values
    sql = (
        "SELECT member_id, "
        f"SUM(CASE WHEN effective_at <= {param(1)} THEN amount ELSE 0 END) AS total, "
        f"MIN(CASE WHEN effective_at <= {param(2)} THEN effective_at END) AS oldest, "
        f"MIN(CASE WHEN effective_at > {param(3)} THEN effective_at END) AS coming "
        f"FROM ledger_entry WHERE amount > 0 AND reason IN ({reasons}) "
        f"AND effective_at >= {param(4)} AND member_id IN ({members}) GROUP BY member_id"
    )
    moment, first = raw_timestamp(now), raw_timestamp(start)
    rows = await connection.execute_query_dict(sql, [moment, moment, moment, first, *member_ids])
    # An entry is in the window up to and including `effective_at + window`: it has left it
    # one microsecond later (the datetimes' resolution).
    leaves = timedelta(days=policy.window_days, microseconds=1)
    found: dict[str, Qualifying] = {}
    for row in rows:
        oldest, coming = _instant(row["oldest"]), _instant(row["coming"])
        moments = [m for m in (oldest + leaves if oldest else None, coming) if m is not None]
        found[str(row["member_id"])] = Qualifying(
            int(row["total"] or 0), min(moments) if moments else None
        )
    return found


def _instant(value: object) -> datetime | None:
    """A raw statement's timestamp: asyncpg gives datetimes, SQLite the stored text."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
