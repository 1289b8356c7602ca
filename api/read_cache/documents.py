"""Which documents the member read cache may answer, decided once per document text.

Cacheable: a query (never a mutation or subscription) whose root fields are all in `ROOTS`: the
member's own data (`me`) and the program's definitions, whose every change is a touched
version. Anything else runs as it always did: `leaderboard` (its public pages have their own
shared cache, and around/entry must stay one Redis round trip), `interaction` (a member polls a
PENDING one, which recording does not touch), other members' content, admin fields,
introspection. A document that does not parse, names an operation it does not hold, or holds
several operations without naming one, is never cached (it fails as usual).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
)

from api.read_cache.volatile import VOLATILE_FIELDS

ROOTS = frozenset(
    {
        "me",
        "actions",
        "badges",
        "boards",
        "challenges",
        "referralProgram",
        "rewards",
        "tiers",
        "__typename",
    }
)
# Longer documents are never cached (the schema's own limit refuses them anyway).
MAX_TOKENS = 2_000


@dataclass(frozen=True)
class Plan:
    """A cacheable document: whether it selects a volatile field (kept at most a second)."""

    volatile: bool


@functools.lru_cache(maxsize=2048)
def plan_of(query: str, operation_name: str | None) -> Plan | None:
    """The plan of the operation `operation_name` (the only one when None) of `query`, or None
    when the read cache must leave it alone."""
    try:
        document = parse(query, no_location=True, max_tokens=MAX_TOKENS)
    except GraphQLError:
        return None
    operations: list[OperationDefinitionNode] = []
    fragments: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            operations.append(definition)
        elif isinstance(definition, FragmentDefinitionNode):
            fragments[definition.name.value] = definition
        else:
            return None
    operation = _chosen(operations, operation_name)
    if operation is None or operation.operation is not OperationType.QUERY:
        return None
    try:
        roots = list(_fields(operation.selection_set, fragments, set()))
        if not roots or any(field.name.value not in ROOTS for field in roots):
            return None
        memo: dict[str, frozenset[str]] = {}
        volatile = any(
            VOLATILE_FIELDS & _names(field.selection_set, fragments, memo, set()) for field in roots
        )
    except (_Unknown, RecursionError):
        return None
    return Plan(volatile=volatile)


class _Unknown(Exception):
    """The document spreads a fragment it does not define (it fails validation)."""


def _chosen(
    operations: list[OperationDefinitionNode], name: str | None
) -> OperationDefinitionNode | None:
    if name is None:
        return operations[0] if len(operations) == 1 else None
    named = [op for op in operations if op.name is not None and op.name.value == name]
    return named[0] if len(named) == 1 else None


def _fields(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    spread: set[str],
) -> Iterator[FieldNode]:
    """The fields of one level, fragments flattened."""
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, spread)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in fragments:
                raise _Unknown(name)
            if name in spread:
                continue  # a cycle: validation refuses it; nothing more to find here
            yield from _fields(fragments[name].selection_set, fragments, spread | {name})


def _names(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    memo: dict[str, frozenset[str]],
    active: set[str],
) -> frozenset[str]:
    """Every field name below, at any depth: each fragment's names found once (`memo`), so
    fragments spread many times cost nothing more, and a cycle (`active`) ends."""
    names: set[str] = set()
    if selection_set is None:
        return frozenset()
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
            names |= _names(selection.selection_set, fragments, memo, active)
        elif isinstance(selection, InlineFragmentNode):
            names |= _names(selection.selection_set, fragments, memo, active)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in fragments:
                raise _Unknown(name)
            if name not in memo and name not in active:
                active.add(name)
                memo[name] = _names(fragments[name].selection_set, fragments, memo, active)
                active.discard(name)
            names |= memo.get(name, frozenset())
    return frozenset(names)
