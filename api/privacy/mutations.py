from __future__ import annotations

import strawberry

from api.atomic import Atomic
from api.auth import Role
from api.context import Info
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer
from api.privacy.types import EraseMemberPayload
from domain.privacy import erasure


@strawberry.type
class PrivacyMutations:
    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description=(
            "Irreversible: the member's profile, content text, referral code, tokens' access and "
            "leaderboard entries are removed everywhere (database, Redis, archives); points "
            "totals stay only as anonymous aggregates. Idempotent. Sends MEMBER_ERASED."
        ),
    )
    async def erase_member(self, info: Info, member_id: strawberry.ID) -> EraseMemberPayload:
        viewer = checked_viewer(info)
        await erasure.erase(info.context.runtime, str(member_id), viewer.subject)
        return EraseMemberPayload(erased=True)
