"""The resolver of `Member.badges`."""

from __future__ import annotations

from api.badges.types import BadgeStatus
from api.context import Info
from domain.models import Member


async def member_badges(member: Member, info: Info) -> list[BadgeStatus]:
    standings = await info.context.badges.standings_of(member)
    return [BadgeStatus.from_standing(standing) for standing in standings]
