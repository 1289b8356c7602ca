from __future__ import annotations

import strawberry

from api.auth import Role
from api.context import Info
from api.errors import UserError
from api.members.types import Member
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer
from domain.members import members


@strawberry.input
class UpdateProfileInput:
    display_name: str | None = None
    avatar_url: str | None = None


@strawberry.type
class UpdateProfilePayload:
    member: Member | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MemberMutations:
    @strawberry.mutation(
        extensions=[UserErrors(), Requires(Role.MEMBER)], description="{token}, own profile."
    )
    async def update_profile(self, info: Info, input: UpdateProfileInput) -> UpdateProfilePayload:
        viewer = checked_viewer(info)
        runtime = info.context.runtime
        member = await members.update_profile(
            viewer.subject,
            input.display_name,
            input.avatar_url,
            boards=runtime.leaderboards,
            tz=runtime.settings.tz,
        )
        return UpdateProfilePayload(member=Member.from_model(member))
