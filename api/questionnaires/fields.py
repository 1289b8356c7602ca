"""The resolver of `Member.questionnaires`."""

from __future__ import annotations

from api.auth import Role
from api.context import Info
from api.questionnaires.types import QuestionnaireStatus
from domain.models import Member


async def member_questionnaires(member: Member, info: Info) -> list[QuestionnaireStatus]:
    """Text answers are private to the member and admins: a SERVICE token reads them as null."""
    viewer = info.context.viewer()
    show_text = viewer is not None and viewer.role in (Role.ADMIN, Role.MEMBER)
    statuses = await info.context.questionnaires.statuses.load(member.id)
    return [QuestionnaireStatus.of(status, show_text) for status in statuses]
