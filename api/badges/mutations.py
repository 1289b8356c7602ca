from __future__ import annotations

import strawberry

from api.atomic import Atomic
from api.auth import Role
from api.badges.types import Badge
from api.context import Info
from api.errors import UserError
from api.goals.types import GoalInput, goals_from_input
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer
from domain.errors import not_found
from domain.goals import badges
from domain.members import members
from gamification.badges import BadgeDefinition, BadgeLevelDefinition


@strawberry.input
class BadgeLevelInput:
    name: str
    goals: list[GoalInput]
    reward_points: int | None = 0

    def to_rule(self) -> BadgeLevelDefinition:
        return BadgeLevelDefinition(
            self.name, goals_from_input(self.goals), self.reward_points or 0
        )


@strawberry.input
class UpsertBadgeInput:
    key: str
    name: str
    description: str | None = ""
    image_url: str | None = None
    secret: bool | None = False
    goals: list[GoalInput] | None = strawberry.field(default_factory=list)
    reward_points: int | None = 0
    levels: list[BadgeLevelInput] | None = strawberry.field(default_factory=list)


@strawberry.type
class BadgePayload:
    badge: Badge | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BadgeMutations:
    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="Changing a badge's goals or levels never takes it (or a level) away from "
        "anybody; members who meet the new goals earn it at their next evaluation.",
    )
    async def upsert_badge(self, info: Info, input: UpsertBadgeInput) -> BadgePayload:
        viewer = checked_viewer(info)
        definition = BadgeDefinition(
            key=input.key,
            name=input.name,
            description=input.description or "",
            image_url=input.image_url,
            secret=bool(input.secret),
            goals=goals_from_input(input.goals),
            reward_points=input.reward_points or 0,
            levels=tuple(level.to_rule() for level in input.levels or ()),
        )
        badge = await badges.upsert_badge(viewer.subject, definition)
        return BadgePayload(badge=Badge.from_model(badge))

    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="Awards a badge by hand (idempotent: a badge is earned once).",
    )
    async def award_badge(
        self, info: Info, member_id: strawberry.ID, badge_key: str
    ) -> BadgePayload:
        viewer = checked_viewer(info)
        # Only existing members: an admin's typo must not enrol a phantom member.
        if await members.get_member(str(member_id)) is None:
            raise not_found(f"no member {str(member_id)[:100]!r}", "memberId")
        badge = await badges.award_badge(
            info.context.runtime, viewer.subject, str(member_id), badge_key
        )
        return BadgePayload(badge=Badge.from_model(badge))
