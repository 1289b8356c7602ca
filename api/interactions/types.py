from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from domain.models import Interaction as InteractionModel
from domain.models import InteractionStatus as InteractionStatusEnum

InteractionStatus = strawberry.enum(InteractionStatusEnum, name="InteractionStatus")


@strawberry.type
class Interaction:
    id: strawberry.ID
    action: str
    member_id: strawberry.ID
    status: InteractionStatus  # type: ignore[valid-type]
    occurred_at: datetime
    recorded_at: datetime
    points_awarded: int = strawberry.field(
        description="Points credited for it, after the tier multiplier. 0 unless AWARDED."
    )
    reason: str | None
    properties: JSON | None

    @classmethod
    def from_model(cls, interaction: InteractionModel) -> Interaction:
        return cls(
            id=strawberry.ID(str(interaction.id)),
            action=interaction.action_key,
            member_id=strawberry.ID(interaction.member_id),
            status=InteractionStatusEnum(interaction.status),
            occurred_at=interaction.occurred_at,
            recorded_at=interaction.recorded_at,
            points_awarded=interaction.points_awarded,
            reason=interaction.reason,
            properties=interaction.properties,
        )
