from __future__ import annotations

import strawberry

from api.audit.types import AuditRecord, AuditRecordConnection, AuditRecordEdge
from api.auth import Role
from api.context import Info
from api.pagination import clamp_first, decode_id_cursor, id_keyset_page
from domain import audit


@strawberry.type
class AuditQueries:
    @strawberry.field(description="ADMIN token. Every admin change, newest first.")
    async def audit_log(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> AuditRecordConnection:
        info.context.require(Role.ADMIN)
        size = clamp_first(first, 20)
        before_id = decode_id_cursor("audit", after)
        records = await audit.history(size, before_id)
        edges, page_info = id_keyset_page(
            "audit",
            records,
            size,
            after,
            lambda cursor, r: AuditRecordEdge(cursor=cursor, node=AuditRecord.from_model(r)),
        )
        return AuditRecordConnection(edges=edges, page_info=page_info)
