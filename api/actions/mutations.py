from __future__ import annotations

import strawberry

from api.actions.types import Action, LimitPeriod
from api.atomic import Atomic
from api.auth import Role
from api.context import Info
from api.errors import UserError
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer
from domain.program import actions
from gamification.limits import Limit
from gamification.schedules import Schedule, Step


@strawberry.input
class LimitInput:
    period: LimitPeriod  # type: ignore[valid-type]
    max: int


@strawberry.input
class PointsStepInput:
    up_to: int | None = None
    points: int


@strawberry.input
class PointsScheduleInput:
    period: LimitPeriod  # type: ignore[valid-type]
    steps: list[PointsStepInput]


@strawberry.input
class UpsertActionInput:
    key: str
    name: str
    points: int
    description: str | None = ""
    limits: list[LimitInput] | None = strawberry.field(default_factory=list)
    cooldown_seconds: int | None = 0
    member_reportable: bool | None = False
    active: bool | None = True
    schedule: PointsScheduleInput | None = strawberry.field(
        default=None,
        description="Replaces `points` by the award's rank in the period; null: flat `points`.",
    )


@strawberry.type
class ActionPayload:
    action: Action | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ActionMutations:
    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="Creates the action or replaces its definition; history is kept.",
    )
    async def upsert_action(self, info: Info, input: UpsertActionInput) -> ActionPayload:
        viewer = checked_viewer(info)
        definition = actions.ActionDefinition(
            key=input.key,
            name=input.name,
            points=input.points,
            description=input.description or "",
            limits=[Limit(lim.period, lim.max) for lim in input.limits or []],
            cooldown_seconds=input.cooldown_seconds or 0,
            member_reportable=bool(input.member_reportable),
            active=True if input.active is None else input.active,
            schedule=_schedule(input.schedule),
        )
        action = await actions.upsert_action(viewer.subject, definition)
        return ActionPayload(action=Action.from_model(action))


def _schedule(schedule: PointsScheduleInput | None) -> Schedule | None:
    if schedule is None:
        return None
    return Schedule(
        schedule.period, tuple(Step(step.up_to, step.points) for step in schedule.steps)
    )
