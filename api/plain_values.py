"""Plain values: objects built whole before execution, completed without a resolver per field.

graphql-core executes every selected field of every object through the same machinery (a
resolve-info object, the resolver, a completion step): about 5 µs a field, which is most of the
cost of a list of small objects such as a board's entries (`around(radius: 5)`: 11 entries of 6
fields each). A type marked `@plain` holds only values already computed: its fields are
attributes without resolvers (Strawberry's "basic" fields). For such an object, or a list of
them, `PlainExecutionContext` compiles the collected selection once per request (aliases,
fragments, `@include`/`@skip` and `__typename` as the executor collected them) into a plan: per
response key, the field's own basic resolver and the completion its type needs (leaves coerced
exactly as graphql-core coerces them). An object the plain one holds (an entry's `member`) is
planned the same way when every field selected of it is basic.

Anything else takes the executor's general path, unchanged: an unmarked type, a selected field
that has a resolver (or arguments, or a field extension), an abstract type, a directive on the
list field, a schema extension that wraps resolvers, a null where the schema forbids it, a value
a scalar refuses. A plan has no side effects (basic resolvers read attributes), so on any doubt
the plain pass is dropped and the general path runs from the start of that value, raising its
errors where the spec says. The answers are the same either way (tests/api/test_plain_values.py
compares them); only the cost differs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    is_leaf_type,
)
from graphql.pyutils import Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

T = TypeVar("T")
Complete = Callable[[Any], Any]

# GraphQL names of the types marked `@plain`.
_PLAIN: set[str] = set()


class _NotPlain(Exception):
    """The plain pass cannot answer this value: the general path will."""


def plain(cls: T) -> T:
    """Mark a Strawberry type (apply above `@strawberry.type`) whose objects are built with
    every value computed, so that selecting it costs no resolver per field."""
    definition = getattr(cls, "__strawberry_definition__", None)
    if definition is None:
        raise TypeError(f"@plain goes above @strawberry.type, not on {cls!r}")
    _PLAIN.add(definition.name)
    return cls


def is_plain(type_name: str) -> bool:
    return type_name in _PLAIN


class PlainExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with the plain pass for `@plain` objects and lists."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Plans of this request, by object type and collected field set.
        self._plans: dict[tuple[str, int], Complete] = {}

    def _plain_allowed(self) -> bool:
        # A schema extension that wraps resolvers (`resolve`) must see every field.
        middleware = self.middleware_manager
        return middleware is None or not middleware.middlewares

    def collect_and_execute_subfields(
        self,
        return_type: GraphQLObjectType,
        field_details_list: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        if return_type.name in _PLAIN and self._plain_allowed():
            try:
                return self._object_plan(return_type, field_details_list)(result)
            except _NotPlain:
                pass
        return super().collect_and_execute_subfields(
            return_type, field_details_list, path, result, position_context
        )

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        item_type = return_type.of_type
        named = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if (
            isinstance(named, GraphQLObjectType)
            and named.name in _PLAIN
            and not named.is_type_of
            and isinstance(result, list | tuple)
            and self._plain_allowed()
            and not any(details.node.directives for details in field_details_list)
        ):
            try:
                complete = self._completion(item_type, field_details_list)
                return [complete(item) for item in result]
            except _NotPlain:
                pass
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _object_plan(self, object_type: GraphQLObjectType, field_details_list: Any) -> Complete:
        grouped, deferred, _ = self.collect_subfields(object_type, field_details_list)
        if deferred:
            raise _NotPlain
        key = (object_type.name, id(grouped))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._compile(object_type, grouped)
        return plan

    def _compile(self, object_type: GraphQLObjectType, grouped: Any) -> Complete:
        steps: list[tuple[str, Callable[..., Any] | None, Complete | None]] = []
        for response_name, details in grouped.items():
            node = details[0].node
            name = node.name.value
            if name == "__typename":
                steps.append((response_name, None, None))
                continue
            field = object_type.fields.get(name)
            resolve = field.resolve if field is not None else None
            if field is None or resolve is None or node.arguments:
                raise _NotPlain
            if not getattr(resolve, "_is_default", False):
                raise _NotPlain  # a resolver (or a field extension) of its own
            steps.append((response_name, resolve, self._completion(field.type, details)))
        type_name = object_type.name

        def complete(source: Any) -> dict[str, Any]:
            answer: dict[str, Any] = {}
            for response_name, resolve, value_of in steps:
                if resolve is None or value_of is None:
                    answer[response_name] = type_name
                else:
                    answer[response_name] = value_of(resolve(source, None))
            return answer

        return complete

    def _completion(self, value_type: GraphQLOutputType, details: Any) -> Complete:
        """How to complete a value of `value_type` (raises `_NotPlain` at use when it cannot)."""
        if isinstance(value_type, GraphQLNonNull):
            inner = self._completion(value_type.of_type, details)

            def non_null(value: Any) -> Any:
                if value is None:
                    raise _NotPlain  # the general path raises the error, where the spec says
                return inner(value)

            return non_null
        if isinstance(value_type, GraphQLList):
            item = self._completion(value_type.of_type, details)

            def listed(value: Any) -> Any:
                if value is None:
                    return None
                if isinstance(value, str | bytes | dict) or not isinstance(value, Iterable):
                    raise _NotPlain
                return [item(element) for element in value]

            return listed
        if is_leaf_type(value_type):
            coerce = value_type.coerce_output_value

            def leaf(value: Any) -> Any:
                if value is None:
                    return None
                try:
                    coerced = coerce(value)
                except Exception as exc:
                    raise _NotPlain from exc
                if coerced is None or coerced is Undefined:
                    raise _NotPlain
                return coerced

            return leaf
        if isinstance(value_type, GraphQLObjectType) and not value_type.is_type_of:
            plan = self._object_plan(value_type, details)

            def nested(value: Any) -> Any:
                return None if value is None else plan(value)

            return nested
        raise _NotPlain
