"""The one keyset `history()` query: newest first, paged by id.

Every history list (ledger, member events, audit log) is read the same way: rows older than the
cursor's id, newest first, one more than the page holds so the caller can tell whether more
follow. Keyset rather than OFFSET so a page costs the same however deep it is, and a row added
meanwhile neither repeats nor skips one.
"""

from __future__ import annotations

from typing import TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

ModelT = TypeVar("ModelT", bound=Model)


async def history(query: QuerySet[ModelT], first: int, before_id: int | None) -> list[ModelT]:
    """Up to `first + 1` rows of `query` with an id below `before_id` (all when None), newest
    first."""
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    return await query.order_by("-id").limit(first + 1)
