"""The audit trail: every admin mutation records who changed what, with before and after."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.models import AuditRecord


async def record(
    connection: BaseDBAsyncClient,
    actor: str,
    operation: str,
    target: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Write the record in the caller's transaction: a change and its audit commit together."""
    await AuditRecord.create(
        actor=actor,
        operation=operation,
        target=target,
        before=before,
        after=after,
        using_db=connection,
    )


async def history(first: int, before_id: int | None) -> list[AuditRecord]:
    """Newest first, keyset-paginated by id; fetches one extra to tell whether more follow."""
    query = AuditRecord.all()
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    return await query.order_by("-id").limit(first + 1)
