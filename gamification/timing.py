"""When an interaction may claim to have happened: not far in the future, and for members
not far in the past.

Backdating is for trusted imports. A member who could backdate freely could replay yesterday's
daily limit today, so member tokens get a window (24 hours by default). With a retention of raw
interactions (`gamification.retention`), nobody may date one before what its rules can still
read: `oldest`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gamification.limits import Decision, Outcome
from gamification.reasons import InteractionReason

FUTURE_TOLERANCE = timedelta(minutes=5)

FUTURE_TIMESTAMP = Decision(Outcome.REJECTED, InteractionReason.FUTURE_TIMESTAMP)
BACKDATED = Decision(Outcome.REJECTED, InteractionReason.BACKDATED)


def check_timing(
    occurred_at: datetime,
    now: datetime,
    *,
    trusted: bool,
    member_backdate: timedelta,
    oldest: datetime | None = None,
) -> Decision | None:
    """The rejection this timestamp earns, or None when it is acceptable. `oldest`: the earliest
    moment any token may date an interaction (None: no limit but the member window)."""
    # Compared in UTC: within one ZoneInfo Python compares wall clocks, wrong across DST.
    occurred_at, now = occurred_at.astimezone(UTC), now.astimezone(UTC)
    if occurred_at > now + FUTURE_TOLERANCE:
        return FUTURE_TIMESTAMP
    if not trusted and occurred_at < now - member_backdate:
        return BACKDATED
    if oldest is not None and occurred_at < oldest.astimezone(UTC):
        return BACKDATED
    return None
