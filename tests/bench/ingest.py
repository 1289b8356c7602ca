"""Ingestion, one `recordInteraction` per request: wrk sends them for a fixed duration (30 s by
default) over 32 keep-alive connections while the worker(s) award them. Reported: accepted/s
(stored during the run), decided/s and awarded/s during the same run, the backlog (PENDING)
sampled every second and whether it kept growing, how long the rest took to drain after the
run, the ratio of accepted/s to the `{ hello }` yardstick measured in the same run, and the CPU
and SQL cost per interaction (over the run and the drain)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.bench import drive, program, wrk
from tests.bench.db import Database, Progress
from tests.bench.graphql import call
from tests.bench.meter import Meter
from tests.bench.stack import Stack, log
from tests.bench.yardstick import Yardstick, ratio
from tests.helpers import RECORD

ACTION = "bench.ingest"
SIZE = 'query Size { leaderboard(board: "points", period: ALL_TIME) { size } }'
UNBOUNDED = 1_000_000_000  # keys for a run of any length: wrk stops on the clock
KEEP_UP = 0.9  # awarded/s at least this share of accepted/s
DRAIN_TIMEOUT_S = 600


@dataclass(frozen=True)
class Options:
    duration_s: float
    members: int
    load: wrk.Load
    hello_duration_s: float = 10.0
    warm_up: int = 1_000
    gamification: bool = True
    award_heavy: bool = False


def run(
    stack: Stack, database: Database, options: Options, database_name: str | None
) -> dict[str, Any]:
    service, defined = program.prepare(
        stack.url,
        stack.secret,
        ACTION,
        gamification=options.gamification,
        award_heavy=options.award_heavy,
    )
    lua = wrk.script(stack.data_dir, "record")
    query = json.dumps(" ".join(RECORD.split()))

    def args(total: int, members: int, prefix: str) -> list[str]:
        threads = str(options.load.threads)
        return [
            service,
            str(total),
            str(members),
            threads,
            ACTION,
            f"{prefix}-",
            f"{prefix}m",
            query,
        ]

    hello_load = wrk.Load(options.load.threads, options.load.connections, options.hello_duration_s)
    with Yardstick(stack.data_dir, hello_load) as hello:
        warm = options.warm_up
        log(f"ingest warm-up: {warm} interactions (separate members and keys)")
        base, base_counts = drive.settled(database)
        warm_args = args(warm, min(warm, options.members), "w")
        long_load = wrk.Load(options.load.threads, options.load.connections, 600.0)
        started = time.monotonic()
        running = wrk.start(stack.url, lua, warm_args, long_load)
        warmed = drive.until_decided(stack, database, running, warm, started, base, base_counts)
        hello.measure()

        log(f"ingest: {options.duration_s:g} s of recordInteraction over {options.members} members")
        meter = Meter(stack, database, database_name, {hello.pid: "hello"})
        meter.start(idle_since=warmed.finished_at)
        timed = run_and_drain(
            stack, database, lua, args(UNBOUNDED, options.members, "k"), options.load
        )
        meter.stop({"wrk": timed["wrk_cpu_s"]})
        hello.measure()
        meter.settle()
    accepted = timed["accepted"]
    size = _board_size(stack, service)
    report = {
        "duration_s": timed["run_s"],
        "members": options.members,
        "program": defined,
        "accepted": accepted,
        "accepted_per_s": timed["accepted_per_s"],
        "decided_per_s_during_run": timed["decided_per_s"],
        "awarded_per_s_during_run": timed["awarded_per_s"],
        "awarded_to_accepted": timed["keep_up"],
        "keeps_up": timed["keep_up"] >= KEEP_UP and not timed["backlog"]["growing"],
        "ratio_to_hello": ratio(timed["accepted_per_s"], hello.req_per_s),
        "hello": hello.report(),
        "backlog": timed["backlog"],
        "drain_after_run_s": timed["drain_s"],
        "statuses": timed["statuses"],
        "board_size": size,
        "mutation": timed["wrk"],
        # Every interaction stored by the end of the drain (a few answer after wrk stopped).
        **meter.report(timed["statuses"]["total"], calls=timed["statuses"]["total"]),
    }
    log(
        f"ingest: accepted {report['accepted_per_s']}/s, awarded "
        f"{report['awarded_per_s_during_run']}/s during the run, backlog at the end "
        f"{timed['backlog']['at_end']} (slope {timed['backlog']['slope_per_s']}/s), hello "
        f"{hello.req_per_s:.0f} req/s"
    )
    return report


def run_and_drain(
    stack: Stack, database: Database, lua: Path, args: list[str], load: wrk.Load
) -> dict[str, Any]:
    """wrk for `load.duration_s`; sample the backlog every second; then wait for the drain."""
    base, base_counts = drive.settled(database)
    started = time.monotonic()
    running = wrk.start(stack.url, lua, args, load)
    timeline = drive.Timeline(base, started)
    try:
        while running.process.poll() is None:
            time.sleep(drive.POLL_S)
            now = time.monotonic()
            progress = database.progress()
            timeline.add(now, progress)
            if now - started > load.duration_s + load.timeout_s + 30:
                raise RuntimeError("wrk outlived its duration")
    except BaseException:
        wrk.interrupt(running)
        running.process.wait(timeout=30)
        raise
    ended = time.monotonic()
    at_end = database.progress()
    counts_at_end = drive.status_delta(database.counts(), base_counts)
    timeline.add(ended, at_end, force=True)
    result = wrk.finish(running)
    if result.errors:
        log(f"ingest: {result.errors} failed requests, e.g. {result.sample_error}")
    run_s = ended - started
    accepted = at_end.stored - base.stored
    decided = accepted - (at_end.pending - base.pending)
    drained_at = _drained(stack, database, ended)
    final = drive.status_delta(database.counts(), base_counts)
    awarded_in_run = counts_at_end["AWARDED"]
    return {
        "run_s": round(run_s, 2),
        "accepted": accepted,
        "accepted_per_s": round(accepted / run_s, 1),
        "decided_per_s": round(decided / run_s, 1),
        "awarded_per_s": round(awarded_in_run / run_s, 1),
        "keep_up": round(awarded_in_run / accepted, 3) if accepted else 0.0,
        "backlog": _backlog(timeline, accepted / run_s if run_s else 0.0, at_end, base),
        "drain_s": round(drained_at - ended, 2),
        "statuses": final,
        "wrk": result.report(),
        "wrk_cpu_s": result.cpu_s,
    }


def _drained(stack: Stack, database: Database, since: float) -> float:
    while True:
        now = time.monotonic()
        if database.progress().pending == 0:
            return now
        if now - since > DRAIN_TIMEOUT_S:
            raise RuntimeError(f"the backlog did not drain in {DRAIN_TIMEOUT_S}s: {stack.data_dir}")
        time.sleep(drive.POLL_S)


def _backlog(
    timeline: drive.Timeline, accepted_per_s: float, at_end: Progress, base: Progress
) -> dict[str, Any]:
    """PENDING over the run: samples, the peak, and the least-squares slope over the second
    half of the run (what a steady state's would be: about 0). Growing: a slope above 2 % of
    the accepted rate (and above 2/s), i.e. the worker falls behind by that much."""
    samples = timeline.samples
    half = [(t, pending) for t, _, pending in samples if t >= samples[-1][0] / 2]
    slope = _slope(half)
    threshold = max(2.0, 0.02 * accepted_per_s)
    return {
        "at_end": at_end.pending - base.pending,
        "max": timeline.max_pending,
        "slope_per_s": round(slope, 1),
        "growing": slope > threshold,
        "growing_if_slope_above": round(threshold, 1),
        "pending_every_s": [pending for _, _, pending in samples],
    }


def _slope(points: list[tuple[float, int]]) -> float:
    if len(points) < 3:
        return 0.0
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_p = sum(p for _, p in points) / n
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if spread == 0:
        return 0.0
    return sum((t - mean_t) * (p - mean_p) for t, p in points) / spread


def _board_size(stack: Stack, service: str) -> int:
    return int(call(stack.url, SIZE, {}, service)["leaderboard"]["size"])
