from __future__ import annotations

import strawberry

from api.auth import Role
from api.context import Info
from api.rewards.types import Reward
from domain.points import rewards


@strawberry.type
class RewardQueries:
    @strawberry.field(
        description="Active rewards for members (personal offers only to the members whose "
        "answers meet their audience); all for ADMIN."
    )
    async def rewards(self, info: Info) -> list[Reward]:
        viewer = info.context.viewer()
        if viewer is not None and viewer.role is Role.ADMIN:
            found = await rewards.list_rewards(include_inactive=True)
        else:
            # The answer depends on the viewer's answers: a member's is cached per member and
            # dropped when their answers change (a submission touches the member); sent
            # `private`, as every answer to a token is (`api.http_caching`). Without a token
            # it lists the rewards without an audience, the same for everyone.
            member = viewer.subject if viewer is not None and viewer.role is Role.MEMBER else None
            found = await rewards.catalogue(member)
        return [Reward.from_model(r) for r in found]
