from __future__ import annotations

import strawberry

from api.auth import Role
from api.badges.types import Badge
from api.context import Info
from domain.goals import progress


@strawberry.type
class BadgeQueries:
    @strawberry.field(
        description="Non-secret badges for members (plus the secret ones they earned) and "
        "anonymous callers; all for ADMIN. By name."
    )
    async def badges(self, info: Info) -> list[Badge]:
        viewer = info.context.viewer()
        admin = viewer is not None and viewer.role is Role.ADMIN
        member_id = viewer.subject if viewer is not None and viewer.role is Role.MEMBER else None
        found = await progress.badge_catalog(member_id, include_secret=admin)
        return [Badge.of_catalog(badge) for badge in found]
