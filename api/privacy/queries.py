from __future__ import annotations

import strawberry

from api.auth import Role
from api.context import Info
from api.errors import forbidden
from api.permissions import Requires, checked_viewer
from api.privacy.types import MemberExport
from domain.privacy import export


@strawberry.type
class PrivacyQueries:
    @strawberry.field(
        extensions=[
            Requires(Role.ADMIN, Role.MEMBER, qualifiers={Role.MEMBER: "their own data only"})
        ],
        description=(
            "{token}: everything held about the member, for their right of access. A member "
            "asking for anyone else's export is FORBIDDEN; null when no member has the id."
        ),
    )
    async def member_export(self, info: Info, member_id: strawberry.ID) -> MemberExport | None:
        viewer = checked_viewer(info)
        if viewer.role is Role.MEMBER and str(member_id) != viewer.subject:
            # Before any lookup: the answer must not tell whether that member exists.
            raise forbidden("a member may export their own data only")
        found = await export.member_export(str(member_id))
        return MemberExport.from_export(found) if found is not None else None
