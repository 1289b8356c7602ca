"""Writing a session's changes: one multi-row statement per table, in an order the foreign keys
accept. The members' locks make every value exact, so rows are written as absolute values
(upserts), never as increments, except the challenge counters other transactions move too.
"""

from __future__ import annotations

import json

from tortoise.backends.base.client import BaseDBAsyncClient

from domain import outbox
from domain.infra.db import insert_rows, raw_timestamp, update_rows, values_list
from domain.leaderboards.scores import store_scores
from domain.pipeline.changes import Changes
from domain.pipeline.messages import messages_of
from domain.pipeline.state import ReadAgain


class ChallengeOverfilled(ReadAgain):
    """A concurrent enrolment took the places this batch counted on; the batch is redone."""


async def write(
    connection: BaseDBAsyncClient, changes: Changes, webhook_events: frozenset[str] | None = None
) -> None:
    """Every buffer, then the webhook messages they announce (of `webhook_events` only; None:
    all), which need the ledger entries' ids."""
    await _interactions(connection, changes)
    await _ledger(connection, changes)
    await _members(connection, changes)
    await _events(connection, changes)
    await _badges(connection, changes)
    await _badge_levels(connection, changes)
    await _participants(connection, changes)
    await _challenge_counters(connection, changes)
    await _activity(connection, changes)
    await _frozen_days(connection, changes)
    await _scores(connection, changes)
    await _referrals(connection, changes)
    await outbox.emit_many(connection, messages_of(changes, webhook_events))


async def _interactions(connection: BaseDBAsyncClient, changes: Changes) -> None:
    rows: list[list[object]] = [
        [i.id, i.status.value, i.reason, raw_timestamp(i.processed_at), i.points_awarded]
        for i in changes.interactions.values()
    ]
    if rows:
        columns = {
            "id": "bigint",
            "status": "varchar",
            "reason": "varchar",
            "processed_at": "timestamptz",
            "points_awarded": "bigint",
        }
        await update_rows(connection, "interaction", "id", columns, rows)


async def _ledger(connection: BaseDBAsyncClient, changes: Changes) -> None:
    entries = changes.entries
    if not entries:
        return
    columns = {
        "member_id": "varchar",
        "amount": "bigint",
        "reason": "varchar",
        "description": "varchar",
        "balance_after": "bigint",
        "source_key": "varchar",
        "effective_at": "timestamptz",
        "created_at": "timestamptz",
        "partner_key": "varchar",
    }
    rows: list[list[object]] = [
        [
            e.member_id,
            e.amount,
            e.reason.value,
            e.description,
            e.balance_after,
            e.source_key,
            raw_timestamp(e.effective_at),
            raw_timestamp(e.created_at),
            e.partner_key,
        ]
        for e in entries
    ]
    for entry, row_id in zip(
        entries, await _inserted_ids(connection, "ledger_entry", columns, rows), strict=True
    ):
        entry.id = row_id


async def _inserted_ids(
    connection: BaseDBAsyncClient, table: str, columns: dict[str, str], rows: list[list[object]]
) -> list[int]:
    """Insert `rows` and return their new ids in the order of `rows`: ids are drawn in the
    order of the VALUES, but RETURNING need not keep that order."""
    found = await insert_rows(connection, table, columns, rows, returning="id")
    return sorted(int(row["id"]) for row in found)


async def _members(connection: BaseDBAsyncClient, changes: Changes) -> None:
    rows: list[list[object]] = [
        [
            m.id,
            m.balance,
            m.lifetime,
            m.tier_key,
            raw_timestamp(m.tier_since),
            raw_timestamp(m.tier_retain_until),
            m.referrals_converted,
            m.content_approved,
        ]
        for m in changes.members.values()
    ]
    if rows:
        columns = {
            "id": "varchar",
            "balance": "bigint",
            "lifetime": "bigint",
            "tier_key": "varchar",
            "tier_since": "timestamptz",
            "tier_retain_until": "timestamptz",
            "referrals_converted": "integer",
            "content_approved": "integer",
        }
        await update_rows(connection, "member", "id", columns, rows)


async def _events(connection: BaseDBAsyncClient, changes: Changes) -> None:
    events = changes.events
    if not events:
        return
    columns = {
        "member_id": "varchar",
        "kind": "varchar",
        "occurred_at": "timestamptz",
        "message": "varchar",
        "points": "bigint",
        "subject": "varchar",
        "published": "boolean",
    }
    rows: list[list[object]] = [
        [
            e.member_id,
            e.kind,
            raw_timestamp(e.occurred_at),
            e.message,
            e.points,
            e.subject,
            False,
        ]
        for e in events
    ]
    for event, row_id in zip(
        events, await _inserted_ids(connection, "member_event", columns, rows), strict=True
    ):
        event.id = row_id


async def _badges(connection: BaseDBAsyncClient, changes: Changes) -> None:
    rows: list[list[object]] = [
        [b.member_id, b.badge_id, raw_timestamp(b.earned_at), b.source] for b in changes.badges
    ]
    if rows:
        columns = {
            "member_id": "varchar",
            "badge_id": "varchar",
            "earned_at": "timestamptz",
            "source": "varchar",
        }
        await insert_rows(connection, "member_badge", columns, rows)


async def _badge_levels(connection: BaseDBAsyncClient, changes: Changes) -> None:
    """The highest level each member reached per badge, written as an absolute value after the
    new badges (a badge may be earned and levelled in one session): the member's lock makes it
    exact, and each level's credit has its own unique source key besides."""
    reached: dict[tuple[str, str], int] = {}
    for earned in changes.levels:
        key = (earned.member_id, earned.badge_key)
        reached[key] = max(reached.get(key, 1), earned.level)
    if not reached:
        return
    rows = [[member_id, badge, level] for (member_id, badge), level in sorted(reached.items())]
    for start in range(0, len(rows), LEVEL_ROWS):  # within the drivers' parameter caps
        chunk = rows[start : start + LEVEL_ROWS]
        sql = (
            f"WITH v (member_id, badge_id, level) AS "
            f"(VALUES {values_list(len(chunk), LEVEL_CASTS)}) "
            "UPDATE member_badge SET level = v.level FROM v "
            "WHERE member_badge.member_id = v.member_id AND member_badge.badge_id = v.badge_id"
        )
        await connection.execute_query(sql, [value for row in chunk for value in row])


LEVEL_CASTS = ("varchar", "varchar", "integer")
LEVEL_ROWS = 5_000


async def _participants(connection: BaseDBAsyncClient, changes: Changes) -> None:
    rows: list[list[object]] = [
        [
            row.challenge_id,
            row.member_id,
            raw_timestamp(row.enrolled_at),
            row.score,
            json.dumps(row.progress),
            raw_timestamp(row.completed_at),
            row.round_key,
            raw_timestamp(row.reached_at),
            raw_timestamp(row.created_at),
        ]
        for row in changes.participants.values()
    ]
    if not rows:
        return
    columns = {
        "challenge_id": "varchar",
        "member_id": "varchar",
        "enrolled_at": "timestamptz",
        "score": "integer",
        "progress": "jsonb",
        "completed_at": "timestamptz",
        "round_key": "varchar",
        "reached_at": "timestamptz",
        "created_at": "timestamptz",
    }
    conflict = (
        "ON CONFLICT (challenge_id, member_id, round_key) DO UPDATE SET "
        "score = excluded.score, progress = excluded.progress, "
        "completed_at = excluded.completed_at, reached_at = excluded.reached_at"
    )
    await insert_rows(connection, "challenge_participant", columns, rows, on_conflict=conflict)


async def _challenge_counters(connection: BaseDBAsyncClient, changes: Changes) -> None:
    """Participants and completions move by increments: enrolments change them too. A place
    is taken only while the cap allows, re-checked here in the same statement; a challenge
    that is not updated had no place left."""
    keys = sorted(changes.places_taken.keys() | changes.completions.keys())
    if not keys:
        return
    rows = [[key, changes.places_taken[key], changes.completions[key]] for key in keys]
    sql = (
        f"WITH v (key, taken, completed) AS (VALUES {values_list(len(rows), COUNTER_CASTS)}) "
        "UPDATE challenge SET participants = challenge.participants + v.taken, "
        "completions = challenge.completions + v.completed FROM v WHERE challenge.key = v.key "
        "AND (challenge.max_participants IS NULL "
        "OR challenge.participants + v.taken <= challenge.max_participants) "
        "RETURNING challenge.key"
    )
    updated = await connection.execute_query_dict(sql, [value for row in rows for value in row])
    overfilled = set(keys) - {row["key"] for row in updated}
    if overfilled:
        raise ChallengeOverfilled(min(overfilled))


COUNTER_CASTS = ("varchar", "bigint", "bigint")
STATS_COLUMNS = {
    "member_id": "varchar",
    "action_key": "varchar",
    "interactions": "bigint",
    "active_days": "integer",
    "streak_run": "integer",
    "streak_longest": "integer",
    "last_active_on": "varchar",
    "streak_freezes": "integer",
}


async def _activity(connection: BaseDBAsyncClient, changes: Changes) -> None:
    days: list[list[object]] = [
        [member_id, action, day, count] for (member_id, action, day), count in changes.days.items()
    ]
    if days:
        await insert_rows(
            connection,
            "activity_day",
            {"member_id": "varchar", "action_key": "varchar", "day": "varchar", "count": "integer"},
            days,
            on_conflict="ON CONFLICT (member_id, action_key, day) "
            "DO UPDATE SET count = excluded.count",
        )
    names = list(STATS_COLUMNS)
    stats: list[list[object]] = [
        [getattr(row, name) for name in names] for row in changes.stats.values()
    ]
    if stats:
        updates = ", ".join(f"{name} = excluded.{name}" for name in names[2:])
        await insert_rows(
            connection,
            "activity_stats",
            STATS_COLUMNS,
            stats,
            on_conflict=f"ON CONFLICT (member_id, action_key) DO UPDATE SET {updates}",
        )


async def _frozen_days(connection: BaseDBAsyncClient, changes: Changes) -> None:
    """The days freezes covered. A day is frozen once: should a rare late day make a covered
    day look missed again, the first record stands (the held count already moved)."""
    rows: list[list[object]] = [
        [member_id, day, raw_timestamp(at)]
        for (member_id, day), at in sorted(changes.frozen_days.items())
    ]
    if rows:
        await insert_rows(
            connection,
            "streak_frozen_day",
            {"member_id": "varchar", "day": "varchar", "created_at": "timestamptz"},
            rows,
            on_conflict="ON CONFLICT (member_id, day) DO NOTHING",
        )


async def _scores(connection: BaseDBAsyncClient, changes: Changes) -> None:
    await store_scores(connection, list(changes.scores.values()))


async def _referrals(connection: BaseDBAsyncClient, changes: Changes) -> None:
    rows: list[list[object]] = [
        [
            r.referee_id,
            raw_timestamp(r.converted_at),
            r.referrer_rewarded,
            r.referrer_points,
            r.referee_points,
        ]
        for r in changes.referrals.values()
    ]
    if rows:
        columns = {
            "referee_id": "varchar",
            "converted_at": "timestamptz",
            "referrer_rewarded": "boolean",
            "referrer_points": "bigint",
            "referee_points": "bigint",
        }
        await update_rows(connection, "referral", "referee_id", columns, rows)
