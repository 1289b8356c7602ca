"""How failures reach clients.

- Expected failures are `DomainError`s; mutations return them as `UserError`s in their payload,
  queries raise them as GraphQL errors carrying the same code in `extensions.code`.
- Authentication and authorization failures are GraphQL errors with code UNAUTHENTICATED or
  FORBIDDEN.
- The database or Redis being unreachable is UNAVAILABLE: the client may retry; the server logs
  one WARNING per outage (`domain.infra.outages`), no traceback.
- A request that cannot run (a syntax error, a document the schema refuses, variables that do not
  coerce) is the client's mistake: code GRAPHQL_PARSE_FAILED or GRAPHQL_VALIDATION_FAILED, the
  same whether a bad value came as a literal or as a variable, logged at INFO.
- Anything else is masked: the client sees a generic message and a reference; the server log has
  the traceback under the same reference.
"""

from __future__ import annotations

import logging
import uuid

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from domain.errors import DomainError, ErrorCode
from domain.infra import outages

log = logging.getLogger("plaudit.errors")


@strawberry.type(description="An error the caller can act on.")
class UserError:
    code: str
    message: str
    field: list[str] | None = None

    @classmethod
    def from_domain(cls, error: DomainError) -> UserError:
        return cls(code=error.code, message=error.message, field=error.field)


class ClientError(GraphQLError):
    """A GraphQL error meant for the client, with a stable code."""

    def __init__(self, code: ErrorCode | str, message: str) -> None:
        super().__init__(message, extensions={"code": str(ErrorCode(code))})


def unauthenticated(message: str = "authentication required") -> ClientError:
    return ClientError(ErrorCode.UNAUTHENTICATED, message)


def forbidden(message: str = "not allowed for this token's role") -> ClientError:
    return ClientError(ErrorCode.FORBIDDEN, message)


def from_domain(error: DomainError) -> ClientError:
    return ClientError(error.code, error.message)


class MaskUnexpectedErrors(MaskErrors):
    """Mask every error that is not meant for clients, logging it with a correlation id."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=_is_unexpected)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [with_request_error_code(error) for error in super()._process_errors(errors)]

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if original is not None and outages.is_outage(original):
            outages.of(original).failed(original)
            return GraphQLError(
                message="The service is temporarily unavailable; try again shortly.",
                nodes=error.nodes,
                source=error.source,
                positions=error.positions,
                path=error.path,
                extensions={"code": str(ErrorCode.UNAVAILABLE)},
            )
        reference = uuid.uuid4().hex[:16]
        log.error(
            "unexpected error %s in %s",
            reference,
            ".".join(str(p) for p in error.path or []),
            exc_info=error.original_error or error,
        )
        return GraphQLError(
            message=f"Unexpected error. Reference: {reference}",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": str(ErrorCode.INTERNAL_SERVER_ERROR), "reference": reference},
        )


def is_request_error(error: GraphQLError) -> bool:
    """Whether `error` stopped the request before execution: no path, and either no cause
    (parsing, validation) or a GraphQLError one (graphql-core's variable coercion wraps its
    "Int cannot represent…" error in another)."""
    original = error.original_error
    return error.path is None and (original is None or isinstance(original, GraphQLError))


def with_request_error_code(error: GraphQLError) -> GraphQLError:
    """A request error without a code gets the one for its kind, in place."""
    if is_request_error(error) and not (error.extensions or {}).get("code"):
        code = (
            ErrorCode.GRAPHQL_PARSE_FAILED
            if error.message.startswith("Syntax Error")
            else ErrorCode.GRAPHQL_VALIDATION_FAILED
        )
        error.extensions = {**(error.extensions or {}), "code": str(code)}
    return error


def _is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None:
        return False  # raised as a GraphQLError on purpose (ClientError, validation)
    if is_request_error(error):
        return False  # variables that do not coerce: the client's mistake
    return not isinstance(original, (ClientError, DomainError))
