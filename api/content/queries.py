from __future__ import annotations

import base64
import re

import strawberry

from api.content.types import (
    NEWEST_CURSOR,
    QUEUE_CURSOR,
    Content,
    ContentOrder,
    ContentStatus,
    reader_of,
)
from api.context import Info
from api.errors import ClientError
from api.pagination import Connection, Edge, PageInfo, clamp_first, id_keyset_connection
from domain.community.content import reads as content_reads
from domain.community.content.reads import ContentOrder as ContentOrderEnum
from domain.community.content.reads import TopCursor
from domain.errors import ErrorCode
from domain.infra.ids import parse_id
from domain.models import Content as ContentModel
from domain.models import ContentStatus as ContentStatusModel

DEFAULT_PAGE = 20
TOP_CURSOR = "content-top"
# A stored score: 0 to 100, rounded to 2 decimals (its repr, as the cursor carries it).
_SCORE = re.compile(r"\d{1,3}(\.\d{1,20})?")


def encode_top_cursor(content: ContentModel) -> str:
    raw = f"{TOP_CURSOR}:{float(content.score)!r}:{content.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_top_cursor(cursor: str) -> TopCursor:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        kind, score, content_id = base64.urlsafe_b64decode(padded).decode().split(":")
        parsed = parse_id(content_id)
        if kind == TOP_CURSOR and _SCORE.fullmatch(score) and parsed is not None:
            return TopCursor(float(score), parsed)
    except (ValueError, UnicodeDecodeError):
        pass
    raise ClientError(ErrorCode.INVALID_CURSOR, "the cursor is not valid for this list")


@strawberry.type
class ContentQueries:
    @strawberry.field(
        description="Approved content for everyone; ADMIN may filter on any status (the "
        "moderation queue is status PENDING, oldest first). A MEMBER token also lists the "
        "member's own pieces in every status. TOP: highest score first."
    )
    async def contents(
        self,
        info: Info,
        status: ContentStatus | None = None,  # type: ignore[valid-type]
        subject: str | None = None,
        order: ContentOrder | None = ContentOrderEnum.NEWEST,  # type: ignore[valid-type]
        first: int | None = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Content]:
        reader = reader_of(info)
        wanted = ContentStatusModel(status.value) if status is not None else None
        ordering = ContentOrderEnum(order) if order is not None else ContentOrderEnum.NEWEST
        if ordering is ContentOrderEnum.TOP:
            return await _top_page(reader, wanted, subject, first, after)

        async def fetch(size: int, after_id: int | None) -> list[ContentModel]:
            return await content_reads.list_contents(
                reader, wanted, subject, ordering, size, after_id
            )

        # The moderation queue runs oldest first: its cursors are of another kind.
        kind = QUEUE_CURSOR if content_reads.is_queue(wanted, ordering) else NEWEST_CURSOR
        return await id_keyset_connection(
            kind, first, after, fetch, Content.from_model, DEFAULT_PAGE
        )

    @strawberry.field(description="Null when there is no such piece or the viewer may not see it.")
    async def content(self, info: Info, id: strawberry.ID) -> Content | None:
        found = await content_reads.get_content(reader_of(info), str(id))
        return Content.from_model(found) if found is not None else None


async def _top_page(
    reader: content_reads.Reader,
    status: ContentStatusModel | None,
    subject: str | None,
    first: int | None,
    after: str | None,
) -> Connection[Content]:
    size = clamp_first(first, DEFAULT_PAGE)
    cursor = decode_top_cursor(after) if after is not None else None
    rows = await content_reads.list_contents(
        reader, status, subject, ContentOrderEnum.TOP, size, cursor
    )
    page = rows[:size]
    edges = [Edge(cursor=encode_top_cursor(row), node=Content.from_model(row)) for row in page]
    info = PageInfo(
        has_next_page=len(rows) > size,
        has_previous_page=after is not None,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info)
