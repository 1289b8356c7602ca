"""Ingestion: recordInteraction over HTTP until N interactions are stored, then until all are
AWARDED by the worker(s). The clock runs from wrk's start to the last award (DB counts, 10 Hz)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.bench import cpu, program, wrk
from tests.bench.db import Database
from tests.bench.graphql import call, token
from tests.bench.stack import Stack, log
from tests.helpers import RECORD, UPSERT_ACTION, action_input

ACTION = "bench.ingest"
SIZE = 'query Size { leaderboard(board: "points", period: ALL_TIME) { size } }'
POLL_S = 0.1
STALL_S = 60


@dataclass(frozen=True)
class Options:
    interactions: int
    members: int
    load: wrk.Load
    gamification: bool = True
    award_heavy: bool = False


@dataclass
class Drive:
    """One wrk run of `count` new interactions, timed to stored and to processed."""

    result: wrk.Result
    recorded_s: float
    processed_s: float
    counts: dict[str, int]
    max_pending: int


def run(
    stack: Stack, database: Database, options: Options, database_name: str | None
) -> dict[str, Any]:
    admin = token(stack.secret, "bench-admin", "admin")
    definition = action_input(ACTION, 10, limits=[], cooldownSeconds=0, memberReportable=False)
    call(stack.url, UPSERT_ACTION, {"input": definition}, admin)
    defined: dict[str, Any] = {}
    if options.gamification:
        defined = program.define(stack.url, admin, ACTION, award_heavy=options.award_heavy)
    service = token(stack.secret, "bench-service", "service")
    lua = wrk.script(stack.data_dir, "record")

    warm = max(100, min(1_000, options.interactions // 50))
    log(f"ingest warm-up: {warm} interactions (separate members and keys)")
    _drive(stack, database, service, lua, warm, min(warm, options.members), "w", options.load)

    log(f"ingest: {options.interactions} interactions over {options.members} members")
    classify = cpu.classifier(stack.pids(), database_name, stack.redis_marker())
    before = cpu.snapshot(classify)
    drive = _drive(
        stack, database, service, lua, options.interactions, options.members, "k", options.load
    )
    usage = cpu.usage(before, cpu.snapshot(classify), {"wrk": drive.result.cpu_s})
    size = call(stack.url, SIZE, {}, service)["leaderboard"]["size"]
    count = options.interactions
    return {
        "interactions": count,
        "members": options.members,
        "program": defined or "no badges or challenges",
        "end_to_end_per_s": round(count / drive.processed_s, 1),
        "end_to_end_s": round(drive.processed_s, 2),
        "recorded_per_s": round(count / drive.recorded_s, 1),
        "recorded_s": round(drive.recorded_s, 2),
        "max_pending": drive.max_pending,
        "statuses": drive.counts,
        "board_size": size,
        "mutation": drive.result.report(),
        "cpu": usage,
    }


def _drive(
    stack: Stack,
    database: Database,
    bearer: str,
    lua: Path,
    count: int,
    members: int,
    prefix: str,
    load: wrk.Load,
) -> Drive:
    base = database.counts()
    query = json.dumps(" ".join(RECORD.split()))
    args = [bearer, str(count), str(members), str(load.threads), ACTION, f"{prefix}-"]
    args += [f"{prefix}m", query]
    long_load = wrk.Load(load.threads, load.connections, max(600.0, count / 10), load.timeout_s)
    started = time.monotonic()
    running = wrk.start(stack.url, lua, args, long_load)
    try:
        recorded_at, finished_at, counts, max_pending = _await_awards(
            stack, database, running, base, count, started
        )
    except BaseException:
        wrk.interrupt(running)
        running.process.wait(timeout=30)
        raise
    result = wrk.finish(running)
    if result.errors:
        log(f"ingest: {result.errors} failed requests, e.g. {result.sample_error}")
    return Drive(result, recorded_at - started, finished_at - started, counts, max_pending)


def _await_awards(
    stack: Stack,
    database: Database,
    running: wrk.Running,
    base: dict[str, int],
    count: int,
    started: float,
) -> tuple[float, float, dict[str, int], int]:
    """Poll the database: stop wrk once `count` interactions are stored, return once none of
    them is PENDING. Returns (stored at, all processed at, status counts, peak backlog)."""
    recorded_at: float | None = None
    max_pending, last_change, last_seen = 0, started, (-1, -1)
    while True:
        time.sleep(POLL_S)
        now = time.monotonic()
        counts = {key: value - base.get(key, 0) for key, value in database.counts().items()}
        stored, pending = counts["total"], counts["PENDING"]
        max_pending = max(max_pending, pending)
        if recorded_at is None and stored >= count:
            recorded_at = now
            wrk.interrupt(running)
        if recorded_at is not None and pending <= 0:
            return recorded_at, now, counts, max_pending
        if (stored, pending) != last_seen:
            last_seen, last_change = (stored, pending), now
        elif now - last_change > STALL_S:
            raise RuntimeError(f"no progress for {STALL_S}s: {counts}; logs in {stack.data_dir}")
        if recorded_at is None and running.process.poll() is not None and now - last_change > 5:
            raise RuntimeError(f"wrk ended with {stored}/{count} stored")
