"""`PublicMember`: a member as anybody may see them (name and avatar, never their ids elsewhere).

Its own module because content authors, referrers and leaderboard entries all show one, and
`api.members.types` (the member's private view) shows those types in turn: kept here, the
public face imports nothing of theirs.
"""

from __future__ import annotations

import strawberry

from api.context import Info
from domain.members.members import default_display_name
from domain.models import Member as MemberModel


@strawberry.type(description="A member as anybody may see them.")
class PublicMember:
    id: strawberry.ID
    display_name: str
    avatar_url: str | None

    @classmethod
    def from_model(cls, member: MemberModel) -> PublicMember:
        return cls(
            id=strawberry.ID(member.id),
            display_name=member.display_name,
            avatar_url=member.avatar_url,
        )


async def public_member(info: Info, member_id: str) -> PublicMember:
    """The member as anyone may see them, through the request's loader (a page of items loads
    its members in one query)."""
    profile = await info.context.members.public_by_id.load(member_id)
    return PublicMember(
        id=strawberry.ID(member_id),
        display_name=profile.display_name if profile else default_display_name(member_id),
        avatar_url=profile.avatar_url if profile else None,
    )
