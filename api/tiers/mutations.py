from __future__ import annotations

import strawberry

from api.atomic import Atomic
from api.auth import Role
from api.context import Info
from api.errors import UserError
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer
from api.tiers.types import Tier
from domain.points import tiers
from domain.program import tier_ladder
from gamification.tiers import TierRule


@strawberry.input
class UpsertTierInput:
    key: str
    name: str
    threshold: int
    multiplier: float | None = 1.0
    benefits: list[str] | None = strawberry.field(default_factory=list)
    archived: bool | None = strawberry.field(
        default=False,
        description="Takes the tier off the ladder (tiers are never deleted); members holding "
        "it keep it until their next re-evaluation.",
    )


@strawberry.type
class TierPayload:
    tier: Tier | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TierMutations:
    @strawberry.mutation(extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)])
    async def upsert_tier(self, info: Info, input: UpsertTierInput) -> TierPayload:
        viewer = checked_viewer(info)
        rule = TierRule(
            key=input.key,
            name=input.name,
            threshold=input.threshold,
            multiplier=1.0 if input.multiplier is None else input.multiplier,
            benefits=tuple(input.benefits or ()),
            archived=bool(input.archived),
        )
        tier = await tiers.upsert_tier(viewer.subject, rule)
        return TierPayload(tier=Tier.from_rule(tier_ladder.rule_of(tier)))
