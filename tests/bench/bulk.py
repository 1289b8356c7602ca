"""Bulk ingestion: N interactions sent as `recordInteractions` calls of up to 1,000 items by a few
concurrent wrk connections (the bodies are built in wrk's Lua, `lua/bulk.lua`), timed from the
first send until every item is decided (AWARDED, under the bench program), beside the `{ hello }`
yardstick measured in the same run (`tests.bench.yardstick`)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from tests.bench import drive, program, wrk
from tests.bench.db import Database
from tests.bench.meter import Meter
from tests.bench.stack import Stack, log
from tests.bench.yardstick import Yardstick, ratio

ACTION = "bench.bulk"
PER_CALL = 1_000
WARM_UP = 2_000
SELECTIONS = {
    # What an importer reads back to know which items were refused, and their ids.
    "results": "accepted refused errors { code message } "
    "results { index interaction { id status } errors { code message field } }",
    "counts": "accepted refused errors { code message }",
}


def mutation(selection: str) -> str:
    return (
        "mutation Bulk($inputs: [RecordInteractionInput!]!) { "
        f"recordInteractions(inputs: $inputs) {{ {SELECTIONS[selection]} }} }}"
    )


@dataclass(frozen=True)
class Options:
    interactions: int
    members: int
    clients: int  # concurrent calls in flight (wrk connections, one thread)
    hello_load: wrk.Load
    per_call: int = PER_CALL
    selection: str = "results"
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
    lua = wrk.script(stack.data_dir, "bulk")
    load = wrk.Load(1, options.clients, max(600.0, options.interactions / 20), timeout_s=120)
    query = json.dumps(mutation(options.selection))

    def send(count: int, members: int, prefix: str) -> drive.Counted:
        base, base_counts = drive.settled(database)
        args = [service, str(count), str(members), "1", ACTION, f"{prefix}-", f"{prefix}m"]
        args += [query, str(options.per_call)]
        started = time.monotonic()
        running = wrk.start(stack.url, lua, args, load)
        done = drive.until_decided(stack, database, running, count, started, base, base_counts)
        if done.result.errors:
            log(f"bulk: {done.result.errors} failed calls, e.g. {done.result.sample_error}")
        return done

    with Yardstick(stack.data_dir, options.hello_load) as hello:
        warm = min(WARM_UP, options.interactions)
        log(f"bulk warm-up: {warm} interactions (separate members and keys)")
        warmed = send(warm, min(warm, options.members), "w")
        hello.measure()
        log(
            f"bulk: {options.interactions} interactions over {options.members} members, "
            f"calls of {options.per_call}, {options.clients} in flight"
        )
        meter = Meter(stack, database, database_name, {hello.pid: "hello"})
        meter.start(idle_since=warmed.finished_at)
        done = send(options.interactions, options.members, "b")
        meter.stop({"wrk": done.result.cpu_s})
        hello.measure()
        meter.settle()
    count = options.interactions
    calls = -(-count // options.per_call)
    rate = count / done.decided_s
    log(f"bulk: {rate:.0f} interactions/s end to end, hello {hello.req_per_s:.0f} req/s")
    return {
        "interactions": count,
        "members": options.members,
        "calls": calls,
        "items_per_call": options.per_call,
        "clients": options.clients,
        "selection": SELECTIONS[options.selection],
        "program": defined,
        "end_to_end_per_s": round(rate, 1),
        "end_to_end_s": round(done.decided_s, 2),
        "stored_per_s": round(count / done.stored_s, 1),
        "stored_s": round(done.stored_s, 2),
        "ratio_to_hello": ratio(rate, hello.req_per_s),
        "stored_ratio_to_hello": ratio(count / done.stored_s, hello.req_per_s),
        "hello": hello.report(),
        "max_pending": done.timeline.max_pending,
        "statuses": done.counts,
        "calls_report": done.result.report(),
        **meter.report(count, calls=calls),
        "timeline_s_stored_pending": done.timeline.report(),
    }
