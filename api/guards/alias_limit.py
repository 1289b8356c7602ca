"""The alias limit of an operation, counted through fragments in time linear in the document
(`api.guards.operation_rules`): Strawberry's `MaxAliasesLimiter` walked every fragment spread
anew."""

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


def alias_limit_rule(max_aliases: int) -> type[ValidationRule]:
    """A validation rule refusing any operation with more than `max_aliases` aliased fields,
    fragments counted as often as they are spread."""

    def refusal(found: int, name: str) -> str | None:
        return f"{found} aliases found. Allowed: {max_aliases}" if found > max_aliases else None

    return operation_rule(_Aliases, refusal)


class _Aliases(FragmentMeasure[int]):
    """Aliased fields in a selection set, through its fragments."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context, 0)

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
                total += self.spread(selection.name.value, visited)
        return total
