"""The operation depth limit, counting every field, introspection fields included.

Strawberry's `QueryDepthLimiter` skips every field whose name starts with `__`, so a fragment
chain through `__type { ofType { ofType … } }` is as deep as the client likes. Here each field
counts. Paths inside `__schema` / `__type` get a limit of their own, just deep enough for the
standard introspection query that GraphiQL and code generators send.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

# graphql-core's full `get_introspection_query()` is 14 levels deep (`__schema types fields
# type`, then TypeRef's chain of `ofType`); one level of room above it, and no more.
MAX_INTROSPECTION_DEPTH = 15


def depth_limit_rule(max_depth: int) -> type[ValidationRule]:
    """A validation rule refusing any operation deeper than `max_depth` fields (or
    MAX_INTROSPECTION_DEPTH on a path through an introspection field)."""

    class DepthLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            heights = _Heights(context)
            for definition in context.document.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                ordinary, any_path = heights.of(definition.selection_set, frozenset())
                if ordinary > max_depth or any_path > max(max_depth, MAX_INTROSPECTION_DEPTH):
                    name = definition.name.value if definition.name else "anonymous"
                    context.report_error(
                        GraphQLError(
                            f"'{name}' exceeds maximum operation depth of {max_depth}",
                            definition,
                        )
                    )

        def enter(self, *args: Any) -> Any:
            return self.BREAK  # all the work is done once, in __init__

    return DepthLimit


class _Heights:
    """How deep a selection set goes: (deepest path without an introspection field, deepest
    path of all), counting the fields that have a selection set of their own.

    A fragment's heights are computed once and reused wherever it is spread: walking each spread
    anew would take time exponential in the number of fragments (a fragment spreading another
    twice, fifty times over). A fragment already on the path is not entered again (cycles are
    NoFragmentCycles' business, unknown fragments KnownFragmentNames')."""

    def __init__(self, context: ValidationContext) -> None:
        self.fragments = {
            definition.name.value: definition
            for definition in context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.known: dict[str, tuple[int, int]] = {}

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
                below_ordinary, below_any = self._of_fragment(selection, visited)
                ordinary, any_path = max(ordinary, below_ordinary), max(any_path, below_any)
        return ordinary, any_path

    def _of_fragment(self, selection: Any, visited: frozenset[str]) -> tuple[int, int]:
        if isinstance(selection, InlineFragmentNode):
            return self.of(selection.selection_set, visited)
        assert isinstance(selection, FragmentSpreadNode)
        name = selection.name.value
        fragment = self.fragments.get(name)
        if fragment is None or name in visited:
            return 0, 0
        if name not in self.known:
            self.known[name] = self.of(fragment.selection_set, visited | {name})
        return self.known[name]
