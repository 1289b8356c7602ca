from __future__ import annotations

import strawberry

from api.auth import Role
from api.permissions import Requires
from api.streaks.types import StreakFreezePolicy
from domain.streaks import freezes


@strawberry.type
class StreakQueries:
    @strawberry.field(extensions=[Requires(Role.ADMIN)])
    async def streak_freeze_policy(self) -> StreakFreezePolicy:
        return StreakFreezePolicy.of(await freezes.policy())
