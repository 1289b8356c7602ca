"""The resolver of `Member.streaks`."""

from __future__ import annotations

from datetime import UTC, datetime

from api.context import Info
from api.streaks.types import Streak
from domain.models import Member
from gamification.periods import local_date


async def member_streaks(member: Member, info: Info) -> list[Streak]:
    today = local_date(datetime.now(UTC), info.context.runtime.settings.tz)
    found = await info.context.streaks.of_member.load(member.id)
    return [Streak.from_standing(standing, today) for standing in found]
