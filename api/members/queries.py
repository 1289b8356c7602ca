from __future__ import annotations

import strawberry

from api.auth import Role
from api.context import Info
from api.members.types import Member
from api.permissions import Requires, checked_viewer
from domain.members import members


@strawberry.type
class MemberQueries:
    @strawberry.field(extensions=[Requires(Role.MEMBER)], description="The viewer ({token}).")
    async def me(self, info: Info) -> Member:
        viewer = checked_viewer(info)
        await members.enrol(viewer.subject)
        member = await members.get_member(viewer.subject)
        assert member is not None  # just enrolled
        return Member.from_model(member)

    @strawberry.field(
        extensions=[Requires(Role.ADMIN, Role.SERVICE)], description="{token}; null when unknown."
    )
    async def member(self, info: Info, id: strawberry.ID) -> Member | None:
        # Through the loader: aliased member(id) fields load together, and so do their fields.
        member = await info.context.members.by_id.load(str(id))
        return Member.from_model(member) if member else None
