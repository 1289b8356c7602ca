"""The alias limit of an operation, counted through fragments in time linear in the document.

Strawberry's `MaxAliasesLimiter` walks every fragment spread anew, so a chain of fragments that
each spread the next one twice takes time exponential in its length: forty of them pinned a core
for minutes before the request was refused. Here each fragment's alias count is computed once
and reused wherever it is spread (as `api.depth_limit` does for heights).
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


def alias_limit_rule(max_aliases: int) -> type[ValidationRule]:
    """A validation rule refusing any operation with more than `max_aliases` aliased fields,
    fragments counted as often as they are spread."""

    class AliasLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            counts = _Aliases(context)
            for definition in context.document.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                found = counts.of(definition.selection_set, frozenset())
                if found > max_aliases:
                    context.report_error(
                        GraphQLError(f"{found} aliases found. Allowed: {max_aliases}", definition)
                    )

        def enter(self, *args: Any) -> Any:
            return self.BREAK  # all the work is done once, in __init__

    return AliasLimit


class _Aliases:
    """Aliased fields in a selection set, through its fragments. A fragment's count is kept
    once computed; one already on the path is not entered again (cycles are NoFragmentCycles'
    business, unknown fragments KnownFragmentNames')."""

    def __init__(self, context: ValidationContext) -> None:
        self.fragments = {
            definition.name.value: definition
            for definition in context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.known: dict[str, int] = {}

    def of(self, selections: SelectionSetNode, visited: frozenset[str]) -> int:
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += selection.alias is not None
                if selection.selection_set is not None:
                    total += self.of(selection.selection_set, visited)
            elif isinstance(selection, InlineFragmentNode):
                total += self.of(selection.selection_set, visited)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, visited)
        return total

    def _fragment(self, name: str, visited: frozenset[str]) -> int:
        if name in self.known:
            return self.known[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in visited:
            return 0
        count = self.of(fragment.selection_set, visited | {name})
        self.known[name] = count
        return count
