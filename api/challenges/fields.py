"""The resolver of `Member.challenges(status)`."""

from __future__ import annotations

from api.challenges.types import ChallengeProgress, ChallengeStatus
from api.challenges.visibility import sees_every_challenge
from api.context import Info
from domain.goals import challenges
from domain.models import Member


async def member_challenges(
    member: Member, info: Info, status: ChallengeStatus | None
) -> list[ChallengeProgress]:
    found = await info.context.challenges.participations.load(member.id)
    # A status (hence the filter) changes when a challenge's window opens or closes, and a
    # repeating challenge's round when its period ends: the read cache's program-wide
    # boundaries hold every challenge's.
    now, tz = info.context.now, info.context.runtime.settings.tz
    admin = sees_every_challenge(info)
    shown = []
    for rows in found:
        participation = rows.at(now, tz)
        if rows.challenge.hidden and not admin and not participation.ever_completed:
            continue  # a hidden challenge shows once the member completed it
        if status is None or challenges.status(rows.challenge, now).name == status.name:
            shown.append(ChallengeProgress.from_participation(participation))
    return shown
