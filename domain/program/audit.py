"""The audit trail: every admin mutation records who changed what, with before and after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from domain.infra import keyset
from domain.infra.db import fitted, matching, touch_program
from domain.models import AuditRecord

ModelT = TypeVar("ModelT", bound=Model)


async def record(
    connection: BaseDBAsyncClient,
    actor: str,
    operation: str,
    target: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Write the record in the caller's transaction: a change and its audit commit together.
    A target longer than its column (`member_badge:<member>:<badge>`) is stored `fitted`."""
    await AuditRecord.create(
        actor=actor,
        operation=operation,
        target=fitted(AuditRecord, "target", target),
        before=before,
        after=after,
        using_db=connection,
    )


async def history(
    first: int,
    before_id: int | None,
    *,
    actor: str | None = None,
    operation: str | None = None,
) -> list[AuditRecord]:
    """Newest first, keyset-paginated by id (`domain.infra.keyset.history`); only `actor`'s
    records and/or those of one `operation` when given (the console's filters)."""
    filters = {"actor": actor, "operation": operation}
    query = matching(AuditRecord, **{k: v for k, v in filters.items() if v is not None})
    return await keyset.history(query, first, before_id)


async def operations() -> list[str]:
    """Every operation the log holds, by name (the console's choice of kinds)."""
    found = await AuditRecord.all().distinct().values_list("operation", flat=True)
    return sorted(str(operation) for operation in found)


async def upsert_by_key(
    connection: BaseDBAsyncClient,
    model: type[ModelT],
    key: str,
    values: dict[str, Any],
    *,
    actor: str,
    operation: str,
    snapshot: Callable[[ModelT], dict[str, Any]],
) -> ModelT:
    """Create the admin-defined row `key`, or overwrite its fields, under its row lock; the
    audit record (before and after) commits with it. The shape of every admin upsert. Every
    member's cached reads are dropped once it commits (`touch_program`): definitions are what
    members read beside their own rows."""
    touch_program()
    row = await model.select_for_update().using_db(connection).get_or_none(key=key)
    before = snapshot(row) if row is not None else None
    if row is None:
        row = await model.create(key=key, using_db=connection, **values)
    else:
        row.update_from_dict(values)
        await row.save(using_db=connection)
    target = f"{model._meta.db_table}:{key}"
    await record(connection, actor, operation, target, before, snapshot(row))
    return row
