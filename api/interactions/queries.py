from __future__ import annotations

import strawberry

from api.auth import Role
from api.context import Info
from api.interactions.types import Interaction
from api.permissions import Requires, checked_viewer
from domain.interactions import record as interactions


@strawberry.type
class InteractionQueries:
    @strawberry.field(
        # Any authenticated caller; the description says what each one may see.
        extensions=[
            Requires(Role.MEMBER, Role.ADMIN, Role.SERVICE, in_description=False, partners=True)
        ],
        description="The viewer's own interaction, or any for ADMIN/SERVICE (a partner's token: "
        "those it recorded); null when unknown or not visible.",
    )
    async def interaction(self, info: Info, id: strawberry.ID) -> Interaction | None:
        viewer = checked_viewer(info)
        found = await interactions.get_interaction(str(id))
        if found is None:
            return None
        if viewer.role is Role.MEMBER and found.member_id != viewer.subject:
            return None
        if viewer.partner is not None and found.partner_key != viewer.partner:
            return None
        return Interaction.from_model(found)
