from __future__ import annotations

import strawberry

from domain.models import Action as ActionModel
from domain.program.actions import limits_of, schedule_of
from gamification.periods import Period

LimitPeriod = strawberry.enum(Period, name="LimitPeriod")


@strawberry.type(
    description="At most `max` awarded interactions of one action per member per period."
)
class Limit:
    period: LimitPeriod  # type: ignore[valid-type]
    max: int


@strawberry.type(
    description="Points for every award up to the `upTo`-th in the period; null: all later."
)
class PointsStep:
    up_to: int | None
    points: int


@strawberry.type(
    description="An action worth less the more often a member does it in a period "
    "(replaces `points`; the tier multiplier applies on top)."
)
class PointsSchedule:
    period: LimitPeriod  # type: ignore[valid-type]
    steps: list[PointsStep]


@strawberry.type(description="A kind of non-purchase interaction that earns points.")
class Action:
    key: str
    name: str
    description: str
    points: int
    limits: list[Limit]
    cooldown_seconds: int
    member_reportable: bool
    active: bool
    schedule: PointsSchedule | None = None

    @classmethod
    def from_model(cls, action: ActionModel) -> Action:
        return cls(
            key=action.key,
            name=action.name,
            description=action.description,
            points=action.points,
            limits=[Limit(period=lim.period, max=lim.max) for lim in limits_of(action)],
            cooldown_seconds=action.cooldown_seconds,
            member_reportable=action.member_reportable,
            active=action.active,
            schedule=_schedule(action),
        )


def _schedule(action: ActionModel) -> PointsSchedule | None:
    schedule = schedule_of(action)
    if schedule is None:
        return None
    return PointsSchedule(
        period=schedule.period,
        steps=[PointsStep(up_to=s.up_to, points=s.points) for s in schedule.steps],
    )
