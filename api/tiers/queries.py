from __future__ import annotations

import strawberry

from api.context import Info
from api.tiers.types import Tier
from domain.points import tiers


@strawberry.type
class TierQueries:
    @strawberry.field(description="Lowest threshold first.")
    async def tiers(self, info: Info) -> list[Tier]:
        return [Tier.from_rule(rule) for rule in await tiers.list_tiers()]
