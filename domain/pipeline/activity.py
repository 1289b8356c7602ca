"""Activity counters, read side: per member, per action and per calendar day, kept as
interactions are awarded (by the award chain, `domain.pipeline.chain.Chain.count_activity`) so
that goals and streaks never scan a member's history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.models import ActivityStats, Member
from gamification.goals import ActionTotals, Totals
from gamification.streaks import Streak


def streak_of(row: ActivityStats) -> Streak:
    last = date.fromisoformat(row.last_active_on) if row.last_active_on else None
    return Streak(row.streak_run or 0, row.streak_longest or 0, last, row.streak_freezes or 0)


def totals_of(rows: Sequence[ActivityStats], member: Member) -> Totals:
    """A member's whole-history totals: their stats rows, and the counters on their row
    (lifetime points, converted referrals, approved content)."""
    return Totals(
        actions={
            row.action_key: ActionTotals(row.interactions, row.active_days, row.streak_longest)
            for row in rows
        },
        points_earned=member.lifetime,
        referrals_converted=member.referrals_converted or 0,
        content_approved=member.content_approved or 0,
    )


async def stats_of(
    connection: BaseDBAsyncClient | None, member_ids: Sequence[str], action_keys: Sequence[str]
) -> dict[str, list[ActivityStats]]:
    """Stats rows of many members for some actions, in one query."""
    query = ActivityStats.filter(member_id__in=list(member_ids), action_key__in=list(action_keys))
    if connection is not None:
        query = query.using_db(connection)
    grouped: dict[str, list[ActivityStats]] = {member_id: [] for member_id in member_ids}
    for row in await query:
        grouped.setdefault(row.member_id, []).append(row)
    return grouped
