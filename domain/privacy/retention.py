"""The nightly removal of old raw interactions (`PLAUDIT_RETENTION_DAYS`; off by default).

What goes: interactions whose `occurredAt` is older than the retention, or than what their
action's limits, schedule and cooldown still read when that reaches further
(`gamification.retention`). What stays: every PENDING interaction; the AWARDED interactions of
an action whose limit or schedule counts LIFETIME, and of the referral program's conversion
action (its first AWARDED one converts a referral), for good; and everything derived from
interactions: their ledger entries (which name them only in a source key, `interaction:<id>`,
a string), the activity counters that streaks, goals and insight read, boards and badges.

Deleted in chunks by id, each chunk its own short transaction, so the job never holds the
database for long and may stop anywhere: the next run goes on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q

from domain.infra.db import transaction
from domain.infra.settings import Settings
from domain.models import Action, Interaction, InteractionStatus, ReferralProgramRules
from domain.program.actions import limits_of, schedule_of
from gamification import retention

CHUNK = 5_000


async def cutoffs(settings: Settings, now: datetime) -> tuple[Q, set[str]] | None:
    """The interactions that may go (a condition on action and `occurredAt`), and the actions
    whose AWARDED interactions never go; None when retention is off."""
    if settings.retention_days is None:
        return None
    kept = timedelta(days=settings.retention_days)
    backdate = timedelta(hours=settings.member_backdate_hours)
    by_cutoff: dict[datetime, list[str]] = defaultdict(list)
    whole_history: set[str] = set()
    actions = await Action.all()
    for action in actions:
        periods = [limit.period for limit in limits_of(action)]
        schedule = schedule_of(action)
        if schedule is not None:
            periods.append(schedule.period)
        reach = retention.lookback(periods, action.cooldown_seconds)
        by_cutoff[now - retention.kept_for(kept, reach, backdate)].append(action.key)
        if retention.counts_whole_history(periods):
            whole_history.add(action.key)
    rules = await ReferralProgramRules.get_or_none(id=1)
    if rules is not None and rules.conversion_action:
        whole_history.add(rules.conversion_action)
    # Interactions of actions that do not exist (stored REJECTED): the retention alone.
    old = Q(occurred_at__lt=now - kept)
    if actions:
        old &= Q(action_key__not_in=[action.key for action in actions])
    for cutoff, keys in by_cutoff.items():
        old |= Q(occurred_at__lt=cutoff, action_key__in=keys)
    return old, whole_history


async def prune_interactions(
    settings: Settings,
    now: datetime,
    *,
    chunk: int = CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Delete the raw interactions retention lets go as of `now`; returns how many."""
    found = await cutoffs(settings, now)
    if found is None:
        return 0
    old, whole_history = found
    doomed = Interaction.filter(old).exclude(status=InteractionStatus.PENDING)
    if whole_history:
        # Both together: CAPPED and REJECTED ones of those actions never count, and may go.
        counted = Q(status=InteractionStatus.AWARDED) & Q(action_key__in=sorted(whole_history))
        doomed = doomed.filter(~counted)
    total = await doomed.count()
    deleted, after = 0, 0
    while True:
        page: list[Any] = (
            await doomed.filter(id__gt=after)
            .order_by("id")
            .limit(chunk)
            .values_list("id", flat=True)
        )
        ids = [int(value) for value in page]
        if not ids:
            break
        async with transaction() as connection:
            deleted += await Interaction.filter(id__in=ids).using_db(connection).delete()
        after = ids[-1]
        if progress is not None:
            progress(deleted, total)
    return deleted
