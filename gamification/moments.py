"""The instants and days the program can use: one rule for every date a client or an operator
gives (the GraphQL `DateTime` scalar, `occurredAt` in imports, the CLI's `--as-of`).

An instant needs a UTC offset. Without one, "2026-12-01T00:30" is a different moment on every
host (Python would read it in the host's time zone), so the same request would answer another
day elsewhere: it is refused, never guessed.

Instants and days must fall within SUPPORTED_YEARS (UTC). The rules add days, weeks and months
to the dates they are given (a period's end, insight's 90-day window, expiry, archives), and
Python's datetime stops at years 1 and 9999, so a date near either end would overflow far from
where it came in, as an error nobody could act on. PostgreSQL and SQLite store a wider range;
the bound is the program's: nothing a loyalty program counts happened before 1970, and 8999
leaves centuries of room for any arithmetic after it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

FIRST_YEAR = 1970
LAST_YEAR = 8999
SUPPORTED_YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
END = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)  # exclusive
EXAMPLE = "2026-11-22T07:10:22+00:00"
RANGE = f"years {FIRST_YEAR} to {LAST_YEAR}"


class MomentError(ValueError):
    """A date or instant the program cannot use; the message says why, without the value's
    name (the caller knows which field it was)."""


def checked_moment(moment: datetime) -> datetime:
    """`moment` itself when it has a UTC offset and falls within the supported years (UTC)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise MomentError("needs a UTC offset")
    try:
        in_utc = moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is in year 0 in UTC
        raise MomentError(f"is out of range: {RANGE}") from None
    if not EARLIEST <= in_utc < END:
        raise MomentError(f"is out of range: {RANGE}")
    return moment


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date-time with a UTC offset within the supported years."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise MomentError("is not an ISO 8601 date-time") from None
    return checked_moment(moment)


def checked_day(day: date) -> date:
    """`day` itself when it falls within the supported years."""
    if day.year not in SUPPORTED_YEARS:
        raise MomentError(f"is out of range: {RANGE}")
    return day


def parse_day(text: str) -> date:
    """An ISO 8601 calendar date (YYYY-MM-DD) within the supported years."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise MomentError("is not a date: expected YYYY-MM-DD") from None
    return checked_day(day)
