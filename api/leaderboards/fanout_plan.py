"""Which `leaderboardChanged` documents the fan-out renders itself, and how it renders them.

Executing a subscription's selection set per subscriber per push was most of a push's cost
(graphql-core, about 8 µs a field). The common documents select plain fields of the update, its
entries and their members; for those the fan-out renders the JSON itself: the update with its
`top` once per tick (`template`), and each subscriber's `me` into the hole it leaves (`fill`).

A document is recognised (`Recogniser.follow`) only when a normal execution could not answer it
differently: it passes the schema's validation, it holds one subscription operation whose one
root field is `leaderboardChanged` (an alias allowed), and below that only fields of
`UPDATE_FIELDS`, `ENTRY_FIELDS` and `MEMBER_FIELDS`, without arguments, directives, fragments or
aliases (so neither the alias limit nor field merging can come into it), each response key once;
its variables coerce. Anything else (and any doubt) is executed as usual. The output keeps
graphql-core's order (the selection's) and values: `__typename`, enum names, IDs as strings.
"""

from __future__ import annotations

import functools
import json
import weakref
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    validate,
)
from graphql.execution.values import get_argument_values, get_variable_values

from api.single_operation import single_operation
from gamification.leaderboards import BoardPeriod

ROOT_FIELD = "leaderboardChanged"
UPDATE_TYPE, ENTRY_TYPE, MEMBER_TYPE = "LeaderboardUpdate", "LeaderboardEntry", "PublicMember"
UPDATE_FIELDS = frozenset({"__typename", "board", "period", "top", "me"})
ENTRY_FIELDS = frozenset({"__typename", "rank", "score", "member"})
MEMBER_FIELDS = frozenset({"__typename", "id", "displayName", "avatarUrl"})
_OBJECT_FIELDS = {"top": ENTRY_FIELDS, "me": ENTRY_FIELDS, "member": MEMBER_FIELDS}
# Distinct selection sets kept for sharing (beyond, equal ones are rendered apart).
MAX_SELECTIONS = 1_024

# A selection set as the renderer walks it: (response key, field name, sub-selection) in the
# document's order. Hashable: a selection set is part of what a rendering is shared by.
Selection = tuple[tuple[str, str, "Selection | None"], ...]
# A rendered update: JSON text, with a `me` selection wherever a subscriber's entry goes.
Template = tuple["str | Selection", ...]


@dataclass(frozen=True)
class Row:
    """One entry as the API shows it (score already within GraphQL's Int)."""

    rank: int
    score: int
    member_id: str
    display_name: str
    avatar_url: str | None


@dataclass(frozen=True)
class Follow:
    """A recognised subscription: its arguments (as the resolver would get them), where its
    update goes in the response, and what it selects."""

    board: str
    period: BoardPeriod
    top: int | None
    response_key: str
    selection: Selection
    operation_name: str | None = None  # the document's, for the request metrics


@dataclass(frozen=True)
class _Prepared:
    operation: OperationDefinitionNode
    field: FieldNode
    selection: Selection


class Recogniser:
    """Recognises the documents the fan-out renders, for one schema (parse and validation are
    kept per document text)."""

    def __init__(self, schema: GraphQLSchema, max_tokens: int) -> None:
        self.schema = schema
        self.max_tokens = max_tokens
        self._prepare = functools.lru_cache(maxsize=512)(self._prepare_uncached)
        # Equal selection sets are one object: a rendering is shared by identity.
        self._selections: dict[Selection, Selection] = {}

    def follow(self, query: object, variables: object, operation_name: object) -> Follow | None:
        """The subscription `query` asks for, when the fan-out can render it; else None."""
        if not isinstance(query, str) or ROOT_FIELD not in query:
            return None
        if not isinstance(operation_name, str | None) or not isinstance(variables, dict | None):
            return None
        prepared = self._prepare(query, operation_name)
        if prepared is None:
            return None
        subscription = self.schema.subscription_type
        if subscription is None:
            return None
        try:
            coerced = get_variable_values(
                self.schema, prepared.operation.variable_definitions or (), variables or {}
            )
            if isinstance(coerced, list):
                return None  # variables that do not coerce: the usual execution says why
            arguments = get_argument_values(
                subscription.fields[ROOT_FIELD], prepared.field, coerced
            )
        except (GraphQLError, TypeError, ValueError):
            return None
        board, period, top = arguments.get("board"), arguments.get("period"), arguments.get("top")
        if not isinstance(board, str) or not isinstance(period, BoardPeriod):
            return None
        if top is not None and not isinstance(top, int):
            return None
        key = prepared.field.alias.value if prepared.field.alias else ROOT_FIELD
        name = prepared.operation.name.value if prepared.operation.name else None
        return Follow(board, period, top, key, prepared.selection, name)

    def _prepare_uncached(self, query: str, operation_name: str | None) -> _Prepared | None:
        found = single_operation(query, operation_name, OperationType.SUBSCRIPTION, self.max_tokens)
        if found is None:
            return None
        document, operation = found
        roots = operation.selection_set.selections
        if len(roots) != 1 or not isinstance(roots[0], FieldNode):
            return None
        field = roots[0]
        if field.name.value != ROOT_FIELD or field.directives:
            return None
        if any(variable.directives for variable in operation.variable_definitions or ()):
            return None
        selection = _selection(field.selection_set, UPDATE_FIELDS)
        if selection is None or validate(self.schema, document):
            return None
        if len(self._selections) < MAX_SELECTIONS:
            selection = self._selections.setdefault(selection, selection)
        return _Prepared(operation, field, selection)


def _selection(node: SelectionSetNode | None, allowed: frozenset[str]) -> Selection | None:
    """The selection set as the renderer walks it, or None when it has anything but plain,
    unaliased, argument-free fields of `allowed`, or a response key twice."""
    if node is None:
        return None
    fields: list[tuple[str, str, Selection | None]] = []
    seen: set[str] = set()
    for selection in node.selections:
        if not isinstance(selection, FieldNode):
            return None  # a fragment
        name = selection.name.value
        if name not in allowed or name in seen or selection.alias is not None:
            return None
        if selection.arguments or selection.directives:
            return None
        seen.add(name)
        sub: Selection | None = None
        if name in _OBJECT_FIELDS:
            sub = _selection(selection.selection_set, _OBJECT_FIELDS[name])
            if sub is None:
                return None
        elif selection.selection_set is not None:
            return None
        fields.append((name, name, sub))
    return tuple(fields) if fields else None


# One encoder for every rendering (json.dumps with options builds one per call).
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _entry(selection: Selection, row: Row) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, name, sub in selection:
        if name == "rank":
            out[key] = row.rank
        elif name == "score":
            out[key] = row.score
        elif name == "member":
            assert sub is not None
            out[key] = _member(sub, row)
        else:
            out[key] = ENTRY_TYPE
    return out


def _member(selection: Selection, row: Row) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, name, _ in selection:
        if name == "id":
            out[key] = row.member_id
        elif name == "displayName":
            out[key] = row.display_name
        elif name == "avatarUrl":
            out[key] = row.avatar_url
        else:
            out[key] = MEMBER_TYPE
    return out


def template(
    selection: Selection, board: str, period: BoardPeriod, top: tuple[Row, ...]
) -> Template:
    """The update as JSON text, `top` rendered; each `me` is left as a hole (its selection)."""
    parts: list[str | Selection] = []
    text = ["{"]
    for index, (key, name, sub) in enumerate(selection):
        text.append(("," if index else "") + _dumps(key) + ":")
        if name == "__typename":
            text.append(_dumps(UPDATE_TYPE))
        elif name == "board":
            text.append(_dumps(board))
        elif name == "period":
            text.append(_dumps(period.name))
        elif name == "top":
            assert sub is not None
            text.append(_dumps([_entry(sub, row) for row in top]))
        else:  # me
            assert sub is not None
            parts += ["".join(text), sub]
            text = []
    text.append("}")
    parts.append("".join(text))
    return tuple(parts)


def fill(parts: Template, me: Row | None) -> str:
    """The update's JSON text with the subscriber's own entry (null when they have none)."""
    return "".join(
        part if isinstance(part, str) else ("null" if me is None else _dumps(_entry(part, me)))
        for part in parts
    )


def envelope(operation_id: str, response_key: str) -> tuple[str, str]:
    """The text before and after an update in a graphql-transport-ws `next` message."""
    head = (
        '{"id":'
        + _dumps(operation_id)
        + ',"type":"next","payload":{"data":{'
        + _dumps(response_key)
        + ":"
    )
    return head, "}}}"


_recognisers: weakref.WeakKeyDictionary[GraphQLSchema, Recogniser] = weakref.WeakKeyDictionary()


def recogniser(schema: GraphQLSchema, max_tokens: int) -> Recogniser:
    """The schema's recogniser (one per schema, so its cache is shared by every socket)."""
    found = _recognisers.get(schema)
    if found is None:
        found = _recognisers[schema] = Recogniser(schema, max_tokens)
    return found
