from __future__ import annotations

import strawberry

from api.challenges.types import Challenge, ChallengeStatus
from api.context import Info
from domain.goals import challenges
from gamification.challenges import ChallengeStatus as ChallengeStatusRule


@strawberry.type
class ChallengeQueries:
    @strawberry.field(description="All statuses when `status` is null. Soonest ending first.")
    async def challenges(
        self, info: Info, status: ChallengeStatus | None = None
    ) -> list[Challenge]:
        wanted = ChallengeStatusRule[status.name] if status is not None else None
        found = await challenges.list_challenges(wanted, info.context.now)
        return [Challenge.from_model(c) for c in found]
