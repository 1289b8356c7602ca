from __future__ import annotations

import strawberry

from api.atomic import Atomic
from api.auth import Role
from api.context import Info
from api.errors import UserError
from api.members.types import LedgerEntry
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer
from domain.points import adjustments


@strawberry.input
class AdjustPointsInput:
    member_id: strawberry.ID
    amount: int = strawberry.field(
        description=(
            "Positive credits, negative debits. A debit may not take the balance below zero."
        )
    )
    reason: str
    idempotency_key: str


@strawberry.type
class AdjustPointsPayload:
    entry: LedgerEntry | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PointsMutations:
    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description=(
            "Recorded in the ledger as ADJUSTMENT with the admin's subject and reason"
            " in the audit log."
        ),
    )
    async def adjust_points(self, info: Info, input: AdjustPointsInput) -> AdjustPointsPayload:
        viewer = checked_viewer(info)
        entry = await adjustments.adjust_points(
            info.context.runtime,
            viewer.subject,
            str(input.member_id),
            input.amount,
            input.reason,
            input.idempotency_key,
        )
        return AdjustPointsPayload(entry=LedgerEntry.from_model(entry))
