from __future__ import annotations

import strawberry

from api.auth import Role
from api.context import Info
from api.leaderboard_visibility.types import LeaderboardVisibility
from api.members.types import Member
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer
from domain.leaderboard_visibility.settings import set_visibility


@strawberry.type
class LeaderboardVisibilityMutations:
    @strawberry.mutation(
        extensions=[UserErrors(), Requires(Role.MEMBER)], description="{token}, own setting."
    )
    async def set_leaderboard_visibility(
        self,
        info: Info,
        visibility: LeaderboardVisibility,
    ) -> Member:
        viewer = checked_viewer(info)
        runtime = info.context.runtime
        member = await set_visibility(
            viewer.subject,
            visibility.rule,
            boards=runtime.leaderboards,
            now=info.context.now,
            tz=runtime.settings.tz,
        )
        return Member.from_model(member)
