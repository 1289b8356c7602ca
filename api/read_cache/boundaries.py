"""Until when an answer computed now stays the truth without any write: its valid-until.

The earliest of:
- the next midnight in the program time zone: a streak stops being current, daily limits and
  board periods roll over, "today" moves;
- the next start or end of any challenge's window (statuses, the ACTIVE filter, which
  challenges count), and the end of a repeating challenge's current round (its progress starts
  again at 0; its board's current period moves): the program's dated definitions, read from
  the request's snapshot of them;
- what the resolvers reported while they ran (`Context.changes_at`): the member's own dated
  things, such as the next points expiry and qualifying points leaving the tier window;
- a second after now, for a document that selects a volatile field (`volatile`).

Rewards and actions have no dated fields; tiers' retention ends are applied by the daily job,
which touches the member, so no read changes when one passes.
"""

from __future__ import annotations

from datetime import datetime

from api.context import Context
from api.read_cache.volatile import VOLATILE_TTL
from gamification.challenges import next_round_end
from gamification.periods import Period, period_window


async def valid_until(context: Context, *, volatile: bool) -> datetime | None:
    """The earliest of the moments above; None when there is none (never by time alone)."""
    now = context.now
    moments: list[datetime] = []
    tz = context.runtime.settings.tz
    midnight = period_window(Period.DAY, now, tz).end
    if midnight is not None:
        moments.append(midnight)
    if context.valid_until is not None:
        moments.append(context.valid_until)
    # The snapshot the request's badge and streak fields read (no statement of its own then).
    program = await context.badges.definitions()
    for rule in program.challenges.values():
        if rule.archived:
            continue  # ARCHIVED whatever the clock; un-archiving is a touched change
        for moment in (rule.window.starts_at, rule.window.ends_at):
            if moment > now:
                moments.append(moment)
        # Round ends are local midnights, which the first boundary covers today; named here
        # all the same, so that an answer's life never rests on that coincidence.
        round_end = next_round_end(rule.window, rule.recurrence, now, tz)
        if round_end is not None:
            moments.append(round_end)
    if volatile:
        moments.append(now + VOLATILE_TTL)
    return min(moments) if moments else None
