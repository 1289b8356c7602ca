from __future__ import annotations

from datetime import datetime

import strawberry

from api.goals.types import Goal, GoalProgress
from api.plain_values import plain
from domain.goals import badges
from domain.goals.progress import BadgeStanding
from domain.models import Badge as BadgeModel
from domain.program.definitions import LevelRule, levels_from_json


@strawberry.type
class BadgeLevel:
    level: int = strawberry.field(description="1, 2, 3…")
    name: str
    goals: list[Goal]
    reward_points: int

    @classmethod
    def from_rule(cls, rule: LevelRule) -> BadgeLevel:
        """One shared instance per distinct level (rules are frozen: a changed level is a new
        entry), as for goals: every progress screen shows each badge's next level."""
        view = _LEVEL_VIEWS.get(rule)
        if view is None:
            if len(_LEVEL_VIEWS) >= MAX_LEVEL_VIEWS:
                _LEVEL_VIEWS.clear()
            view = cls(
                level=rule.level,
                name=rule.name,
                goals=[Goal.from_rule(goal) for goal in rule.goals],
                reward_points=rule.reward_points,
            )
            _LEVEL_VIEWS[rule] = view
        return view


MAX_LEVEL_VIEWS = 10_000
_LEVEL_VIEWS: dict[LevelRule, BadgeLevel] = {}


@strawberry.type
class Badge:
    key: str
    name: str
    description: str
    image_url: str | None
    secret: bool = strawberry.field(
        description="A secret badge is invisible to members (in `badges` and in progress) until "
        "they earn it."
    )
    goals: list[Goal] = strawberry.field(
        description="All goals must be completed to earn it. Empty for badges only awarded by "
        "challenges or admins."
    )
    reward_points: int = strawberry.field(description="Points credited (reason BADGE) when earned.")
    levels: list[BadgeLevel] = strawberry.field(
        description="Levels above the badge's own goals (level 1): e.g. Reviewer, Bronze, "
        "Silver, Gold. Empty for single-level badges."
    )

    @classmethod
    def from_model(cls, badge: BadgeModel) -> Badge:
        return cls(
            key=badge.key,
            name=badge.name,
            description=badge.description,
            image_url=badge.image_url,
            secret=badge.secret,
            goals=[Goal.from_rule(goal) for goal in badges.goals_of(badge)],
            reward_points=badge.reward_points,
            levels=[BadgeLevel.from_rule(level) for level in levels_from_json(badge.levels)],
        )

    @classmethod
    def of_catalog(cls, badge: BadgeModel) -> Badge:
        """The shared instance of a badge row of the definitions' catalog, built (goals parsed)
        once per row: a new program version reads new rows, so a changed badge is never served
        from here. Any other row is built afresh."""
        entry = _CATALOG_VIEWS.get(badge.key)
        if entry is not None and entry[0] is badge:
            return entry[1]
        if len(_CATALOG_VIEWS) >= MAX_CATALOG_VIEWS:
            _CATALOG_VIEWS.clear()
        view = cls.from_model(badge)
        _CATALOG_VIEWS[badge.key] = (badge, view)
        return view


MAX_CATALOG_VIEWS = 10_000
# Badge key → (the catalog row, its GraphQL value). The row is kept and compared by identity:
# the view is served only for the very row it was built from.
_CATALOG_VIEWS: dict[str, tuple[BadgeModel, Badge]] = {}


@plain
@strawberry.type
class BadgeStatus:
    badge: Badge
    earned: bool
    earned_at: datetime | None
    progress: list[GoalProgress] = strawberry.field(
        description="Whole-history progress toward `nextLevel`'s goals: the badge's own before "
        "it is earned, then the next level's; the top level's (completed) once it is reached."
    )
    level: int = strawberry.field(description="Highest level earned; 0 = not earned.")
    next_level: BadgeLevel | None = strawberry.field(
        description="The level `progress` counts toward (level 1, the badge itself, before it "
        "is earned); null once the top level is earned."
    )

    @classmethod
    def from_standing(cls, standing: BadgeStanding) -> BadgeStatus:
        following = standing.next_level
        return cls(
            badge=Badge.of_catalog(standing.badge),
            earned=standing.earned,
            earned_at=standing.earned_at,
            progress=[GoalProgress.from_rule(p) for p in standing.progress],
            level=standing.level,
            next_level=None if following is None else BadgeLevel.from_rule(following),
        )
