"""A live app's mixed load: 70 % progress screens, 20 % leaderboard top pages and 10 %
`recordInteraction`, over 10,000 members under the bench program, with the worker(s) awarding
while the reads go on (`lua/mixed.lua`). Reported: requests/s overall and its ratio to `{ hello }`
measured in the same run, latency, whether the worker kept up (awarded/accepted during the run
and the backlog's slope), and that no response was refused (429) or failed."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from api.graphiql import PROGRESS_QUERY
from tests.bench import bulk, drive, program, wrk
from tests.bench.db import Database
from tests.bench.graphql import token
from tests.bench.ingest import KEEP_UP, run_and_drain
from tests.bench.leaderboard import TOP
from tests.bench.meter import Meter
from tests.bench.progress import first_reads
from tests.bench.reads import compact
from tests.bench.stack import Stack, log
from tests.bench.yardstick import Yardstick, ratio
from tests.helpers import RECORD

ACTION = "bench.mixed"
MEMBER_PREFIX = "mm"
SHARES = {"progress": 0.7, "leaderboard": 0.2, "recordInteraction": 0.1}


@dataclass(frozen=True)
class Options:
    members: int
    load: wrk.Load
    hello_duration_s: float = 10.0


def run(
    stack: Stack, database: Database, options: Options, database_name: str | None
) -> dict[str, Any]:
    service, defined = program.prepare(
        stack.url, stack.secret, ACTION, gamification=True, award_heavy=False
    )
    _enrol(stack, database, service, options.members)
    bearers = {
        f"{MEMBER_PREFIX}{index}": token(stack.secret, f"{MEMBER_PREFIX}{index}", "member")
        for index in range(options.members)
    }
    tokens = stack.data_dir / "member-tokens.txt"
    tokens.write_text("".join(bearer + "\n" for bearer in bearers.values()))
    # A live app's members have opened it before: each screen is read once (a miss, then kept),
    # so the measured run sees what it would in steady state: a member's read misses only
    # after one of their interactions was awarded (about one read in eight at these shares).
    log(f"mixed: first read of {options.members} members' screens")
    started = time.monotonic()
    first_reads(stack.url, bearers)
    warm_s = time.monotonic() - started
    lua = wrk.script(stack.data_dir, "mixed")
    queries = [compact(PROGRESS_QUERY), compact(TOP), json.dumps(" ".join(RECORD.split()))]
    args = [str(tokens), service, str(options.members), MEMBER_PREFIX, ACTION, "x-", *queries]
    hello_load = wrk.Load(options.load.threads, options.load.connections, options.hello_duration_s)
    with Yardstick(stack.data_dir, hello_load) as hello:
        hello.measure()
        log(f"mixed: {options.load.duration_s:g} s over {options.members} members")
        meter = Meter(stack, database, database_name, {hello.pid: "hello"})
        meter.start()
        result = run_and_drain(stack, database, lua, args, options.load)
        meter.stop({"wrk": result["wrk_cpu_s"]})
        hello.measure()
        meter.settle()
    requests = result["wrk"]
    report = {
        "members": options.members,
        "first_reads": {"count": options.members, "seconds": round(warm_s, 1)},
        "program": defined,
        "shares": SHARES,
        "requests": requests,
        "ratio_to_hello": ratio(float(requests["req_per_s"]), hello.req_per_s),
        "refused_or_failed": requests["errors"],
        "accepted_per_s": result["accepted_per_s"],
        "awarded_per_s_during_run": result["awarded_per_s"],
        "awarded_to_accepted": result["keep_up"],
        "worker_keeps_up": result["keep_up"] >= KEEP_UP and not result["backlog"]["growing"],
        "backlog": result["backlog"],
        "drain_after_run_s": result["drain_s"],
        "hello": hello.report(),
        **meter.report(result["statuses"]["total"], calls=int(requests["requests"])),
    }
    log(
        f"mixed: {requests['req_per_s']} req/s ({report['ratio_to_hello']} of hello), "
        f"worker keeps up: {report['worker_keeps_up']}, failed or refused: {requests['errors']}"
    )
    return report


def _enrol(stack: Stack, database: Database, service: str, members: int) -> None:
    """One interaction per member (bulk calls), awarded before the measurement starts, so that
    every progress screen and the board have something to show."""
    lua = wrk.script(stack.data_dir, "bulk")
    load = wrk.Load(1, 2, 600.0, timeout_s=120)
    query = json.dumps(bulk.mutation("counts"))
    args = [service, str(members), str(members), "1", ACTION, "e-", MEMBER_PREFIX]
    base, base_counts = drive.settled(database)
    started = time.monotonic()
    running = wrk.start(stack.url, lua, [*args, query, str(bulk.PER_CALL)], load)
    drive.until_decided(stack, database, running, members, started, base, base_counts)
