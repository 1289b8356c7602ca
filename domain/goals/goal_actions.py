"""A goal may name only an action that exists: one naming a typo would show on every member's
progress screen as a goal nobody can ever reach."""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.errors import not_found
from domain.infra.db import matching
from domain.models import Action
from gamification.goals import Goal


async def check_goal_actions(
    connection: BaseDBAsyncClient, goals: Sequence[Goal], *path: str
) -> None:
    """NOT_FOUND, with the field `<path>.<index>.action`, for the first goal naming an action
    that is not defined (inactive actions count as defined: they may be switched back on).
    A key no action can have (too long) is not defined either."""
    named = {goal.action for goal in goals if goal.action}
    if not named:
        return
    query = matching(Action, key__in=sorted(named)).using_db(connection)
    known = {str(key) for key in await query.values_list("key", flat=True)}
    for index, goal in enumerate(goals):
        if goal.action and goal.action not in known:
            raise not_found(f"no action {goal.action!r}", *path, str(index), "action")
