"""The progress screen (the README's `PROGRESS_QUERY`) under the bench program (50 badges, 10
challenges), with the member read cache (`api.read_cache`), beside `{ hello }` in the same run.

- `repeat`: many members' progress screens, round-robin, each with its own token, answered
  from the cache (each member's answer was read once before); `repeat_gzip` the same with
  `Accept-Encoding: gzip`, as mobile apps send it (the stored bytes sent as they are);
- `miss`: the same with `Cache-Control: no-cache`, so every request is executed and stored
  again: the cost of the read that follows a write (time, CPU and SQL statements per request);
- `not_modified`: the same members by GET with `If-None-Match` (the ETag of their answer):
  `304` without a body;
- `first_read_after_award`: for a sample of members, an interaction awarded by a real worker,
  then that member's next progress read, timed alone (a miss by construction);
- `memory`: what the cache holds per member (`MEMORY USAGE` of a sample of answers and
  version keys), per million members.

Every response's status is counted (`lua/progress.lua`): a 429 counted as a success would make
a ratio meaningless, so any refusal is reported (`refused`).
"""

from __future__ import annotations

import json
import signal
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import redis

from api.graphiql import PROGRESS_QUERY
from tests.bench import cpu, reads, sqlcount, wrk
from tests.bench.db import SEED_PREFIX, Database
from tests.bench.graphql import call, token
from tests.bench.stack import Stack, log
from tests.bench.yardstick import Yardstick, ratio
from tests.helpers import INTERACTION, RECORD

WARMUP_S = 2.0
# The document as the app sends it, on one line (the same text for every read: it is the key).
DOCUMENT = " ".join(PROGRESS_QUERY.split())
MODES = {
    "repeat": "post",
    "repeat_gzip": "post_gzip",
    "miss": "fresh",
    "not_modified": "revalidate",
}
AWARD_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Options:
    members: int  # seeded members (the database's size)
    load: wrk.Load
    hot: int = 2_000  # members whose screens are read round-robin
    awards: int = 50  # members timed on their first read after an award
    hello_duration_s: float = 10.0


def run(
    stack: Stack, database: Database, options: Options, database_name: str | None
) -> dict[str, Any]:
    reads.prepare_reader(stack, database)  # the bench program, and a member with progress
    log(f"progress: seeding {options.members} members")
    seed_s = database.seed(options.members)
    hot = [f"{SEED_PREFIX}{index}" for index in range(1, min(options.hot, options.members) + 1)]
    tokens = {member: token(stack.secret, member, "member") for member in hot}
    log(f"progress: first read of {len(hot)} members' screens (each a miss, then kept)")
    started = time.monotonic()
    etags = first_reads(stack.url, tokens)
    warm_s = time.monotonic() - started
    members_file = stack.data_dir / "progress-members.txt"
    members_file.write_text("".join(f"{tokens[m]} {etags[m]}\n" for m in hot))
    lua = wrk.script(stack.data_dir, "progress")
    query = reads.compact(PROGRESS_QUERY)
    path = "/graphql?" + urlencode({"query": DOCUMENT})
    report: dict[str, Any] = {
        "members": options.members,
        "hot_members": len(hot),
        "seed_s": round(seed_s, 1),
        "first_reads": {"count": len(hot), "seconds": round(warm_s, 1)},
        "body_bytes": len(_body(stack.url, tokens[hot[0]])),
    }
    hello_load = wrk.Load(options.load.threads, options.load.connections, options.hello_duration_s)
    with Yardstick(stack.data_dir, hello_load) as hello:
        hello.measure()
        pids = stack.pids() | {hello.pid: "hello"}
        classify = cpu.classifier(pids, database_name, stack.redis_marker())
        for name, mode in MODES.items():
            if mode == "revalidate" and not all(etags.values()):
                report[name] = {"skipped": "the API sends no ETag"}
                continue
            args = [str(members_file), mode, query, path]
            wrk.run(stack.url, lua, args, wrk.Load(1, options.load.connections, WARMUP_S))
            sql_before = stack.sql_readings("api")
            before = cpu.snapshot(classify)
            result = wrk.run(stack.url, lua, args, options.load)
            usage = cpu.usage(before, cpu.snapshot(classify), {"wrk": result.cpu_s})
            time.sleep(sqlcount.INTERVAL_S * 2)
            sql = sqlcount.delta(sql_before, stack.sql_readings("api"))
            report[name] = _measured(result, usage, sql)
            log(f"{name}: {report[name]['req_per_s']} req/s, statuses {result.extra}")
        hello.measure()
        for name in MODES:
            if "req_per_s" in report[name]:
                report[name]["ratio_to_hello"] = ratio(report[name]["req_per_s"], hello.req_per_s)
        report["hello"] = hello.report()
    report["refused"] = sum(
        int(report[name].get("statuses", {}).get("refused", 0)) for name in MODES
    )
    report["first_read_after_award"] = _after_awards(stack, tokens, hot[: options.awards])
    report["memory"] = _memory(stack, len(hot))
    log(f"progress: {json.dumps(report)}")
    return report


def _measured(result: wrk.Result, usage: dict[str, Any], sql: dict[str, Any]) -> dict[str, Any]:
    measured = result.report()
    requests = max(1, result.requests)
    measured["statuses"] = result.extra
    measured["cpu"] = usage
    for role in ("api", "redis", "postgres"):
        seconds = float(usage.get(f"{role}_cpu_s", 0.0))
        measured[f"{role}_cpu_ms_per_request"] = round(1000 * seconds / requests, 3)
    measured["statements_per_request"] = round(sql["statements"] / requests, 2)
    return measured


def first_reads(url: str, tokens: dict[str, str]) -> dict[str, str]:
    """Read each member's screen once (16 at a time); the ETags of their answers."""

    def first(member: str) -> tuple[str, str]:
        # The representation `revalidate` asks for: JSON, not compressed.
        plain = {"accept": "application/json", "accept-encoding": "identity"}
        response = _post(url, tokens[member], plain)
        return member, response.headers.get("etag", "")

    with ThreadPoolExecutor(max_workers=16) as pool:
        return dict(pool.map(first, tokens))


def _post(url: str, bearer: str, headers: dict[str, str] | None = None) -> httpx.Response:
    response = httpx.post(
        url,
        json={"query": DOCUMENT},
        headers={"Authorization": f"Bearer {bearer}", **(headers or {})},
        timeout=60,
    )
    if response.status_code != 200 or "errors" in response.json():
        raise RuntimeError(f"the progress screen answered {response.status_code}: {response.text}")
    return response


def _body(url: str, bearer: str) -> bytes:
    return _post(url, bearer).content


def _after_awards(stack: Stack, tokens: dict[str, str], members: list[str]) -> dict[str, Any]:
    """Each member's next read once an interaction of theirs was awarded (a real worker, the
    interaction polled until AWARDED): how long that read took, alone on the API."""
    service = token(stack.secret, "bench-service", "service")
    admin = token(stack.secret, "bench-admin", "admin")
    name = "progress-worker"
    stack.spawn(name, "worker")
    timings: list[float] = []
    try:
        for member in members:
            variables = {"input": {"action": reads.ACTION, "memberId": member,
                                   "idempotencyKey": f"award-{member}"}}  # fmt: skip
            recorded = call(stack.url, RECORD, variables, service)["recordInteraction"]
            interaction = recorded["interaction"]["id"]
            deadline = time.monotonic() + AWARD_TIMEOUT_S
            while True:
                found = call(stack.url, INTERACTION, {"id": interaction}, admin)["interaction"]
                if found["status"] != "PENDING":
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{member}'s interaction was not awarded in time")
                time.sleep(0.02)
            started = time.perf_counter()
            _post(stack.url, tokens[member])
            timings.append(1000 * (time.perf_counter() - started))
    finally:
        worker = stack.processes.pop(name)
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    timings.sort()
    return {
        "reads": len(timings),
        "p50_ms": round(statistics.median(timings), 2) if timings else None,
        "p90_ms": round(timings[int(0.9 * (len(timings) - 1))], 2) if timings else None,
        "max_ms": round(timings[-1], 2) if timings else None,
    }


def _memory(stack: Stack, members: int) -> dict[str, Any]:
    """Bytes per member the cache holds (one progress answer and the member's version key),
    measured on a sample (`MEMORY USAGE … SAMPLES 0`), and per million members."""
    client = _redis(stack)
    try:
        entries = [key for key in client.scan_iter(match="*:rc:{m:*}:e:*", count=1000)][:200]
        versions = [key for key in client.scan_iter(match="*:rc:{m:*}:v", count=1000)][:200]
        entry_bytes = [int(client.memory_usage(key, samples=0) or 0) for key in entries]
        version_bytes = [int(client.memory_usage(key, samples=0) or 0) for key in versions]
    finally:
        client.close()
    entry = statistics.mean(entry_bytes) if entry_bytes else 0.0
    version = statistics.mean(version_bytes) if version_bytes else 0.0
    per_member = entry + version
    return {
        "sampled_entries": len(entry_bytes),
        "entry_bytes": round(entry),
        "version_key_bytes": round(version),
        "mib_per_million_members": round(per_member * 1_000_000 / 2**20, 1),
        "note": "one cached progress answer per member; members with no answer kept (none "
        "read within PLAUDIT_READ_CACHE_TTL_SECONDS) take nothing",
    }


def _redis(stack: Stack) -> redis.Redis:
    if stack.backend.redis_url:
        return redis.Redis.from_url(stack.backend.redis_url)
    registry = json.loads((stack.data_dir / "redis.rdb.settings").read_text())
    return redis.Redis(unix_socket_path=str(registry["unixsocket"]))
