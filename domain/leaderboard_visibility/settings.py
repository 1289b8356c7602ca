"""Setting a member's leaderboard visibility: in the database first, then on every board.

The member's row holds the choice; once it commits, the boards Redis may still hold that list the
member (every board and period, current and closed ones not yet expired) get the member's new
stored profile in one round trip, which moves a HIDDEN member out of the ranked set (and back),
and live subscribers of those boards are told, so the next push shows the change. Archives of
periods already closed keep the display they were archived with.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from domain.infra.db import after_commit, transaction
from domain.leaderboards import profiles as board_profiles
from domain.leaderboards.store import LeaderboardStore
from domain.members.members import enrol, lock_member
from domain.models import Member
from gamification.leaderboards import Visibility


async def set_visibility(
    member_id: str,
    visibility: Visibility,
    *,
    boards: LeaderboardStore,
    now: datetime,
    tz: ZoneInfo,
) -> Member:
    """Store the member's choice (enrolling them on first contact); a change shows on every
    board at once. Setting the value the member already has changes nothing."""
    await enrol(member_id)
    async with transaction() as connection:
        # The member's lock orders this change with their score writes and profile changes;
        # it also drops the member's cached reads once committed (`lock_member`).
        member = await lock_member(connection, member_id)
        if member.leaderboard_visibility != visibility.value:
            await (
                Member.filter(id=member_id)
                .using_db(connection)
                .update(leaderboard_visibility=visibility.value)
            )
            member.leaderboard_visibility = visibility.value
            name, avatar = member.display_name, member.avatar_url
            after_commit(
                lambda: board_profiles.changed(
                    boards,
                    member_id,
                    name,
                    avatar,
                    now,
                    tz,
                    visibility,
                    announce=True,
                )
            )
    return member


def visibility_of(member: Member) -> Visibility:
    return Visibility(member.leaderboard_visibility)
