from __future__ import annotations

import strawberry

from api.actions.types import Action
from api.auth import Role
from api.context import Info
from domain.program import actions


@strawberry.type
class ActionQueries:
    @strawberry.field(description="Active actions for members; all actions for ADMIN.")
    async def actions(self, info: Info) -> list[Action]:
        viewer = info.context.viewer()
        include_inactive = viewer is not None and viewer.role is Role.ADMIN
        return [Action.from_model(a) for a in await actions.list_actions(include_inactive)]
