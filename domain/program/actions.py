"""Actions: the admin-defined kinds of interaction that earn points."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.errors import reject_invalid
from domain.infra.db import transaction
from domain.models import Action
from domain.program import audit
from gamification.actions import validate_action
from gamification.limits import Limit
from gamification.periods import Period
from gamification.schedules import Schedule, Step, validate_schedule


@dataclass(frozen=True)
class ActionDefinition:
    key: str
    name: str
    points: int
    description: str = ""
    limits: list[Limit] = field(default_factory=list)
    cooldown_seconds: int = 0
    member_reportable: bool = False
    active: bool = True
    schedule: Schedule | None = None


def schedule_of(action: Action) -> Schedule | None:
    """The action's points schedule, or None when every award earns `points`."""
    raw = action.schedule
    if not raw:
        return None
    steps = tuple(
        Step(None if s.get("upTo") is None else int(s["upTo"]), int(s["points"]))
        for s in raw.get("steps", [])
    )
    return Schedule(Period(raw["period"]), steps)


def schedule_json(schedule: Schedule | None) -> dict[str, Any] | None:
    if schedule is None:
        return None
    return {
        "period": schedule.period.value,
        "steps": [{"upTo": s.up_to, "points": s.points} for s in schedule.steps],
    }


def limits_of(action: Action) -> list[Limit]:
    return [Limit(Period(item["period"]), int(item["max"])) for item in action.limits]


def snapshot(action: Action) -> dict[str, Any]:
    return {
        "key": action.key,
        "name": action.name,
        "description": action.description,
        "points": action.points,
        "limits": action.limits,
        "cooldownSeconds": action.cooldown_seconds,
        "memberReportable": action.member_reportable,
        "active": action.active,
        "schedule": action.schedule,
    }


async def upsert_action(actor: str, definition: ActionDefinition) -> Action:
    """Create the action or replace its definition; the audit log keeps every earlier version."""
    problems = validate_action(
        definition.key,
        definition.name,
        definition.points,
        definition.limits,
        definition.cooldown_seconds,
    )
    if definition.schedule is not None:
        problems += validate_schedule(definition.schedule)
    reject_invalid(problems)
    values = {
        "name": definition.name.strip(),
        "description": definition.description[:5000],
        "points": definition.points,
        "limits": [{"period": lim.period.value, "max": lim.max} for lim in definition.limits],
        "cooldown_seconds": definition.cooldown_seconds,
        "member_reportable": definition.member_reportable,
        "active": definition.active,
        "schedule": schedule_json(definition.schedule),
    }
    async with transaction() as connection:
        return await audit.upsert_by_key(
            connection,
            Action,
            definition.key,
            values,
            actor=actor,
            operation="upsertAction",
            snapshot=snapshot,
        )


async def list_actions(include_inactive: bool) -> list[Action]:
    query = Action.all() if include_inactive else Action.filter(active=True)
    return await query.order_by("key")
