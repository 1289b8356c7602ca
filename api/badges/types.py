from __future__ import annotations

from datetime import datetime

import strawberry

from api.goals.types import Goal, GoalProgress
from domain.goals import badges
from domain.goals.progress import BadgeStanding
from domain.models import Badge as BadgeModel


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


@strawberry.type
class BadgeStatus:
    badge: Badge
    earned: bool
    earned_at: datetime | None
    progress: list[GoalProgress]

    @classmethod
    def from_standing(cls, standing: BadgeStanding) -> BadgeStatus:
        return cls(
            badge=Badge.of_catalog(standing.badge),
            earned=standing.earned,
            earned_at=standing.earned_at,
            progress=[GoalProgress.from_rule(p) for p in standing.progress],
        )
