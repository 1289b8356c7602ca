from __future__ import annotations

import strawberry

from api.audit.types import AuditRecord, AuditRecordConnection, AuditRecordEdge
from api.auth import Role
from api.context import Info
from api.pagination import PageInfo, clamp_first, decode_id_cursor, encode_id_cursor
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
        edges = [
            AuditRecordEdge(cursor=encode_id_cursor("audit", r.id), node=AuditRecord.from_model(r))
            for r in records[:size]
        ]
        return AuditRecordConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(records) > size,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
