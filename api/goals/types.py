"""Goals, shared by badges and challenges: what is counted, toward which target."""

from __future__ import annotations

from enum import Enum

import strawberry

from api.int_bounds import as_graphql_int
from api.plain_values import plain
from gamification import goals as rules


@strawberry.enum(name="GoalMetric")
class GoalMetric(Enum):
    ACTION_COUNT = strawberry.enum_value(
        "ACTION_COUNT",
        description="Awarded interactions of `action` (CAPPED and REJECTED ones never count).",
    )
    ACTIVE_DAYS = strawberry.enum_value(
        "ACTIVE_DAYS",
        description="Distinct calendar days (program time zone) with an awarded interaction of "
        "`action` (any action when null).",
    )
    STREAK_DAYS = strawberry.enum_value(
        "STREAK_DAYS",
        description="Longest run of consecutive days with an awarded interaction of `action` "
        "(any action when null).",
    )
    POINTS_EARNED = strawberry.enum_value("POINTS_EARNED", description="Points credited.")
    REFERRALS_CONVERTED = strawberry.enum_value(
        "REFERRALS_CONVERTED", description="Referred members who converted."
    )
    CONTENT_APPROVED = strawberry.enum_value(
        "CONTENT_APPROVED", description="Pieces of the member's content approved by moderation."
    )


@strawberry.type(
    description="A measurable target. For a badge it counts over the member's whole history; "
    "for a challenge only within the challenge's window (and after enrolment when enrolment is "
    "required)."
)
class Goal:
    metric: GoalMetric
    action: str | None
    target: int

    @classmethod
    def from_rule(cls, goal: rules.Goal) -> Goal:
        """One shared instance per distinct goal: a progress screen shows the same few dozen
        goals to every member, and building them per request was a measurable part of it.
        Keyed by the goal's value (rules are frozen), so a changed goal is a new entry."""
        view = _GOAL_VIEWS.get(goal)
        if view is None:
            if len(_GOAL_VIEWS) >= MAX_GOAL_VIEWS:
                _GOAL_VIEWS.clear()
            view = cls(metric=GoalMetric[goal.metric.name], action=goal.action, target=goal.target)
            _GOAL_VIEWS[goal] = view
        return view


MAX_GOAL_VIEWS = 10_000
_GOAL_VIEWS: dict[rules.Goal, Goal] = {}


@plain
@strawberry.type
class GoalProgress:
    goal: Goal
    current: int
    completed: bool

    @classmethod
    def from_rule(cls, progress: rules.GoalProgress) -> GoalProgress:
        return cls(
            goal=Goal.from_rule(progress.goal),
            # POINTS_EARNED counts lifetime points, which old rows may hold beyond the Int.
            current=as_graphql_int(progress.current, "goal progress"),
            completed=progress.completed,
        )


@strawberry.input
class GoalInput:
    metric: GoalMetric
    action: str | None = None
    target: int

    def to_rule(self) -> rules.Goal:
        return rules.Goal(rules.Metric[self.metric.name], self.action or None, self.target)


def goals_from_input(goals: list[GoalInput] | None) -> tuple[rules.Goal, ...]:
    return tuple(goal.to_rule() for goal in goals or ())
