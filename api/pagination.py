"""Relay connections: PageInfo, page sizes clamped to 1..100, opaque keyset cursors."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import strawberry

from api.errors import ClientError

MAX_PAGE = 100

RowT = TypeVar("RowT", bound=Any)
EdgeT = TypeVar("EdgeT")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


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
        if prefix == kind and value.isdigit() and len(value) <= 19:
            return int(value)
    except (ValueError, UnicodeDecodeError):
        pass
    raise ClientError("INVALID_CURSOR", "the cursor is not valid for this list")


def id_keyset_page(
    kind: str,
    rows: Sequence[RowT],
    size: int,
    after: str | None,
    make_edge: Callable[[str, RowT], EdgeT],
) -> tuple[list[EdgeT], PageInfo]:
    """Edges and PageInfo for a newest-first page fetched with one extra row (`size + 1`) to
    tell whether more follow; each row's cursor is its `id`."""
    page = rows[:size]
    cursors = [encode_id_cursor(kind, int(row.id)) for row in page]
    edges = [make_edge(cursor, row) for cursor, row in zip(cursors, page, strict=True)]
    info = PageInfo(
        has_next_page=len(rows) > size,
        has_previous_page=after is not None,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )
    return edges, info
