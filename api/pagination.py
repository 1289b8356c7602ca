"""Relay connections: one generic `Connection[Node]`, page sizes clamped to 1..100, opaque
keyset cursors, and `id_keyset_connection`, the one way a newest-first history list is served.

`Connection[LedgerEntry]` is served as `LedgerEntryConnection` with `LedgerEntryEdge` edges
(Strawberry names a generic after its argument), the names these lists always had.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from api.errors import ClientError
from domain.errors import ErrorCode
from domain.infra.ids import parse_id

MAX_PAGE = 100

RowT = TypeVar("RowT", bound=Any)
NodeT = TypeVar("NodeT")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo


def clamp_first(first: int | None, default: int) -> int:
    """Page sizes are clamped rather than refused: 0 or less gives 1, more than 100 gives 100."""
    if first is None:
        return default
    return max(1, min(MAX_PAGE, first))


def clamp_radius(radius: int | None, default: int = 5, most: int = 50) -> int:
    if radius is None:
        return default
    return max(0, min(most, radius))


def encode_id_cursor(kind: str, value: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode().rstrip("=")


def decode_id_cursor(kind: str, cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        prefix, _, value = base64.urlsafe_b64decode(padded).decode().partition(":")
        parsed = parse_id(value)
        if prefix == kind and parsed is not None:
            return parsed
    except (ValueError, UnicodeDecodeError):
        pass
    raise ClientError(ErrorCode.INVALID_CURSOR, "the cursor is not valid for this list")


async def id_keyset_connection(
    kind: str,
    first: int | None,
    after: str | None,
    fetch: Callable[[int, int | None], Awaitable[Sequence[RowT]]],
    to_node: Callable[[RowT], NodeT],
    default_size: int = 20,
) -> Connection[NodeT]:
    """A newest-first page of a history list whose cursors are row ids of `kind`.

    `fetch(size, before_id)` returns up to `size + 1` rows, newest first, with ids below
    `before_id` (`domain.infra.keyset.history` does exactly that); the extra row tells whether more
    follow. A cursor from another list, or none of ours, is INVALID_CURSOR.
    """
    size = clamp_first(first, default_size)
    rows = await fetch(size, decode_id_cursor(kind, after))
    page = rows[:size]
    cursors = [encode_id_cursor(kind, int(row.id)) for row in page]
    edges = [
        Edge(cursor=cursor, node=to_node(row)) for cursor, row in zip(cursors, page, strict=True)
    ]
    info = PageInfo(
        has_next_page=len(rows) > size,
        has_previous_page=after is not None,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )
    return Connection(edges=edges, page_info=info)
