"""Direct database access from the bench process: wipe, count interactions, bulk-seed boards.

The seeds write what the service would have written: a member with balance and lifetime (half of
them with a chosen name, a quarter with an avatar), and the member's ALL_TIME row in
`leaderboard_score` (the truth `plaudit leaderboards rebuild` reads).
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import asyncpg
import redis

SEED_PREFIX = "lm"  # seeded member ids: lm1 .. lmN
SEED_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
# Half the seeded members chose a name, a quarter an avatar (the others keep the default name,
# which the boards store as nothing): board reads return both kinds of profile.
CHOSEN_NAME = "Bench player "
AVATAR = "https://cdn.example.com/avatars/"
STATUSES = ("PENDING", "AWARDED", "CAPPED", "REJECTED")
# Two index lookups, cheap enough to poll at 10 Hz while the table grows (a GROUP BY over every
# interaction is not). Ids are sequential and the bench sends no conflicting keys, so the highest
# id counts what was stored.
PROGRESS_SQL = (
    "SELECT (SELECT coalesce(max(id), 0) FROM interaction) AS stored, "
    "(SELECT count(*) FROM interaction WHERE status = 'PENDING') AS pending"
)
# What the database did, from PostgreSQL's cumulative statistics (no extension needed).
DATABASE_STATS_SQL = """
    SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted
    FROM pg_stat_database WHERE datname = current_database()"""
TABLE_STATS_SQL = """
    SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del
    FROM pg_stat_user_tables WHERE schemaname = 'public'"""


@dataclass(frozen=True)
class Progress:
    """How far ingestion got: interactions stored (highest id) and still PENDING."""

    stored: int
    pending: int

    @property
    def decided(self) -> int:
        return self.stored - self.pending


def seed_score(index: int, members: int) -> int:
    """Distinct-ish scores spread over 1..10*members (a multiplicative hash of the index)."""
    return 1 + (index * 2_654_435_761) % (10 * members)


class Database(Protocol):
    def counts(self) -> dict[str, int]: ...
    def progress(self) -> Progress: ...
    def activity(self) -> dict[str, Any]: ...
    def seed(self, members: int) -> float: ...
    def close(self) -> None: ...


class Postgres:
    def __init__(self, url: str) -> None:
        self.runner = asyncio.Runner()
        self.connection: Any = self.runner.run(asyncpg.connect(url))
        self.queries = 0  # statements this connection ran, each its own transaction

    def wipe(self) -> None:
        """Drop every table of the (dedicated) bench database; `plaudit migrate` rebuilds them."""

        async def run() -> None:
            tables = await self.connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
            names = ", ".join(f'"{row["tablename"]}"' for row in tables)
            if names:
                await self.connection.execute(f"DROP TABLE IF EXISTS {names} CASCADE")

        self.runner.run(run())

    def counts(self) -> dict[str, int]:
        self.queries += 1
        rows = self.runner.run(
            self.connection.fetch("SELECT status, count(*) AS n FROM interaction GROUP BY status")
        )
        return _counts((row["status"], row["n"]) for row in rows)

    def progress(self) -> Progress:
        self.queries += 1
        row = self.runner.run(self.connection.fetchrow(PROGRESS_SQL))
        return Progress(int(row["stored"]), int(row["pending"]))

    def activity(self) -> dict[str, Any]:
        """PostgreSQL's cumulative counters for this database and its tables, and how many
        transactions this connection ran itself (to subtract them). Backends flush their
        counters at most once a second, and an idle backend only after 10 s: read them a good
        10 s after the load stopped."""

        async def run() -> dict[str, Any]:
            await self.connection.execute("SELECT pg_stat_clear_snapshot()")
            database = dict(await self.connection.fetchrow(DATABASE_STATS_SQL))
            tables = {
                row["relname"]: {key: int(row[key]) for key in list(row.keys())[1:]}
                for row in await self.connection.fetch(TABLE_STATS_SQL)
            }
            return {"database": database, "tables": tables, "own_transactions": self.queries}

        self.queries += 3
        return self.runner.run(run())

    def seed(self, members: int) -> float:
        """Two INSERT … SELECT over generate_series, then ANALYZE: all server-side."""
        started = time.perf_counter()
        score = f"1 + (g::bigint * 2654435761) % {10 * members}"
        member_sql = f"""
            INSERT INTO member (id, display_name, avatar_url, joined_at, balance, lifetime)
            SELECT '{SEED_PREFIX}' || g,
                   CASE WHEN g % 2 = 0 THEN '{CHOSEN_NAME}' || g
                   ELSE 'Member ' || left(encode(sha256(convert_to('{SEED_PREFIX}' || g, 'UTF8')),
                                                 'hex'), 8) END,
                   CASE WHEN g % 4 = 0 THEN '{AVATAR}' || g || '.png' END,
                   now(), {score}, {score}
            FROM generate_series(1, $1::int) AS g"""
        score_sql = f"""
            INSERT INTO leaderboard_score (board, period, period_key, member_id, score, reached_at)
            SELECT 'points', 'ALL_TIME', 'lifetime', '{SEED_PREFIX}' || g, {score},
                   $2::timestamptz + g * interval '1 millisecond'
            FROM generate_series(1, $1::int) AS g"""

        async def run() -> None:
            async with self.connection.transaction():
                await self.connection.execute(member_sql, members)
                await self.connection.execute(score_sql, members, SEED_EPOCH)
            await self.connection.execute("ANALYZE member")
            await self.connection.execute("ANALYZE leaderboard_score")

        self.runner.run(run())
        return time.perf_counter() - started

    def close(self) -> None:
        self.runner.run(self.connection.close())
        self.runner.close()


class Sqlite:
    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, timeout=60, isolation_level=None)

    def counts(self) -> dict[str, int]:
        rows = self.connection.execute("SELECT status, count(*) FROM interaction GROUP BY status")
        return _counts(rows)

    def progress(self) -> Progress:
        stored, pending = self.connection.execute(PROGRESS_SQL).fetchone()
        return Progress(int(stored), int(pending))

    def activity(self) -> dict[str, Any]:
        return {}  # SQLite keeps no such statistics

    def seed(self, members: int, batch: int = 100_000) -> float:
        """executemany in transactions of `batch` members; timestamps as Tortoise stores them."""
        started = time.perf_counter()
        joined = datetime.now(UTC).isoformat(sep=" ")
        for first in range(1, members + 1, batch):
            indexes = range(first, min(members, first + batch - 1) + 1)
            self.connection.execute("BEGIN IMMEDIATE")
            self.connection.executemany(
                "INSERT INTO member (id, display_name, avatar_url, joined_at, balance, lifetime) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                _member_rows(indexes, members, joined),
            )
            self.connection.executemany(
                "INSERT INTO leaderboard_score "
                "(board, period, period_key, member_id, score, reached_at) "
                "VALUES ('points', 'ALL_TIME', 'lifetime', ?, ?, ?)",
                _score_rows(indexes, members),
            )
            self.connection.execute("COMMIT")
        self.connection.execute("ANALYZE")
        return time.perf_counter() - started

    def close(self) -> None:
        self.connection.close()


def _member_rows(indexes: range, members: int, joined: str) -> Iterator[tuple[Any, ...]]:
    for index in indexes:
        member_id = f"{SEED_PREFIX}{index}"
        name = "Member " + hashlib.sha256(member_id.encode()).hexdigest()[:8]
        if index % 2 == 0:
            name = f"{CHOSEN_NAME}{index}"
        avatar = f"{AVATAR}{index}.png" if index % 4 == 0 else None
        score = seed_score(index, members)
        yield member_id, name, avatar, joined, score, score


def _score_rows(indexes: range, members: int) -> Iterator[tuple[Any, ...]]:
    for index in indexes:
        reached = (SEED_EPOCH + timedelta(milliseconds=index)).isoformat(sep=" ")
        yield f"{SEED_PREFIX}{index}", seed_score(index, members), reached


def _counts(rows: Any) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for status, count in rows:
        counts[str(status)] = int(count)
    counts["total"] = sum(counts[status] for status in STATUSES)
    return counts


def activity_delta(
    before: dict[str, Any], after: dict[str, Any], interactions: int
) -> dict[str, Any]:
    """Transactions and rows written between two `activity()` readings, per interaction; the
    tables that received rows, most written first."""
    if not before or not after or interactions <= 0:
        return {}
    database = {key: after["database"][key] - before["database"][key] for key in before["database"]}
    # The readings' own transactions: the bench's polls between them, and the first reading.
    own = after["own_transactions"] - before["own_transactions"]
    commits = database["xact_commit"] - own
    tables: dict[str, dict[str, float]] = {}
    for name, counters in after["tables"].items():
        earlier = before["tables"].get(name, dict.fromkeys(counters, 0))
        moved = {key: value - earlier[key] for key, value in counters.items()}
        written = moved["n_tup_ins"] + moved["n_tup_upd"] + moved["n_tup_del"]
        if written:
            tables[name] = {
                "inserted": round(moved["n_tup_ins"] / interactions, 3),
                "updated": round(moved["n_tup_upd"] / interactions, 3),
                "hot_updated": round(moved["n_tup_hot_upd"] / interactions, 3),
                "deleted": round(moved["n_tup_del"] / interactions, 3),
                "_written": written,
            }
    ordered = sorted(tables.items(), key=lambda item: -item[1]["_written"])
    return {
        "transactions_committed": commits,
        "transactions_rolled_back": database["xact_rollback"],
        "commits_per_interaction": round(commits / interactions, 4),
        "rows_inserted_per_interaction": round(database["tup_inserted"] / interactions, 2),
        "rows_updated_per_interaction": round(database["tup_updated"] / interactions, 2),
        "rows_deleted_per_interaction": round(database["tup_deleted"] / interactions, 2),
        "per_table_per_interaction": {
            name: {key: value for key, value in row.items() if not key.startswith("_")}
            for name, row in ordered
        },
        "note": "pg_stat_database / pg_stat_user_tables deltas, API and workers together; "
        "commits count every autocommit statement as a transaction",
    }


def flush_redis(url: str) -> None:
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()
