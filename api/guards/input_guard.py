"""Every string argument of every field passes `gamification.text` before a resolver runs.

One place, so that no mutation or query can forget it: a NUL byte or a lone surrogate (which
PostgreSQL or every UTF-8 encoder refuses, as a 500) and an oversized free-text field are
answered INVALID_INPUT naming the field, and nothing is executed. A mutation whose payload
carries `errors` gets the refusal there, like every other input error; anything else gets a
GraphQL error with the same code and field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema, get_named_type

from api.errors import ClientError, UserError
from domain.errors import ErrorCode
from gamification.text import TextProblem, first_problem

JSON_FIELDS = frozenset({"properties"})
# Arguments whose items succeed or fail on their own (a bulk call refuses only the bad item):
# their resolver checks every field of every item with the same rules (`domain.interactions.record.
# check_recording`), so the guard leaves them to it rather than refusing the whole call.
ITEMWISE: dict[str, frozenset[str]] = {"recordInteractions": frozenset({"inputs"})}
DEFINITION = "strawberry-definition"  # where Strawberry keeps a GraphQL type's definition


def guard_string_arguments(schema: GraphQLSchema) -> None:
    """Wrap the resolver of every field that takes arguments so they pass `first_problem`
    first. Done once on the built schema, so a field without arguments (most of a response)
    pays nothing; a schema extension's `resolve` hook ran for every field of every response."""
    for named in schema.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
            continue
        for name, field in named.fields.items():
            if not field.args:
                continue
            itemwise = ITEMWISE.get(name, frozenset()) if named.name == "Mutation" else frozenset()
            if field.resolve is not None:
                field.resolve = _guarded(field.resolve, itemwise)
            if field.subscribe is not None:
                field.subscribe = _guarded(field.subscribe, itemwise)


def _guarded(resolve: Callable[..., Any], itemwise: frozenset[str]) -> Callable[..., Any]:
    def guarded(root: Any, info: GraphQLResolveInfo[Any], *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            checked = kwargs
            if itemwise:
                checked = {name: value for name, value in kwargs.items() if name not in itemwise}
            problem = first_problem(checked, JSON_FIELDS)
            if problem is not None:
                return refusal(info, problem)
        return resolve(root, info, *args, **kwargs)

    return guarded


def refusal(info: GraphQLResolveInfo[Any], problem: TextProblem) -> Any:
    """The payload with the error when the field returns one with `errors`; else raise."""
    field = list(problem.path)
    payload = _payload_class(info)
    if payload is not None:
        return payload(
            errors=[UserError(code=ErrorCode.INVALID_INPUT, message=problem.message, field=field)]
        )
    error = ClientError(ErrorCode.INVALID_INPUT, problem.message)
    error.extensions = {**(error.extensions or {}), "field": field}
    raise error


def _payload_class(info: GraphQLResolveInfo[Any]) -> type | None:
    if info.parent_type.name != "Mutation":
        return None
    named = get_named_type(info.return_type)
    definition = (getattr(named, "extensions", None) or {}).get(DEFINITION)
    if definition is None or "errors" not in {f.python_name for f in definition.fields}:
        return None
    origin: type = definition.origin
    return origin
