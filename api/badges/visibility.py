"""Who may see a secret badge, on every path that leads to one (the catalog, a challenge's
reward badge): an admin always, a member once they earned it, nobody else. A secret shown as a
challenge's reward would spoil it as surely as a listed one."""

from __future__ import annotations

from api.auth import Role
from api.context import Info
from domain.models import Badge


async def may_see(info: Info, badge: Badge) -> bool:
    if not badge.secret:
        return True
    viewer = info.context.viewer()
    if viewer is None:
        return False
    if viewer.role is Role.ADMIN:
        return True
    if viewer.role is not Role.MEMBER:
        return False
    return badge.key in await info.context.badges.earned.load(viewer.subject)
