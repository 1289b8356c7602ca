"""Reading user-generated content: who may see which pieces, and the keyset-paged lists.

Approved content is public. A member also sees their own pieces in every status; other
members' PENDING and REJECTED pieces are invisible to them (a lookup finds nothing, lists skip
them). ADMIN sees everything, which is how the moderation queue (status PENDING, oldest first)
is read. Every list is paged by keyset (the last row's id, or its (score, id) for TOP), never
by offset: a piece submitted or voted on meanwhile neither repeats nor skips one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tortoise import connections
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from domain.infra.db import dialect, matching
from domain.infra.ids import parse_id
from domain.models import Content, ContentStatus


class ContentOrder(StrEnum):
    NEWEST = "NEWEST"
    TOP = "TOP"


@dataclass(frozen=True)
class Reader:
    """Who reads: `member_id` for a MEMBER token (their own pieces are visible in every
    status), `admin` for an ADMIN token (everything is)."""

    member_id: str | None = None
    admin: bool = False

    def sees(self, content: Content) -> bool:
        return (
            self.admin
            or content.status is ContentStatus.APPROVED
            or (self.member_id is not None and content.author_id == self.member_id)
        )


@dataclass(frozen=True)
class TopCursor:
    """Where a TOP page ended: its last piece's score and id."""

    score: float
    id: int


def _visible(reader: Reader) -> QuerySet[Content]:
    if reader.admin:
        return Content.all()
    if reader.member_id is not None:
        return Content.filter(Q(status=ContentStatus.APPROVED) | Q(author_id=reader.member_id))
    return Content.filter(status=ContentStatus.APPROVED)


async def get_content(reader: Reader, content_id: str) -> Content | None:
    """The piece, when it exists and `reader` may see it."""
    parsed = parse_id(content_id)
    if parsed is None:
        return None
    content = await Content.get_or_none(id=parsed)
    return content if content is not None and reader.sees(content) else None


def is_queue(status: ContentStatus | None, order: ContentOrder) -> bool:
    """The moderation queue (PENDING, newest order asked) is served oldest first."""
    return status is ContentStatus.PENDING and order is ContentOrder.NEWEST


async def list_contents(
    reader: Reader,
    status: ContentStatus | None,
    subject: str | None,
    order: ContentOrder,
    size: int,
    after: int | TopCursor | None,
) -> list[Content]:
    """Up to `size + 1` visible pieces after the cursor (the extra one tells whether more
    follow): NEWEST by id descending (the queue ascending), TOP by score then id descending.
    `after` is an id for NEWEST and a `TopCursor` for TOP."""
    query = _visible(reader)
    if status is not None:
        query = query.filter(status=status)
    if subject is not None:
        query = matching(query, subject=subject)
    if order is ContentOrder.TOP:
        if isinstance(after, TopCursor):
            query = query.filter(Q(score__lt=after.score) | Q(score=after.score, id__lt=after.id))
        query = query.order_by("-score", "-id")
    elif is_queue(status, order):
        if isinstance(after, int):
            query = query.filter(id__gt=after)
        query = query.order_by("id")
    else:
        if isinstance(after, int):
            query = query.filter(id__lt=after)
        query = query.order_by("-id")
    return list(await query.limit(size + 1))


async def contents_of(
    author_ids: Sequence[str], size: int, before_id: int | None, every_status: bool
) -> dict[str, list[Content]]:
    """Each author's pieces, newest first, up to `size + 1` per author (every status, or only
    APPROVED ones), for many authors in two queries: the newest ids per author are picked with a
    window function, then loaded."""
    if not author_ids:
        return {}
    values: list[Any] = [*author_ids, before_id if before_id is not None else 2**62]
    if not every_status:
        values.append(ContentStatus.APPROVED.value)
    values.append(size + 1)
    if dialect() == "postgres":
        marks = [f"${i + 1}" for i in range(len(values))]
    else:
        marks = ["?"] * len(values)
    n = len(author_ids)
    authors_in = ", ".join(marks[:n])
    status_filter = "" if every_status else f" AND status = {marks[n + 1]}"
    sql = (
        "SELECT id FROM (SELECT id, ROW_NUMBER() OVER "
        "(PARTITION BY author_id ORDER BY id DESC) AS rn FROM content "
        f"WHERE author_id IN ({authors_in}) AND id < {marks[n]}{status_filter}) ranked "
        f"WHERE rn <= {marks[-1]}"
    )
    rows = await connections.get("default").execute_query_dict(sql, values)
    ids = [int(row["id"]) for row in rows]
    grouped: dict[str, list[Content]] = {author_id: [] for author_id in author_ids}
    if ids:
        for content in await Content.filter(id__in=ids).order_by("-id"):
            grouped.setdefault(content.author_id, []).append(content)
    return grouped
