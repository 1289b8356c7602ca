"""The operation depth limit, counting every field, introspection fields included.

Strawberry's `QueryDepthLimiter` skips every field whose name starts with `__`, so a fragment
chain through `__type { ofType { ofType … } }` is as deep as the client likes. Here each field
counts. Paths inside `__schema` / `__type` get a limit of their own, just deep enough for the
standard introspection query that GraphiQL and code generators send.
"""

from __future__ import annotations

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

from api.guards.operation_rules import FragmentMeasure, operation_rule

# graphql-core's full `get_introspection_query()` is 14 levels deep (`__schema types fields
# type`, then TypeRef's chain of `ofType`); one level of room above it, and no more.
MAX_INTROSPECTION_DEPTH = 15


def depth_limit_rule(max_depth: int) -> type[ValidationRule]:
    """A validation rule refusing any operation deeper than `max_depth` fields (or
    MAX_INTROSPECTION_DEPTH on a path through an introspection field)."""

    def refusal(heights: tuple[int, int], name: str) -> str | None:
        ordinary, any_path = heights
        if ordinary > max_depth or any_path > max(max_depth, MAX_INTROSPECTION_DEPTH):
            return f"'{name}' exceeds maximum operation depth of {max_depth}"
        return None

    return operation_rule(_Heights, refusal)


class _Heights(FragmentMeasure[tuple[int, int]]):
    """How deep a selection set goes: (deepest path without an introspection field, deepest
    path of all), counting the fields that have a selection set of their own."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context, (0, 0))

    def of(self, selections: SelectionSetNode, visited: frozenset[str]) -> tuple[int, int]:
        ordinary = any_path = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                if selection.selection_set is None:
                    continue
                below_ordinary, below_any = self.of(selection.selection_set, visited)
                if not selection.name.value.startswith("__"):
                    ordinary = max(ordinary, 1 + below_ordinary)
                any_path = max(any_path, 1 + below_any)
            else:
                if isinstance(selection, InlineFragmentNode):
                    below_ordinary, below_any = self.of(selection.selection_set, visited)
                else:
                    assert isinstance(selection, FragmentSpreadNode)
                    below_ordinary, below_any = self.spread(selection.name.value, visited)
                ordinary, any_path = max(ordinary, below_ordinary), max(any_path, below_any)
        return ordinary, any_path
