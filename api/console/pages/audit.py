"""/admin/audit: the audit log, newest first, filterable by subject and kind. Reads only.

`?subject=<who>` keeps one subject's records (the `sub` of the token that made the change:
a console write is recorded under the signed-in admin's), `?kind=<operation>` one kind of
change (`upsertBadge`, `adjustPoints`, `createWebhookEndpoint`…, chosen from those the log
holds), `?before=<id>` pages back (keyset, 50 a page). Two SQL statements: the page of records
and the kinds (`domain.program.audit.history`, `audit.operations`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.console.rendering import render
from api.console.session import require_admin
from domain.infra.ids import parse_id
from domain.models import AuditRecord
from domain.program import audit

PAGE = 50
MAX_FILTER = 200  # longer than any subject or kind: matches nothing, like an unknown one


@dataclass(frozen=True)
class AuditFilters:
    subject: str
    kind: str
    before: int | None

    @classmethod
    def of(cls, request: Request) -> AuditFilters:
        params = request.query_params
        return cls(
            subject=params.get("subject", "").strip()[:MAX_FILTER],
            kind=params.get("kind", "").strip()[:MAX_FILTER],
            before=parse_id(params.get("before", "")),
        )


@dataclass(frozen=True)
class AuditData:
    records: list[AuditRecord]
    kinds: list[str]
    more: bool


async def audit_data(filters: AuditFilters) -> AuditData:
    found: list[AuditRecord] = []
    # No stored subject or kind holds a NUL (PostgreSQL refuses one even in a query's
    # parameters): such a filter matches nothing, without asking.
    if "\x00" not in filters.subject + filters.kind:
        found = await audit.history(
            PAGE,
            filters.before,
            actor=filters.subject or None,
            operation=filters.kind or None,
        )
    kinds = await audit.operations()
    return AuditData(found[:PAGE], kinds, len(found) > PAGE)


def pretty(value: Any) -> str:
    """A record's before or after state as indented JSON (escaped by the template)."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)


async def audit_page(request: Request) -> Response:
    await require_admin(request)
    filters = AuditFilters.of(request)
    data = await audit_data(filters)
    older = None
    if data.more and data.records:
        params = {"before": str(data.records[-1].id)}
        if filters.subject:
            params["subject"] = filters.subject
        if filters.kind:
            params["kind"] = filters.kind
        older = params
    return render(
        request,
        "audit.html",
        data=data,
        filters=filters,
        older=older,
        pretty=pretty,
    )


routes = [Route("/audit", audit_page, name="audit")]
