"""The one error vocabulary, and the one error type for expected failures.

Every code a client can see (in a `UserError`, in `extensions.code`, in a refused request's body)
is a member of `ErrorCode`, and the README's "Errors" table lists each one (a test keeps the two
in step). Codes are a public contract: add new ones, never rename or remove one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum

from gamification.actions import Problem
from gamification.moments import MomentError, checked_moment


class ErrorCode(StrEnum):
    """Every error code served. A StrEnum, so a code still compares equal to its string."""

    INVALID_INPUT = "INVALID_INPUT"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    INVALID_CURSOR = "INVALID_CURSOR"
    RATE_LIMITED = "RATE_LIMITED"
    UNAVAILABLE = "UNAVAILABLE"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    POINTS_OVERFLOW = "POINTS_OVERFLOW"
    INSUFFICIENT_POINTS = "INSUFFICIENT_POINTS"
    INACTIVE = "INACTIVE"
    LIMIT_REACHED = "LIMIT_REACHED"
    TIER_REQUIRED = "TIER_REQUIRED"
    OUT_OF_STOCK = "OUT_OF_STOCK"
    ALREADY_CANCELLED = "ALREADY_CANCELLED"
    NOT_ACTIVE = "NOT_ACTIVE"
    CHALLENGE_FULL = "CHALLENGE_FULL"
    ALREADY_ENROLLED = "ALREADY_ENROLLED"
    SELF_REFERRAL = "SELF_REFERRAL"
    ALREADY_REFERRED = "ALREADY_REFERRED"
    TOO_LATE = "TOO_LATE"
    TOO_SOON = "TOO_SOON"
    REFERRAL_CYCLE = "REFERRAL_CYCLE"
    DUPLICATE = "DUPLICATE"
    NOT_APPROVED = "NOT_APPROVED"
    OWN_CONTENT = "OWN_CONTENT"
    ALREADY_MODERATED = "ALREADY_MODERATED"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    BAD_REQUEST = "BAD_REQUEST"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    BODY_TOO_LARGE = "BODY_TOO_LARGE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
    PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
    PERSISTED_QUERY_NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"


class DomainError(Exception):
    """An expected failure the caller can act on, with a stable code from `ErrorCode`.

    A plain string is accepted (callers that predate the enum) but must name a member: an
    unknown code fails loudly here rather than reaching a client as an undocumented one.
    """

    def __init__(
        self, code: ErrorCode | str, message: str, field: Sequence[str] | None = None
    ) -> None:
        super().__init__(message)
        self.code = ErrorCode(code)
        self.message = message
        self.field = list(field) if field is not None else None


def invalid_input(message: str, *field: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, message, field or None)


def not_found(message: str, *field: str) -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, message, field or None)


def utc_instant(moment: datetime, *field: str) -> datetime:
    """`moment` in UTC when the program can use it (`gamification.moments`: an offset, a year
    it supports); INVALID_INPUT on `field` otherwise, named by its last part. Services check
    the instants they store with it before writing: one stored without an offset fails every
    comparison made of it afterwards."""
    try:
        return checked_moment(moment).astimezone(UTC)
    except MomentError as refusal:
        raise invalid_input(f"{field[-1]} {refusal}", *field) from None


def idempotency_key_reused(what: str, difference: str) -> DomainError:
    """A replay must repeat its request: the same key with another payload is refused, since
    answering with the first result would hide that the second was never carried out."""
    return DomainError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        f"this idempotencyKey was used for an earlier {what} with {difference}",
        ("input", "idempotencyKey"),
    )


def reject_invalid(problems: Sequence[Problem]) -> None:
    """Raise INVALID_INPUT for the first problem a validation rule found, if any."""
    if problems:
        first = problems[0]
        raise DomainError(ErrorCode.INVALID_INPUT, first.message, first.field)
