"""Badges: define them, and award them once (by their goals, by a challenge, or by hand), then
their levels in order (by the levels' goals only).

Whole-history progress comes from the activity counters (`domain.pipeline.activity`), never
from a scan of the member's interactions. A member earns a badge at most once: `MemberBadge` is
unique per (member, badge), and awards happen under the member's lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.errors import not_found, reject_invalid
from domain.goals.goal_actions import check_goal_actions
from domain.infra.db import find_by_key, transaction
from domain.members.members import lock_member
from domain.models import Badge, Member, MemberBadge
from domain.models.members import ERASED_PREFIX
from domain.pipeline import Session, activity
from domain.program import audit, definitions
from gamification.badges import BadgeDefinition, levels_reached, validate_badge
from gamification.goals import (
    NO_ACTION,
    Goal,
    all_completed,
    goals_from_json,
    progress_from_totals,
)

if TYPE_CHECKING:
    from domain.runtime import Runtime

log = logging.getLogger("plaudit.badges")


def snapshot(badge: Badge) -> dict[str, Any]:
    return {
        "key": badge.key,
        "name": badge.name,
        "description": badge.description,
        "imageUrl": badge.image_url,
        "secret": badge.secret,
        "goals": badge.goals,
        "rewardPoints": badge.reward_points,
        "levels": badge.levels,
    }


async def find(key: str, connection: BaseDBAsyncClient | None = None) -> Badge | None:
    return await find_by_key(Badge, key, connection)


def goals_of(badge: Badge) -> tuple[Goal, ...]:
    return goals_from_json(badge.goals)


async def upsert_badge(actor: str, definition: BadgeDefinition) -> Badge:
    """Create or redefine a badge; audited. Changing goals or levels never takes a badge or a
    level away: members who meet the new goals earn it (and the levels they meet) on their next
    evaluation, or with `plaudit badges backfill`."""
    reject_invalid(validate_badge(definition))
    values = {
        "name": definition.name.strip(),
        "description": definition.description,
        "image_url": definition.image_url,
        "secret": definition.secret,
        "goals": [goal.as_json() for goal in definition.goals],
        "reward_points": definition.reward_points,
        "levels": [
            {
                "name": level.name.strip(),
                "goals": [goal.as_json() for goal in level.goals],
                "rewardPoints": level.reward_points,
            }
            for level in definition.levels
        ],
    }
    async with transaction() as connection:
        await check_goal_actions(connection, definition.goals, "input", "goals")
        for index, level in enumerate(definition.levels):
            await check_goal_actions(
                connection, level.goals, "input", "levels", str(index), "goals"
            )
        badge = await audit.upsert_by_key(
            connection,
            Badge,
            definition.key,
            values,
            actor=actor,
            operation="upsertBadge",
            snapshot=snapshot,
        )
        await definitions.changed(connection)
    return badge


async def list_badges(*, include_secret: bool) -> list[Badge]:
    """By name, then key. From this process's definitions (one version read, never stale
    after an admin change): re-reading the table on every progress screen was a fifth of it.
    The rows are shared: never modify them."""
    catalog = (await definitions.cache.current()).catalog
    return [badge for badge in catalog if include_secret or not badge.secret]


async def award_badge(runtime: Runtime, actor: str, member_id: str, badge_key: str) -> Badge:
    """An admin awards a badge by hand: idempotent (a badge is earned once); audited. It awards
    level 1, the badge itself; the levels above it are earned by their goals only (those the
    member already meets follow at once, in order)."""
    async with transaction() as connection:
        badge = await find(badge_key, connection)
        if badge is None:
            raise not_found(f"no badge {badge_key[:100]!r}", "badgeKey")
        member = await lock_member(connection, member_id)
        now = datetime.now(UTC)
        session = await Session.for_member(connection, runtime, member, now)
        chain = session.chain(member.id)
        if chain.earn(definitions.BadgeRule.of(badge), f"admin:{actor}"[:200], now):
            chain.settle()
            await audit.record(
                connection,
                actor,
                "awardBadge",
                f"member_badge:{member_id}:{badge_key}",
                None,
                {"member": member_id, "badge": badge_key},
            )
        await session.write()
    return badge


async def backfill(
    runtime: Runtime,
    badge_key: str,
    *,
    batch: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Evaluate one badge for every member (after its goals or levels changed, or for a new
    badge): award it to those who meet its goals, and raise holders to the levels they meet.

    Members are read in batches of `batch`; only those whose counters meet the goals (or the
    next level's) are then awarded, each in a transaction of their own under their lock.
    Returns how many earned the badge or a level.
    """
    badge = await find(badge_key)
    if badge is None:
        raise not_found(f"no badge {badge_key[:100]!r}", "badgeKey")
    rule = definitions.BadgeRule.of(badge)
    goals = rule.goals
    # Erased members' anonymous rows keep their lifetime points, but earn nothing any more.
    people = Member.exclude(id__startswith=ERASED_PREFIX)
    total = await people.count()
    done = awarded = 0
    last_id = ""
    level_goals = [level.goals for level in rule.levels]
    while goals or level_goals:
        members = await people.filter(id__gt=last_id).order_by("id").limit(batch)
        if not members:
            break
        last_id = members[-1].id
        holders = {
            str(member_id): int(level)
            for member_id, level in await MemberBadge.filter(
                badge_id=badge.key, member_id__in=[m.id for m in members]
            ).values_list("member_id", "level")
        }
        actions = sorted({goal.action or NO_ACTION for goal in rule.all_goals})
        stats = await activity.stats_of(None, [m.id for m in members], actions)
        for member in members:
            totals = activity.totals_of(stats[member.id], member)
            if member.id in holders:
                if levels_reached(holders[member.id], level_goals, totals):
                    awarded += await _award_backfilled(runtime, member.id, rule)
            elif all_completed(progress_from_totals(goals, totals)):
                awarded += await _award_backfilled(runtime, member.id, rule)
        done += len(members)
        if progress is not None:
            progress(done, total)
    return awarded


async def _award_backfilled(runtime: Runtime, member_id: str, badge: definitions.BadgeRule) -> int:
    """The badge, or the levels of it a holder now meets, re-checked under the member's lock."""
    async with transaction() as connection:
        member = await lock_member(connection, member_id)
        session = await Session.for_member(connection, runtime, member, datetime.now(UTC))
        chain = session.chain(member.id)
        if badge.key in chain.state.earned:
            held = chain.state.levels.get(badge.key, 1)
            chain.raise_level(badge, chain.now)
            earned = chain.state.levels.get(badge.key, 1) > held
        else:
            totals = chain.totals({goal.action or NO_ACTION for goal in badge.goals})
            if not all_completed(progress_from_totals(badge.goals, totals)):
                return 0
            earned = chain.earn(badge, "backfill", chain.now)
        if earned:
            chain.settle()
        await session.write()
    return int(earned)
