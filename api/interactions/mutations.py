from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from api.auth import Role
from api.context import Info
from api.errors import UserError
from api.interactions.types import Interaction
from domain import interactions
from domain.errors import DomainError


@strawberry.input
class RecordInteractionInput:
    action: str
    idempotency_key: str
    member_id: strawberry.ID | None = None
    occurred_at: datetime | None = None
    properties: JSON | None = None


@strawberry.type
class RecordInteractionPayload:
    interaction: Interaction | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class InteractionMutations:
    @strawberry.mutation(
        description="MEMBER (memberReportable actions only) or SERVICE token. Returns at once "
        "with status PENDING or the final status; a worker awards the points."
    )
    async def record_interaction(
        self, info: Info, input: RecordInteractionInput
    ) -> RecordInteractionPayload:
        viewer = info.context.require(Role.MEMBER, Role.SERVICE)
        try:
            member_id = _member_for(viewer.role, viewer.subject, input.member_id)
            interaction = await interactions.record_interaction(
                info.context.runtime,
                interactions.Recording(
                    member_id=member_id,
                    action_key=input.action,
                    idempotency_key=input.idempotency_key,
                    occurred_at=input.occurred_at,
                    properties=input.properties,
                    trusted=viewer.role is Role.SERVICE,
                ),
            )
        except DomainError as error:
            return RecordInteractionPayload(errors=[UserError.from_domain(error)])
        return RecordInteractionPayload(interaction=Interaction.from_model(interaction))


def _member_for(role: Role, subject: str, requested: strawberry.ID | None) -> str:
    if role is Role.MEMBER:
        if requested is not None and str(requested) != subject:
            raise DomainError(
                "FORBIDDEN",
                "a member may record interactions only for themselves",
                ("input", "memberId"),
            )
        return subject
    if requested is None:
        raise DomainError(
            "INVALID_INPUT", "memberId is required with a SERVICE token", ("input", "memberId")
        )
    return str(requested)
