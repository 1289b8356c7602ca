"""The resolver of `Member.challenges(status)`."""

from __future__ import annotations

from api.challenges.types import ChallengeProgress, ChallengeStatus
from api.context import Info
from domain.goals import challenges
from domain.models import Member


async def member_challenges(
    member: Member, info: Info, status: ChallengeStatus | None
) -> list[ChallengeProgress]:
    found = await info.context.challenges.participations.load(member.id)
    # A status (hence the filter) changes when a challenge's window opens or closes: the read
    # cache's program-wide boundaries hold every challenge's.
    now = info.context.now
    return [
        ChallengeProgress.from_participation(participation)
        for participation in found
        if status is None or challenges.status(participation.challenge, now).name == status.name
    ]
