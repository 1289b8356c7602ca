"""Leaderboards at scale: seed N members with scores in the database, rebuild the Redis boards
with `plaudit leaderboards rebuild`, then measure with wrk top-10, a page deep in the board,
`around(radius: 5)`, `entry`, the reader's `me { standings }` (executed, not answered from the
member read cache) and the mobile app's `me` progress screen, each beside a bare
Strawberry `{ hello }` app served the same way and measured in the same run (`ratio_to_hello`;
see `tests.bench.reads`). Then the live-update fan-out to open subscriptions
(`tests.bench.fanout`), the credits per second the store projects into the board's four periods,
and the board's Redis memory (`tests.bench.board_redis`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.bench import board_redis, cpu, fanout, reads, wrk
from tests.bench.db import SEED_PREFIX, Database
from tests.bench.graphql import call, token
from tests.bench.hello import HELLO
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
ENTRY_OF = (
    'query Entry($memberId: ID!) { leaderboard(board: "points", period: ALL_TIME) { '
    f"entry(memberId: $memberId) {{ {ENTRY} }} }} }}"
)


def deep_page(cursor: str) -> str:
    return (
        'query Deep { leaderboard(board: "points", period: ALL_TIME) { '
        f'entries(first: 10, after: "{cursor}") {{ edges {{ cursor node {{ {ENTRY} }} }} '
        "pageInfo { hasNextPage endCursor } } } }"
    )


SIZE = 'query Size { leaderboard(board: "points", period: ALL_TIME) { size } }'
# The reader's rank and score on every board and period they are on (the points board's four
# periods, the bench program's ten challenges' boards), executed every time (`fresh`: not from
# the member read cache, which keeps a document with `standings` for at most a second).
STANDINGS = "query Standings { me { standings { board period rank score } } }"
WARMUP_S = 3.0


@dataclass(frozen=True)
class Options:
    members: int
    load: wrk.Load
    subscribers: int = 1000
    credit_seconds: float = 10.0
    credits_per_call: int = 250  # the worker's default batch


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
    board = board_redis.find_board(stack)
    deep = deep_page(board_redis.cursor_at(board, members // 2))
    ranks = [
        e["node"]["rank"]
        for e in call(stack.url, deep, {}, viewer)["leaderboard"]["entries"]["edges"]
    ]
    if ranks != list(range(members // 2 + 1, members // 2 + 11)):
        raise RuntimeError(f"the deep page's ranks are {ranks}")

    reader = reads.prepare_reader(stack, database)
    standings = call(stack.url, STANDINGS, {}, reader)["me"]["standings"]
    if len(standings) < 4:
        raise RuntimeError(f"the reader's standings are {standings}")
    log(f"reader: {len(standings)} standings")

    lua = wrk.script(stack.data_dir, "leaderboard")
    report: dict[str, Any] = {
        "members": members,
        "seed_s": round(seed_s, 1),
        "rebuild_s": round(rebuild_s, 1),
    }
    with reads.HelloServer(stack.data_dir) as hello:
        pids = stack.pids() | {hello.pid: "hello"}
        classify = cpu.classifier(pids, database_name, stack.redis_marker())

        def measure(url: str, mode: str, bearer: str, query: str) -> dict[str, Any]:
            args = [bearer, mode, str(members), SEED_PREFIX, reads.compact(query)]
            warm = wrk.Load(options.load.threads, options.load.connections, WARMUP_S)
            wrk.run(url, lua, args, warm)
            before = cpu.snapshot(classify)
            result = wrk.run(url, lua, args, options.load)
            usage = cpu.usage(before, cpu.snapshot(classify), {"wrk": result.cpu_s})
            return result.report() | {"cpu": usage}

        hello_runs = [measure(hello.url, "top", viewer, HELLO)]
        log(f"hello: {hello_runs[0]['req_per_s']} req/s, p99 {hello_runs[0]['p99_ms']} ms")
        for mode, wrk_mode, bearer, query in (
            ("top10", "top", viewer, TOP),
            ("deep_page", "top", viewer, deep),
            ("around", "around", viewer, AROUND),
            ("entry", "around", viewer, ENTRY_OF),
            ("standings", "fresh", reader, STANDINGS),
            ("me", "top", reader, reads.ME),
        ):
            report[mode] = measure(stack.url, wrk_mode, bearer, query)
            log(f"{mode}: {report[mode]['req_per_s']} req/s, p99 {report[mode]['p99_ms']} ms")
        hello_runs.append(measure(hello.url, "top", viewer, HELLO))
        log(f"hello again: {hello_runs[1]['req_per_s']} req/s")
    hello_req_s = sum(float(run["req_per_s"]) for run in hello_runs) / len(hello_runs)
    report["hello"] = {"req_per_s": round(hello_req_s, 1), "runs": hello_runs}
    for mode in READS:
        report[mode] = reads.with_ratio(report[mode], hello_req_s)
    report["ratios"] = {mode: report[mode]["ratio_to_hello"] for mode in READS}
    report["memory"] = board_redis.memory(board, members)
    log(f"memory: {report['memory']}")
    fan = fanout.run(stack, board, min(options.subscribers, members))
    report["fanout"] = fan | {
        "pushes_per_s_to_hello": reads.ratio(fan["pushes_per_s"], hello_req_s)
    }
    log(f"fan-out: {report['fanout']}")
    credits = board_redis.credits_per_second(
        board, members, options.credit_seconds, options.credits_per_call
    )
    report["credits"] = credits | {
        "credits_per_s_to_hello": reads.ratio(credits["credits_per_s"], hello_req_s)
    }
    log(f"credits: {report['credits']}")
    return report


READS = ("top10", "deep_page", "around", "entry", "standings", "me")


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
