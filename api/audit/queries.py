from __future__ import annotations

import strawberry

from api.audit.types import AuditRecord
from api.auth import Role
from api.context import Info
from api.pagination import Connection, id_keyset_connection
from api.permissions import Requires
from domain.program import audit


@strawberry.type
class AuditQueries:
    @strawberry.field(
        extensions=[Requires(Role.ADMIN)], description="Every admin change, newest first."
    )
    async def audit_log(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> Connection[AuditRecord]:
        return await id_keyset_connection(
            "audit", first, after, audit.history, AuditRecord.from_model
        )
