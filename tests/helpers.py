"""GraphQL documents and small helpers shared by the API tests."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tortoise import connections

from domain.infra.db import dialect
from domain.infra.settings import Settings
from tests.conftest import ADMIN, SECRET

UPSERT_ACTION = """
mutation Upsert($input: UpsertActionInput!) {
  upsertAction(input: $input) {
    action { key name description points limits { period max } cooldownSeconds
             memberReportable active }
    errors { code message field }
  }
}
"""

RECORD = """
mutation Record($input: RecordInteractionInput!) {
  recordInteraction(input: $input) {
    interaction { id action memberId status reason pointsAwarded occurredAt recordedAt properties }
    errors { code message field }
  }
}
"""

ME = """
query Me($first: Int, $after: String) {
  me {
    id displayName avatarUrl joinedAt
    points { balance lifetime }
    history(first: $first, after: $after) {
      edges { cursor node { id amount reason description balanceAfter createdAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""

INTERACTION = """
query Interaction($id: ID!) {
  interaction(id: $id) { id status reason pointsAwarded }
}
"""

LEADERBOARD = """
query Board($period: LeaderboardPeriod!, $first: Int, $after: String, $memberId: ID,
            $radius: Int) {
  leaderboard(board: "points", period: $period) {
    board period size
    entries(first: $first, after: $after) {
      edges { cursor node { rank score member { id displayName avatarUrl } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
    around(memberId: $memberId, radius: $radius) { rank score member { id } }
  }
}
"""


def action_input(key: str = "review.posted", points: int = 50, **extra: Any) -> dict[str, Any]:
    return {"key": key, "name": key.replace(".", " ").title(), "points": points, **extra}


def codes(body: dict[str, Any]) -> list[str]:
    return [error.get("extensions", {}).get("code") for error in body.get("errors", [])]


async def define(gql: Any, key="app.daily_open", points=10, **extra):
    extra.setdefault("memberReportable", True)
    body = await gql(UPSERT_ACTION, {"input": action_input(key, points, **extra)}, as_=ADMIN)
    assert body["data"]["upsertAction"]["errors"] == []


async def define_goal_actions(gql: Any, goals: list[dict[str, Any]] | None) -> None:
    """Define (10 points, member-reportable) each action the goals name that is not defined yet:
    a goal may name only an existing action."""
    from domain.models import Action

    for goal in goals or []:
        key = goal.get("action")
        if isinstance(key, str) and key and not await Action.filter(key=key).exists():
            await define(gql, key)


async def record(gql: Any, who: tuple[str, str], action="app.daily_open", key="k1", **extra):
    body = await gql(RECORD, {"input": {"action": action, "idempotencyKey": key, **extra}}, as_=who)
    assert "errors" not in body, body
    return body["data"]["recordInteraction"]


def ago(**delta) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


# --- SQL statements ---------------------------------------------------------------------


class Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.statements.append(record.getMessage())


@contextlib.contextmanager
def counting() -> Iterator[Counter]:
    """Every statement Tortoise runs meanwhile (it logs each on `tortoise.db_client` at DEBUG;
    the app serves from this process)."""
    logger = logging.getLogger("tortoise.db_client")
    counter = Counter()
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
        logger.propagate = propagate


TableSums = dict[str, tuple[int, str]]


async def every_row() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of ours, the tables found in the database's catalog (so a new
    table is never left out; SQLite's own `sqlite_*` tables are not ours)."""
    connection = connections.get("default")
    if dialect() == "postgres":
        sql = "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    tables = sorted(str(row["name"]) for row in await connection.execute_query_dict(sql))
    return {t: await connection.execute_query_dict(f'SELECT * FROM "{t}"') for t in tables}


async def table_sums() -> TableSums:
    """Every table's row count and a checksum of its rows, in any order (`every_row`). Two
    equal results mean that no row was added, removed or changed in between."""
    found = {}
    for table, rows in (await every_row()).items():
        lines = sorted(json.dumps(dict(line), sort_keys=True, default=str) for line in rows)
        found[table] = (len(rows), hashlib.sha256("\n".join(lines).encode()).hexdigest())
    return found


def tables_changed(before: TableSums, after: TableSums) -> list[str]:
    """The tables whose rows differ between two `table_sums`."""
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


# --- `plaudit` as a child process -------------------------------------------------------------

PLAUDIT = str(Path(sys.executable).with_name("plaudit"))


def free_port() -> int:
    """A loopback port nothing listens on once the probe is closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    """`plaudit`'s environment on the test server's database and Redis (no other PLAUDIT_*
    setting of the caller's leaks in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLAUDIT_")}
    env |= {
        key: value
        for key, value in os.environ.items()
        if key in ("PLAUDIT_DATABASE_URL", "PLAUDIT_REDIS_URL")
    }
    return env | {
        "PLAUDIT_DATA_DIR": str(settings.data_dir),
        "PLAUDIT_JWT_SECRET": SECRET,
        "PLAUDIT_LOG_LEVEL": "WARNING",
        **extra,
    }


async def run_plaudit(
    *args: str, env: dict[str, str], within_s: float = 120
) -> tuple[int, str, str]:
    """Run `plaudit ARGS` to its end, within `within_s`: (exit code, stdout, stderr)."""
    process = await asyncio.create_subprocess_exec(
        PLAUDIT, *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=within_s)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


def served_schema(data_dir: Path) -> str:
    """What `plaudit schema` prints, with no configuration but a data dir."""
    return subprocess.run(
        [PLAUDIT, "schema"],
        env={"PATH": os.environ.get("PATH", ""), "PLAUDIT_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
