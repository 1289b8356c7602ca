"""How long raw interactions must be kept for the rules that read them (`PLAUDIT_RETENTION_DAYS`).

Deciding an interaction reads the same member's AWARDED interactions of its action around its
`occurredAt`: a calendar limit or schedule reads the day, week or month containing it (a month
starts at most 31 days before), a cooldown reads `cooldown` seconds either side, and a LIFETIME
limit or schedule counts every one there ever was. Streaks and goals read the activity counters,
never the interactions, and the insight refresh reads the 90 days up to yesterday.

So with a retention of N days an action's interactions are kept for the longer of N days and
what its own rules look back (plus the member backdating window and a day of slack), AWARDED
ones of an action that counts its whole history are kept for good, and an interaction dated
before what is still held cannot be decided any more: it is refused at recording (BACKDATED), as
a re-imported file's old lines must be, since their first copies may be gone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from gamification.periods import Period

# The insight refresh reads the 90 days up to yesterday (`PLAUDIT_INSIGHT_MONETARY_PROPERTY`
# sums an interaction property over them); a calendar limit reads at most a month. Nothing
# shorter is accepted for PLAUDIT_RETENTION_DAYS.
INSIGHT_WINDOW_DAYS = 90
MIN_RETENTION_DAYS = INSIGHT_WINDOW_DAYS + 2
MAX_RETENTION_DAYS = 36_500

# How far before an interaction the calendar period containing it can start (program time
# zone; a day can last 25 hours across a DST change).
PERIOD_REACH = {
    Period.DAY: timedelta(hours=25),
    Period.WEEK: timedelta(days=7, hours=1),
    Period.MONTH: timedelta(days=31, hours=1),
}
# Between recording and deciding (a queue, an outage), and between two nightly runs.
SLACK = timedelta(days=1)


def lookback(periods: Iterable[Period], cooldown_seconds: int) -> timedelta:
    """How far before an interaction its action's limits, schedule and cooldown read awarded
    interactions (LIFETIME aside: see `counts_whole_history`)."""
    reach = [PERIOD_REACH[p] for p in periods if p is not Period.LIFETIME]
    return max([timedelta(seconds=cooldown_seconds), *reach])


def counts_whole_history(periods: Iterable[Period]) -> bool:
    """A LIFETIME limit or schedule counts every awarded interaction of the action ever."""
    return Period.LIFETIME in set(periods)


def kept_for(retention: timedelta, reach: timedelta, member_backdate: timedelta) -> timedelta:
    """How long an action's interactions are kept: the retention, or longer when its rules
    reach further back than that from an interaction a member may still record."""
    return max(retention, reach + member_backdate + SLACK)


def oldest_decidable(
    now: datetime, retention: timedelta, reach: timedelta, member_backdate: timedelta
) -> datetime:
    """The earliest `occurredAt` an interaction recorded `now` may have: everything its rules
    read is still held (with a day of slack before it is decided)."""
    return now - kept_for(retention, reach, member_backdate) + reach + SLACK
