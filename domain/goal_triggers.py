"""The goal index: which badges and challenges a fact can move (see `GoalTrigger`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from domain.models import GoalTrigger
from gamification.goals import Goal, Metric


async def rewrite(
    connection: BaseDBAsyncClient,
    goals: Sequence[Goal],
    *,
    badge_key: str | None = None,
    challenge_key: str | None = None,
) -> None:
    """Replace the index rows of one badge or challenge with its current goals."""
    owner = {"badge_key": badge_key} if badge_key else {"challenge_key": challenge_key}
    await GoalTrigger.filter(**owner).using_db(connection).delete()
    rows = [
        GoalTrigger(metric=goal.trigger[0].value, action_key=goal.trigger[1], **owner)
        for goal in goals
    ]
    if rows:
        await GoalTrigger.bulk_create(rows, using_db=connection)


@dataclass(frozen=True)
class Candidates:
    badges: set[str]
    challenges: set[str]


async def candidates(
    connection: BaseDBAsyncClient | None, triggers: Iterable[tuple[Metric, str]]
) -> Candidates:
    """Badges and challenges with a goal on any of `triggers`, in one indexed query."""
    condition = Q()
    for metric, action in triggers:
        condition |= Q(metric=metric.value, action_key=action)
    query = GoalTrigger.filter(condition)
    if connection is not None:
        query = query.using_db(connection)
    badges: set[str] = set()
    challenges: set[str] = set()
    for badge_key, challenge_key in await query.values_list("badge_key", "challenge_key"):
        if badge_key:
            badges.add(str(badge_key))
        if challenge_key:
            challenges.add(str(challenge_key))
    return Candidates(badges, challenges)


async def streak_actions(connection: BaseDBAsyncClient | None = None) -> list[str]:
    """Actions that some STREAK_DAYS goal names (their streaks are shown and announced)."""
    query = GoalTrigger.filter(metric=Metric.STREAK_DAYS.value).exclude(action_key="")
    if connection is not None:
        query = query.using_db(connection)
    return sorted({str(a) for a in await query.distinct().values_list("action_key", flat=True)})
