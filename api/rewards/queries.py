from __future__ import annotations

import strawberry

from api.auth import Role
from api.context import Info
from api.rewards.types import Reward
from domain.points import rewards


@strawberry.type
class RewardQueries:
    @strawberry.field(description="Active rewards for members; all for ADMIN.")
    async def rewards(self, info: Info) -> list[Reward]:
        viewer = info.context.viewer()
        include_inactive = viewer is not None and viewer.role is Role.ADMIN
        return [Reward.from_model(r) for r in await rewards.list_rewards(include_inactive)]
