"""Looking ahead at what a document selects of a board, to read it all in one script call.

`leaderboard` resolves before its fields: it walks their selection (aliases, inline fragments
and fragment spreads included) and tells, for `size`, `entries`, `around` and `entry`, which
reads they will make, with their arguments as the fields will see them (variables, literals,
defaults, the viewer for a missing `memberId`). The answers prime the request's loader
(`BoardLoaders.prefetch`). Each field still checks its arguments and reads for itself: a read
foreseen wrongly or not at all costs a round trip, never a wrong answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    NullValueNode,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
)

from api.context import Info
from api.errors import ClientError
from api.pagination import clamp_first, clamp_radius
from domain.leaderboards.store import AroundRead, BoardRead, PageRead, SizeRead
from gamification.leaderboards import BoardKey, decode_cursor

# An argument the look-ahead cannot evaluate early (a value of another kind).
_UNKNOWN = object()


def planned_reads(info: Info, key: BoardKey) -> list[BoardRead]:
    """The reads the board's selection will make, as far as they can be told before its fields
    resolve (each field still checks and reads its own: this only saves round trips). A page
    the page cache holds is not read again."""
    raw = info._raw_info
    pages = info.context.runtime.leaderboards.pages
    reads: list[BoardRead] = []
    for node in _fields(raw.field_nodes, raw.fragments):
        name = node.name.value
        if name == "size":
            reads.append(SizeRead())
        elif name == "entries":
            first, after = _argument(info, node, "first", 10), _argument(info, node, "after", None)
            if not isinstance(first, int | None) or not isinstance(after, str | None):
                continue
            if after is not None and decode_cursor(after) is None:
                continue  # the field refuses it
            page = PageRead(clamp_first(first, 10), after)
            if not pages.fresh((key, page)):
                reads.append(page)
        elif name in ("around", "entry"):
            member_id = _argument(info, node, "memberId", None)
            radius = _argument(info, node, "radius", 5) if name == "around" else 0
            viewer_id = viewer_id_of(info)
            if member_id is None:
                member_id = viewer_id
            if isinstance(member_id, str) and isinstance(radius, int | None):
                own = member_id == viewer_id
                reads.append(AroundRead(member_id, clamp_radius(radius), own))
    return reads


def _fields(
    field_nodes: Sequence[FieldNode], fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    """The fields selected of the board, through inline fragments and fragment spreads."""

    def walk(selection_set: SelectionSetNode | None, seen: frozenset[str]) -> Iterator[FieldNode]:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from walk(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:
                    yield from walk(fragment.selection_set, seen | {name})

    for node in field_nodes:
        yield from walk(node.selection_set, frozenset())


def _argument(info: Info, node: FieldNode, name: str, default: Any) -> Any:
    for argument in node.arguments or ():
        if argument.name.value != name:
            continue
        value = argument.value
        if isinstance(value, VariableNode):
            return info.variable_values.get(value.name.value, default)
        if isinstance(value, NullValueNode):
            return None
        if isinstance(value, IntValueNode):
            return str(value.value) if name == "memberId" else int(value.value)
        if isinstance(value, StringValueNode):
            return value.value
        return _UNKNOWN
    return default


def viewer_id_of(info: Info) -> str | None:
    """The viewer's id, when the credentials are good (bad ones fail in the field itself)."""
    try:
        viewer = info.context.viewer()
    except ClientError:
        return None
    return viewer.subject if viewer is not None else None
