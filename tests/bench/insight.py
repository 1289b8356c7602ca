"""The nightly insight refresh at scale: `python -m tests.bench.insight [--members 1000000]`.

Seeds N members straight into a dedicated PostgreSQL database (PLAUDIT_DATABASE_URL, wiped
first) with a year of active days each (1 to 15 days at the member's own spacing, about 8
million `activity_day` rows for a million members) and one credit each in the last 90 days,
then runs `plaudit insight refresh --as-of 2026-12-01` as a child process and reports its wall
time, the refresh's own breakdown (read, score and fit, write) and the child's peak memory
(its maximum resident set, from getrusage)."""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any

from tests.bench.db import Postgres
from tests.bench.stack import PLAUDIT, log

AS_OF = "2026-12-01"
MEMBERS_SQL = """
INSERT INTO member (id, display_name, avatar_url, joined_at, balance, lifetime)
SELECT 'im' || g, 'Member ' || g, NULL, now(), 100, 100 FROM generate_series(1, $1::int) AS g"""
# Member g: 1 + g % 15 active days, every 1 + g % 9 days, the last of them g % 120 days
# before the refresh day: regular and lapsed, frequent and rare members all present.
DAYS_SQL = """
INSERT INTO activity_day (member_id, action_key, day, count)
SELECT 'im' || g, '',
       to_char(date '2026-12-01' - (g % 120) - s * (1 + g % 9), 'YYYY-MM-DD'), 1
FROM generate_series(1, $1::int) AS g, generate_series(0, 14) AS s
WHERE s <= g % 15"""
LEDGER_SQL = """
INSERT INTO ledger_entry
  (member_id, amount, reason, description, balance_after, source_key, effective_at, created_at)
SELECT 'im' || g, 10 + g % 90, 'ACTION', '', 100, 'bench:' || g,
       timestamptz '2026-12-01 12:00+00' - (g % 80) * interval '1 day', now()
FROM generate_series(1, $1::int) AS g"""


def seed(url: str, members: int) -> float:
    database = Postgres(url)
    started = time.perf_counter()
    try:

        async def run() -> None:
            for sql in (MEMBERS_SQL, DAYS_SQL, LEDGER_SQL):
                await database.connection.execute(sql, members)
            for table in ("member", "activity_day", "ledger_entry"):
                await database.connection.execute(f"ANALYZE {table}")

        database.runner.run(run())
    finally:
        database.close()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.insight", description=__doc__)
    parser.add_argument("--members", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    url = os.environ.get("PLAUDIT_DATABASE_URL")
    if not url:
        print("set PLAUDIT_DATABASE_URL to a dedicated PostgreSQL database", file=sys.stderr)
        return 2
    env = os.environ | {
        "PLAUDIT_DATA_DIR": tempfile.mkdtemp(prefix="plaudit-bench-insight-"),
        "PLAUDIT_JWT_SECRET": "bench-secret-that-is-long-enough-for-hs256-0123456789",
        "PLAUDIT_LOG_LEVEL": "INFO",
    }
    database = Postgres(url)
    try:
        database.wipe()
    finally:
        database.close()
    subprocess.run([PLAUDIT, "migrate"], env=env, check=True, capture_output=True)
    log(f"insight: seeding {args.members} members")
    seed_s = seed(url, args.members)
    log(f"seeded in {seed_s:.1f}s; refreshing")
    started = time.perf_counter()
    done = subprocess.run(
        [PLAUDIT, "insight", "refresh", "--as-of", AS_OF],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall_s = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"refresh failed:\n{done.stdout}{done.stderr[-3000:]}")
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    breakdown = re.search(r"read ([\d.]+)s, score and fit ([\d.]+)s, write ([\d.]+)s", done.stderr)
    report: dict[str, Any] = {
        "members": args.members,
        "seed_s": round(seed_s, 1),
        "refresh_wall_s": round(wall_s, 1),
        "peak_rss_mib": round(peak_mib),
        "read_s": float(breakdown.group(1)) if breakdown else None,
        "score_and_fit_s": float(breakdown.group(2)) if breakdown else None,
        "write_s": float(breakdown.group(3)) if breakdown else None,
        "output": done.stdout.strip().splitlines(),
    }
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
