"""The resolver of `Member.challenges(status)`."""

from __future__ import annotations

from datetime import UTC, datetime

from api.challenges.types import ChallengeProgress, ChallengeStatus
from api.context import Info
from domain.goals import challenges
from domain.models import Member


async def member_challenges(
    member: Member, info: Info, status: ChallengeStatus | None
) -> list[ChallengeProgress]:
    found = await info.context.challenges.participations.load(member.id)
    now = datetime.now(UTC)
    return [
        ChallengeProgress.from_participation(participation)
        for participation in found
        if status is None or challenges.status(participation.challenge, now).name == status.name
    ]
