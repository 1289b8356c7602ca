"""The `DateTime` scalar, ours instead of Strawberry's: every `DateTime` argument and input
field of the schema is parsed here, so each one refuses what the program cannot use
(`gamification.moments`: no UTC offset, or outside the supported years) before any resolver runs.

Strawberry's own reads a value without an offset as a naive datetime, which the code then reads in
the host's time zone (another day on another host), and takes year 1 or 9999, which overflow in
the date arithmetic behind it (a 500). A refusal raised here is a coercion error: a literal is a
validation error, a variable an invalid variable, both `GRAPHQL_VALIDATION_FAILED`.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.types.scalar import ScalarDefinition

from gamification.moments import EXAMPLE, RANGE, MomentError, parse_moment

# The contract's words (core.graphql), plus the range.
DESCRIPTION = f"ISO-8601 date-time with a UTC offset, e.g. {EXAMPLE} ({RANGE}, UTC)."
SHOWN = 40  # characters of a refused value quoted back


def _parse(value: object) -> datetime:
    if not isinstance(value, str):
        raise StrawberryInputCoercionError(f"DateTime must be a string, e.g. {EXAMPLE}")
    try:
        return parse_moment(value)
    except MomentError as refusal:
        raise StrawberryInputCoercionError(
            f"DateTime {refusal} (got {value[:SHOWN]!r}; e.g. {EXAMPLE})"
        ) from None


def _serialize(value: datetime) -> str:
    return value.isoformat()


DATE_TIME: ScalarDefinition = strawberry.scalar(
    name="DateTime", description=DESCRIPTION, serialize=_serialize, parse_value=_parse
)
SCALARS: dict[object, ScalarDefinition] = {datetime: DATE_TIME}
