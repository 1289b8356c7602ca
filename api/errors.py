"""How failures reach clients.

- Expected failures are `DomainError`s; mutations return them as `UserError`s in their payload,
  queries raise them as GraphQL errors carrying the same code in `extensions.code`.
- Authentication and authorization failures are GraphQL errors with code UNAUTHENTICATED or
  FORBIDDEN.
- The database or Redis being unreachable is UNAVAILABLE: the client may retry; the server logs
  one WARNING per outage (`domain.outages`), no traceback.
- Anything else is masked: the client sees a generic message and a reference; the server log has
  the traceback under the same reference.
"""

from __future__ import annotations

import logging
import uuid

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from domain import outages
from domain.errors import DomainError

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

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, extensions={"code": code})


def unauthenticated(message: str = "authentication required") -> ClientError:
    return ClientError("UNAUTHENTICATED", message)


def forbidden(message: str = "not allowed for this token's role") -> ClientError:
    return ClientError("FORBIDDEN", message)


def from_domain(error: DomainError) -> ClientError:
    return ClientError(error.code, error.message)


class MaskUnexpectedErrors(MaskErrors):
    """Mask every error that is not meant for clients, logging it with a correlation id."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=_is_unexpected)

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
                extensions={"code": "UNAVAILABLE"},
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
            extensions={"code": "INTERNAL_SERVER_ERROR", "reference": reference},
        )


def _is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None:
        return False  # raised as a GraphQLError on purpose (ClientError, validation)
    return not isinstance(original, (ClientError, DomainError))
