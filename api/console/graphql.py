"""The console reads and writes through the API's own GraphQL schema, in process.

A console form is a GraphQL mutation: `mutate(request, "upsertBadge", "UpsertBadgeInput",
values)` runs exactly what a client's `upsertBadge(input: ...)` runs (the string guard, the
admin role check, `Atomic`'s one transaction, the domain service, its audit record, its
`UserErrors`), with the signed-in admin's own token. So there is one write path, and the audit
log names the admin. Pages read the same way (`query`), so they show what the API answers.

Nothing goes over the network and no rate limit applies; the schema is built once per process
(`build_schema(introspection=False)`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import GraphQLError
from starlette.exceptions import HTTPException
from starlette.requests import Request

from api.console.session import LoginRequired, current
from api.console.state import console_of, runtime_of
from api.context import Context
from api.schema import build_schema
from domain.errors import ErrorCode


@functools.cache
def schema() -> strawberry.Schema:
    return build_schema(introspection=False)


@dataclass(frozen=True)
class UserError:
    """A mutation's refusal: its code, message and the input field at fault (dotted, without
    the leading `input`: `goals.0.target`), as the form shows it."""

    code: str
    message: str
    field: str | None = None


class Unexpected(Exception):
    """A GraphQL error the console cannot show as a refusal: a bug (already logged by
    `MaskUnexpectedErrors` with `reference`) or a document the schema refused."""

    def __init__(self, message: str, reference: str | None = None) -> None:
        super().__init__(message)
        self.reference = reference


class Unavailable(Exception):
    """The database or Redis did not answer (code UNAVAILABLE)."""


async def query(request: Request, document: str, **variables: Any) -> dict[str, Any]:
    """The data of a read as the signed-in admin; GraphQL errors raise (see `_raise_for`)."""
    data, errors = await _execute(request, document, variables)
    if errors:
        _raise_for(request, errors)
    assert data is not None
    return data


async def mutate(
    request: Request,
    field: str,
    input_type: str,
    values: dict[str, Any],
    selection: str = "",
) -> tuple[dict[str, Any] | None, list[UserError]]:
    """Run `field(input: values)`; its payload (`selection` read from it) and its refusals."""
    document = (
        f"mutation Console($input: {input_type}!) {{ {field}(input: $input) "
        f"{{ {selection} errors {{ code message field }} }} }}"
    )
    return await mutate_document(request, document, field, {"input": values})


async def mutate_document(
    request: Request, document: str, field: str, variables: dict[str, Any]
) -> tuple[dict[str, Any] | None, list[UserError]]:
    """Run a mutation document whose one field `field` returns a payload with `errors`."""
    data, errors = await _execute(request, document, variables)
    if errors:
        refusals = [_refusal(error) for error in errors]
        if all(refusal is not None for refusal in refusals):
            return None, [refusal for refusal in refusals if refusal is not None]
        _raise_for(request, errors)
    assert data is not None
    payload: dict[str, Any] = data[field]
    user_errors = [
        UserError(error["code"], error["message"], _dotted(error.get("field")))
        for error in payload.get("errors") or []
    ]
    return payload, user_errors


async def _execute(
    request: Request, document: str, variables: dict[str, Any]
) -> tuple[dict[str, Any] | None, list[GraphQLError]]:
    session = await current(request)
    if session is None:
        raise LoginRequired(request.url.path)
    context = Context(
        runtime=runtime_of(request),
        authorization=f"Bearer {session.token}",
        verifier=console_of(request).verifier,
    )
    result = await schema().execute(document, variable_values=variables, context_value=context)
    return result.data, list(result.errors or [])


def _code(error: GraphQLError) -> str | None:
    code = (error.extensions or {}).get("code")
    return str(code) if code is not None else None


def _refusal(error: GraphQLError) -> UserError | None:
    """A variable that does not coerce (a value the form let through but GraphQL refuses) is
    the admin's input error, shown like the mutation's own refusals."""
    if _code(error) == ErrorCode.GRAPHQL_VALIDATION_FAILED and "Variable '$input'" in (
        error.message
    ):
        return UserError(str(ErrorCode.INVALID_INPUT), error.message, _coercion_field(error))
    if _code(error) == ErrorCode.INVALID_INPUT:
        return UserError(
            str(ErrorCode.INVALID_INPUT),
            error.message,
            _dotted((error.extensions or {}).get("field")),
        )
    return None


def _coercion_field(error: GraphQLError) -> str | None:
    # graphql-core: "Variable '$input' got invalid value 5 at 'input.goals[0].target'; ..."
    message = error.message
    marker = " at 'input."
    if marker not in message:
        return None
    path = message.split(marker, 1)[1].split("'", 1)[0]
    return path.replace("[", ".").replace("]", "")


def _dotted(field: object) -> str | None:
    if not isinstance(field, list) or not field:
        return None
    parts = [str(part) for part in field]
    if parts[0] == "input":
        parts = parts[1:]
    return ".".join(parts) or None


def _raise_for(request: Request, errors: list[GraphQLError]) -> None:
    codes = {_code(error) for error in errors}
    if ErrorCode.UNAUTHENTICATED in codes:
        # The token stopped verifying (it expired within the verifier's leeway, or the key
        # changed): the session is over.
        raise LoginRequired(request.url.path, ended=True)
    if ErrorCode.UNAVAILABLE in codes:
        raise Unavailable(errors[0].message)
    if ErrorCode.NOT_FOUND in codes:
        raise HTTPException(404, errors[0].message)
    if codes <= {ErrorCode.INVALID_CURSOR, ErrorCode.INVALID_INPUT}:
        # A page address that was tampered with (a cursor, a filter): the visitor's mistake.
        raise HTTPException(400, errors[0].message)
    if ErrorCode.FORBIDDEN in codes:
        raise HTTPException(403, errors[0].message)
    references = [
        str((error.extensions or {}).get("reference"))
        for error in errors
        if _code(error) == ErrorCode.INTERNAL_SERVER_ERROR
    ]
    raise Unexpected("; ".join(error.message for error in errors), next(iter(references), None))
