"""Activity counters: per member, per action and per calendar day, kept as interactions are
awarded so that goals and streaks never scan a member's history.

`count_interaction` runs in the awarding transaction, under the member's lock: it bumps the day
rows (for the action and for any action), then the running totals and streaks. A day that
arrives out of order (a backdated interaction) rebuilds that streak from the member's day rows;
in order, a streak is extended in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.db import placeholders
from domain.models import ANY_ACTION, ActivityDay, ActivityStats
from gamification.goals import ActionTotals, Totals
from gamification.streaks import Streak, extend, from_days


@dataclass(frozen=True)
class StreakChange:
    """How one streak (action_key "" = any action) moved with an interaction."""

    action_key: str
    before: Streak
    after: Streak

    @property
    def extended(self) -> bool:
        """The run grew to two days or more (a first day starts a streak, it extends none)."""
        return self.after.run > self.before.run and self.after.run >= 2


@dataclass(frozen=True)
class Counted:
    changes: list[StreakChange]  # the action's streak and the any-action one
    rows: list[ActivityStats]  # the member's stats rows, as written


async def count_interaction(
    connection: BaseDBAsyncClient, member_id: str, action_key: str, day: date
) -> Counted:
    """Count one awarded interaction of `action_key` on local `day`."""
    keys = [action_key, ANY_ACTION]
    new_days = await _bump_days(connection, member_id, keys, day)
    rows = {
        row.action_key: row
        for row in await ActivityStats.filter(member_id=member_id, action_key__in=keys).using_db(
            connection
        )
    }
    changes = []
    written = []
    for key in keys:
        row = rows.get(key) or ActivityStats(member_id=member_id, action_key=key)
        before = streak_of(row)
        after = before
        if key in new_days:
            after = extend(before, day) or await _rebuilt(connection, member_id, key)
        row.interactions = (row.interactions or 0) + 1
        row.active_days = (row.active_days or 0) + (1 if key in new_days else 0)
        row.streak_run, row.streak_longest = after.run, after.longest
        row.last_active_on = after.last_active_on.isoformat() if after.last_active_on else None
        changes.append(StreakChange(key, before, after))
        written.append(row)
    await _store(connection, written)
    return Counted(changes, written)


async def _store(connection: BaseDBAsyncClient, rows: Sequence[ActivityStats]) -> None:
    """Write the rows (new or not) in one statement; the member's lock makes the values exact."""
    columns = [
        "member_id",
        "action_key",
        "interactions",
        "active_days",
        "streak_run",
        "streak_longest",
        "last_active_on",
    ]
    values = [getattr(row, column) for row in rows for column in columns]
    updates = ", ".join(f"{column} = excluded.{column}" for column in columns[2:])
    sql = (
        f"INSERT INTO activity_stats ({', '.join(columns)}) "
        f"VALUES {placeholders(len(rows), len(columns))} "
        f"ON CONFLICT (member_id, action_key) DO UPDATE SET {updates}"
    )
    await connection.execute_query(sql, values)


async def _bump_days(
    connection: BaseDBAsyncClient, member_id: str, keys: Sequence[str], day: date
) -> set[str]:
    """Add one to the day rows; returns the keys for which this is a new active day."""
    values: list[object] = []
    for key in keys:
        values += [member_id, key, day.isoformat(), 1]
    sql = (
        "INSERT INTO activity_day (member_id, action_key, day, count) "
        f"VALUES {placeholders(len(keys), 4)} ON CONFLICT (member_id, action_key, day) "
        "DO UPDATE SET count = activity_day.count + 1 RETURNING action_key, count"
    )
    rows = await connection.execute_query_dict(sql, values)
    return {str(row["action_key"]) for row in rows if int(row["count"]) == 1}


async def _rebuilt(connection: BaseDBAsyncClient, member_id: str, key: str) -> Streak:
    """The streak from every active day of the member (only for out-of-order days)."""
    days = (
        await ActivityDay.filter(member_id=member_id, action_key=key)
        .using_db(connection)
        .values_list("day", flat=True)
    )
    return from_days(date.fromisoformat(str(day)) for day in days)


def streak_of(row: ActivityStats) -> Streak:
    last = date.fromisoformat(row.last_active_on) if row.last_active_on else None
    return Streak(row.streak_run or 0, row.streak_longest or 0, last)


def totals_of(rows: Sequence[ActivityStats], points_earned: int) -> Totals:
    """A member's whole-history totals from their stats rows. Referrals and approved content
    are counted by the community features; until then they are 0."""
    return Totals(
        actions={
            row.action_key: ActionTotals(row.interactions, row.active_days, row.streak_longest)
            for row in rows
        },
        points_earned=points_earned,
    )


async def stats_of(
    connection: BaseDBAsyncClient | None, member_ids: Sequence[str], action_keys: Sequence[str]
) -> dict[str, list[ActivityStats]]:
    """Stats rows of many members for some actions, in one query."""
    query = ActivityStats.filter(member_id__in=list(member_ids), action_key__in=list(action_keys))
    if connection is not None:
        query = query.using_db(connection)
    grouped: dict[str, list[ActivityStats]] = {member_id: [] for member_id in member_ids}
    for row in await query:
        grouped.setdefault(row.member_id, []).append(row)
    return grouped
