"""Leaderboard reads at scale: seed N members with scores in the database, rebuild the Redis
boards with `plaudit leaderboards rebuild`, then measure top-10 and `around` with wrk."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tests.bench import cpu, wrk
from tests.bench.db import SEED_PREFIX, Database
from tests.bench.graphql import call, token
from tests.bench.stack import Stack, log

ENTRY = "rank score member { id displayName avatarUrl }"
TOP = (
    'query Top { leaderboard(board: "points", period: ALL_TIME) { entries(first: 10) { '
    f"edges {{ cursor node {{ {ENTRY} }} }} pageInfo {{ hasNextPage endCursor }} }} }} }}"
)
AROUND = (
    'query Around($memberId: ID!) { leaderboard(board: "points", period: ALL_TIME) { '
    f"around(memberId: $memberId, radius: 5) {{ {ENTRY} }} }} }}"
)
SIZE = 'query Size { leaderboard(board: "points", period: ALL_TIME) { size } }'
WARMUP_S = 3.0


@dataclass(frozen=True)
class Options:
    members: int
    load: wrk.Load


def run(
    stack: Stack, database: Database, options: Options, database_name: str | None
) -> dict[str, Any]:
    members = options.members
    log(f"leaderboard: seeding {members} members and ALL_TIME scores")
    seed_s = database.seed(members)
    log(f"seeded in {seed_s:.1f}s; rebuilding the Redis boards")
    rebuild_s = stack.cli("leaderboards", "rebuild")
    viewer = token(stack.secret, f"{SEED_PREFIX}1", "member")
    size = call(stack.url, SIZE, {}, viewer)["leaderboard"]["size"]
    if size != members:
        raise RuntimeError(f"the rebuilt board holds {size} members, expected {members}")
    _check_samples(stack, viewer, members)

    lua = wrk.script(stack.data_dir, "leaderboard")
    classify = cpu.classifier(stack.pids(), database_name, stack.redis_marker())
    report: dict[str, Any] = {
        "members": members,
        "seed_s": round(seed_s, 1),
        "rebuild_s": round(rebuild_s, 1),
    }
    for mode, query in (("top10", TOP), ("around", AROUND)):
        args = [viewer, "top" if mode == "top10" else "around", str(members), SEED_PREFIX]
        args.append(json.dumps(query))
        warm = wrk.Load(options.load.threads, options.load.connections, WARMUP_S)
        wrk.run(stack.url, lua, args, warm)
        before = cpu.snapshot(classify)
        result = wrk.run(stack.url, lua, args, options.load)
        usage = cpu.usage(before, cpu.snapshot(classify), {"wrk": result.cpu_s})
        report[mode] = result.report() | {"cpu": usage}
        log(f"{mode}: {report[mode]['req_per_s']} req/s, p99 {report[mode]['p99_ms']} ms")
    return report


def _check_samples(stack: Stack, viewer: str, members: int) -> None:
    """One request of each kind must answer 200, without errors, with the expected shape."""
    edges = call(stack.url, TOP, {}, viewer)["leaderboard"]["entries"]["edges"]
    ranks = [edge["node"]["rank"] for edge in edges]
    if ranks != list(range(1, 11)):
        raise RuntimeError(f"top-10 ranks are {ranks}")
    middle = f"{SEED_PREFIX}{members // 2}"
    around = call(stack.url, AROUND, {"memberId": middle}, viewer)["leaderboard"]["around"]
    if middle not in [entry["member"]["id"] for entry in around] or len(around) > 11:
        raise RuntimeError(f"around({middle}) answered {around}")
