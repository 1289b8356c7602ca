"""Tiers: define them, place members on them, move members up at once and down slowly.

The rules live in `gamification.tiers`; this module reads and writes the rows they decide about.
A member's state is `Member.tier_key/tier_since/tier_retain_until` (a null key is the built-in
base tier, a null `since` the moment they joined). Upgrades happen inside the transaction of the
credit that earns them (`upgrade_on_credit`, called by `ledger.post`); downgrades only in the
daily `reevaluate_due_tiers`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.functions import Sum

from domain import audit, events
from domain.db import transaction
from domain.errors import reject_invalid
from domain.models import LedgerEntry, LedgerReason, Member, Tier
from domain.settings import Settings
from gamification import tiers as rules
from gamification.tiers import BASE_TIER, TierRule, TierState

if TYPE_CHECKING:
    from domain.runtime import Runtime

log = logging.getLogger("plaudit.tiers")

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


async def upgrade_on_credit(
    connection: BaseDBAsyncClient,
    member: Member,
    policy: TierPolicy,
    ladder: Ladder | None = None,
) -> bool:
    """After a qualifying credit (member row locked): move the member up if their points now
    meet a higher tier. Returns whether the state changed. No tiers defined: nothing to do.
    `ladder`: one the caller loaded in this transaction already, to save the query."""
    ladder = ladder or await load_ladder(connection)
    if not ladder.defined:
        return False
    now = datetime.now(UTC)
    qualifying = await qualifying_points(connection, member.id, now, policy)
    state = state_of(member)
    held = ladder.held_threshold(state.key)
    after = rules.on_credit(state, qualifying, ladder.rungs, now, policy.retention_days, held)
    if after == state:
        return False
    fields = store_state(member, after)
    await member.save(using_db=connection, update_fields=fields)
    await _tier_changed(connection, member, state, after, ladder)
    log.info("member %s moved to tier %s", member.id, after.key)
    return True


async def _tier_changed(
    connection: BaseDBAsyncClient,
    member: Member,
    before: TierState,
    after: TierState,
    ladder: Ladder,
) -> None:
    """A TIER_CHANGED event when the tier shown to the member is another one."""
    shown = ladder.shown(after.key)
    if shown.key == ladder.shown(before.key).key:
        return
    await events.record(
        connection,
        member.id,
        events.EventKind.TIER_CHANGED,
        f"You are now {shown.name}",
        subject=shown.key,
    )


async def reevaluate_due_tiers(
    runtime: Runtime,
    now: datetime | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """The daily job: re-evaluate every member whose retention has passed or whose tier left the
    ladder. Each member in a transaction of their own, under their row lock. Returns how many
    members were re-evaluated (whether or not their tier changed). `progress(seen, due)` hears
    of each due member (`plaudit jobs run`'s progress bar)."""
    now = now or datetime.now(UTC)
    policy = TierPolicy.of(runtime.settings)
    ladder = await load_ladder()
    if not ladder.defined:
        return 0
    keys = [rung.key for rung in ladder.rungs]
    due = Q(tier_retain_until__lte=now) | Q(tier_retain_until__isnull=True, tier_key__not_in=keys)
    if BASE_TIER.key not in keys:
        due = due | Q(tier_retain_until__isnull=True, tier_key__isnull=True)
    member_ids = await Member.filter(due).order_by("id").values_list("id", flat=True)
    done = 0
    for seen, member_id in enumerate(member_ids, start=1):
        if progress is not None:
            progress(seen, len(member_ids))
        async with transaction() as connection:
            member = await Member.select_for_update().using_db(connection).get(id=member_id)
            ladder = await load_ladder(connection)
            state = state_of(member)
            if not rules.is_due(state, ladder.rungs, now):
                continue
            qualifying = await qualifying_points(connection, member.id, now, policy)
            held = ladder.held_threshold(state.key)
            after = rules.reevaluate(
                state, qualifying, ladder.rungs, now, policy.retention_days, held
            )
            await member.save(using_db=connection, update_fields=store_state(member, after))
            await _tier_changed(connection, member, state, after, ladder)
            done += 1
    return done


# --- admin ------------------------------------------------------------------------------------


def snapshot(tier: Tier) -> dict[str, Any]:
    return {
        "key": tier.key,
        "name": tier.name,
        "threshold": tier.threshold,
        "multiplier": tier.multiplier,
        "benefits": list(tier.benefits or []),
        "archived": tier.archived,
    }


async def upsert_tier(actor: str, definition: TierRule) -> Tier:
    """Create the tier or replace its definition (archive instead of delete); audited."""
    definition = TierRule(
        key=definition.key,
        name=definition.name.strip(),
        threshold=definition.threshold,
        multiplier=definition.multiplier,
        benefits=tuple(b.strip() for b in definition.benefits),
        archived=definition.archived,
    )
    async with transaction() as connection:
        # Filtered here, not in SQL: a key longer than the column must reach validation (which
        # names it) rather than fail the ORM's field check.
        tiers = await Tier.all().using_db(connection)
        others = [rule_of(t) for t in tiers if t.key != definition.key]
        reject_invalid(rules.validate_tier(definition, others))
        values = {
            "name": definition.name,
            "threshold": definition.threshold,
            "multiplier": definition.multiplier,
            "benefits": list(definition.benefits),
            "archived": definition.archived,
        }
        return await audit.upsert_by_key(
            connection,
            Tier,
            definition.key,
            values,
            actor=actor,
            operation="upsertTier",
            snapshot=snapshot,
        )


async def list_tiers() -> list[TierRule]:
    """The ladder, lowest threshold first (the built-in base tier while no threshold-0 tier)."""
    return (await load_ladder()).rungs
