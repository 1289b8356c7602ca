"""The one error type for expected failures. The API turns it into a `UserError`."""

from __future__ import annotations

from collections.abc import Sequence

from gamification.actions import Problem


class DomainError(Exception):
    """An expected failure the caller can act on, with a stable SCREAMING_SNAKE_CASE code."""

    def __init__(self, code: str, message: str, field: Sequence[str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = list(field) if field is not None else None


def invalid_input(message: str, *field: str) -> DomainError:
    return DomainError("INVALID_INPUT", message, field or None)


def not_found(message: str, *field: str) -> DomainError:
    return DomainError("NOT_FOUND", message, field or None)


def reject_invalid(problems: Sequence[Problem]) -> None:
    """Raise INVALID_INPUT for the first problem a validation rule found, if any."""
    if problems:
        first = problems[0]
        raise DomainError("INVALID_INPUT", first.message, first.field)
