"""Calendar periods in the program time zone: the one function every rule uses for them.

Limits, leaderboard periods and (later) streaks all ask "which period does this instant fall in?".
They must agree to the second, so the answer comes from `period_window` and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Period(StrEnum):
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"
    LIFETIME = "LIFETIME"


@dataclass(frozen=True)
class Window:
    """A half-open interval [start, end) of aware datetimes, with a stable key naming it."""

    period: Period
    key: str
    start: datetime | None
    end: datetime | None

    def contains(self, moment: datetime) -> bool:
        after_start = self.start is None or moment >= self.start
        before_end = self.end is None or moment < self.end
        return after_start and before_end


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    """The calendar day of `moment` in the program time zone."""
    return _require_aware(moment).astimezone(tz).date()


def period_window(period: Period, moment: datetime, tz: ZoneInfo) -> Window:
    """The calendar period of `period` kind containing `moment`, in time zone `tz`.

    Weeks are ISO weeks (Monday to Sunday). Bounds are local midnights converted to aware
    datetimes, so a DST change makes a day 23 or 25 hours long rather than shifting its edges.
    """
    if period is Period.LIFETIME:
        return Window(period, "lifetime", None, None)
    day = local_date(moment, tz)
    if period is Period.DAY:
        first, following = day, day + timedelta(days=1)
        key = day.isoformat()
    elif period is Period.WEEK:
        first = day - timedelta(days=day.weekday())
        following = first + timedelta(days=7)
        year, week, _ = day.isocalendar()
        key = f"{year}-W{week:02d}"
    else:
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        key = f"{day.year}-{day.month:02d}"
    return Window(period, key, _midnight(first, tz), _midnight(following, tz))


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
    return moment
