"""What the depth and alias limits share: a measure of each operation computed once, with each
fragment measured once however often it is spread.

Walking every spread anew takes time exponential in the number of fragments (a fragment that
spreads the next one twice, forty times over, is 2**40 visits): Strawberry's limiters did, and
such a document pinned a core. A fragment already on the path is not entered again (cycles are
NoFragmentCycles' business, unknown fragments KnownFragmentNames').
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from graphql import (
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

MeasureT = TypeVar("MeasureT")


class FragmentMeasure(ABC, Generic[MeasureT]):
    """A measure of selection sets (`of`), each fragment's kept once computed (`spread`)."""

    def __init__(self, context: ValidationContext, empty: MeasureT) -> None:
        self.fragments = {
            definition.name.value: definition
            for definition in context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.known: dict[str, MeasureT] = {}
        self.empty = empty

    @abstractmethod
    def of(self, selections: SelectionSetNode, visited: frozenset[str]) -> MeasureT:
        """The measure of `selections`, below the fragments in `visited`."""

    def spread(self, name: str, visited: frozenset[str]) -> MeasureT:
        """The measure of the fragment `name`, computed at its first spread."""
        if name in self.known:
            return self.known[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in visited:
            return self.empty
        measure = self.of(fragment.selection_set, visited | {name})
        self.known[name] = measure
        return measure


def operation_rule(
    measure: Callable[[ValidationContext], FragmentMeasure[MeasureT]],
    refusal: Callable[[MeasureT, str], str | None],
) -> type[ValidationRule]:
    """A validation rule that measures each operation once and reports `refusal(measure, name)`
    when it is not None."""

    class OperationRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            measured = measure(context)
            for definition in context.document.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                name = definition.name.value if definition.name else "anonymous"
                message = refusal(measured.of(definition.selection_set, frozenset()), name)
                if message is not None:
                    context.report_error(GraphQLError(message, definition))

        def enter(self, *args: Any) -> Any:
            return self.BREAK  # all the work is done once, in __init__

    return OperationRule
