from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from domain.models import AuditRecord as AuditRecordModel


@strawberry.type(description="Who changed what, when, with the state before and after.")
class AuditRecord:
    id: strawberry.ID
    actor: str
    operation: str
    target: str
    before: JSON | None
    after: JSON | None
    created_at: datetime

    @classmethod
    def from_model(cls, record: AuditRecordModel) -> AuditRecord:
        return cls(
            id=strawberry.ID(str(record.id)),
            actor=record.actor,
            operation=record.operation,
            target=record.target,
            before=record.before,
            after=record.after,
            created_at=record.created_at,
        )
