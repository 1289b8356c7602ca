"""`Member.insight`: admins always; the member themselves when the program allows it
(`PLAUDIT_INSIGHT_VISIBLE_TO_MEMBERS`, off by default); FORBIDDEN for anyone else."""

from __future__ import annotations

from api.auth import Role
from api.context import Info
from api.errors import forbidden
from api.insight.types import MemberInsight


async def member_insight(info: Info, member_id: str) -> MemberInsight | None:
    viewer = info.context.viewer()
    allowed = viewer is not None and (
        viewer.role is Role.ADMIN
        or (
            viewer.role is Role.MEMBER
            and viewer.subject == member_id
            and info.context.runtime.settings.insight_visible_to_members
        )
    )
    if not allowed:
        raise forbidden("insight is for admins (and for members themselves when allowed)")
    row = await info.context.insight.rows.load(member_id)
    return MemberInsight.of(row, info.context.runtime.settings.tz) if row is not None else None
