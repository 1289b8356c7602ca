"""The resolver of `Member.streaks`."""

from __future__ import annotations

from api.context import Info
from api.streaks.types import Streak
from domain.models import Member
from gamification.periods import local_date


async def member_streaks(member: Member, info: Info) -> list[Streak]:
    # Today in the program time zone: the answer changes at midnight (the read cache's day
    # boundary), when an unextended streak stops being current.
    today = local_date(info.context.now, info.context.runtime.settings.tz)
    found = await info.context.streaks.of_member.load(member.id)
    return [Streak.from_standing(standing, today) for standing in found]
