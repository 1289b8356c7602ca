"""Tiers: define them, and move members down slowly once their retention has passed.

Upgrades happen at once, inside the transaction of the credit that earns them (the award chain);
this module holds what the admin and the daily job do: `upsert_tier`, `list_tiers` and
`reevaluate_due_tiers`. The ladder itself (tiers, members' state, qualifying points) is
`domain.program.tier_ladder`, which the pipeline reads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from domain.errors import reject_invalid
from domain.infra.db import touch_member, transaction
from domain.members import events
from domain.models import Member, Tier
from domain.outbox import EventType, emit
from domain.program import audit
from domain.program.tier_ladder import (
    Ladder,
    TierPolicy,
    load_ladder,
    qualifying_points,
    rule_of,
    state_of,
    store_state,
)
from gamification import tiers as rules
from gamification.tiers import BASE_TIER, TierRule, TierState

if TYPE_CHECKING:
    from domain.runtime import Runtime

log = logging.getLogger("plaudit.tiers")


async def _tier_changed(
    connection: BaseDBAsyncClient,
    member: Member,
    before: TierState,
    after: TierState,
    ladder: Ladder,
) -> None:
    """A TIER_CHANGED event (and webhook message) when the tier shown to the member is another
    one."""
    shown, was = ladder.shown(after.key), ladder.shown(before.key)
    if shown.key == was.key:
        return
    data = {"memberId": member.id, "fromTier": was.key, "toTier": shown.key}
    await emit(connection, EventType.TIER_CHANGED, data)
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
            touch_member(member.id)
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
