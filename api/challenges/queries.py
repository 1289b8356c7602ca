from __future__ import annotations

import strawberry

from api.challenges.types import Challenge, ChallengeStatus
from api.challenges.visibility import revealed_to_viewer, sees_every_challenge
from api.context import Info
from domain.goals import challenges
from gamification.challenges import ChallengeStatus as ChallengeStatusRule


@strawberry.type
class ChallengeQueries:
    @strawberry.field(
        description="All statuses when `status` is null. Soonest ending first. Hidden "
        "challenges only for ADMIN, and for a member those they completed."
    )
    async def challenges(
        self, info: Info, status: ChallengeStatus | None = None
    ) -> list[Challenge]:
        wanted = ChallengeStatusRule[status.name] if status is not None else None
        admin = sees_every_challenge(info)
        revealed = set() if admin else await revealed_to_viewer(info)
        found = await challenges.list_challenges(
            wanted, info.context.now, include_hidden=admin, revealed=revealed
        )
        return [Challenge.from_model(c) for c in found]
