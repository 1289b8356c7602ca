"""Live-update fan-out: N open `leaderboardChanged` subscriptions on one API process
(graphql-transport-ws, one socket each, each a different seeded member, spread over client
processes of up to `SOCKETS_PER_CLIENT` sockets), then rounds of a new leader on the board: how
long until each subscriber has its push (p50, p99 and max over every push of every round), the
API's CPU per push (from /proc, between each write and the round's last push), and the clients'
CPU (they share the machine with the API).

Unmeasured warm-up rounds, until one reaches every subscriber, prove every subscription live
(a subscription's start sends nothing to wait for, and one whose baseline was read after a
write has nothing to hear of it); rounds are `ROUND_GAP_S` apart, as a board pushes at most
once a second. The bench raises its open-file limit to the hard limit (`resource`), and its
children inherit it: 10,000 sockets need 10,000 descriptors on each side.

Inside the leaderboard scenario (`run`, 1,000 subscribers), or on its own:
`python -m tests.bench --scenario fanout --subscribers 10000` (`scenario`), on a board of
`--members` (default a million) seeded and rebuilt as the leaderboard scenario does, beside a
`{ hello }` yardstick run for the ratios.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import math
import multiprocessing
import resource
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from domain.leaderboards.store import LeaderboardStore
from gamification.leaderboards import BoardKey, BoardPeriod
from tests.bench import board_redis, cpu, reads, wrk
from tests.bench.board_redis import Board
from tests.bench.db import SEED_PREFIX, Database
from tests.bench.graphql import call, token
from tests.bench.hello import HELLO
from tests.bench.stack import Stack, log

LIVE = (
    'subscription { leaderboardChanged(board: "points", period: ALL_TIME, top: 10) '
    "{ top { rank score member { id displayName } } me { rank score } } }"
)
SOCKETS_PER_CLIENT = 2_500
OPEN_AT_ONCE = 100  # handshakes in flight per client process
ROUND_GAP_S = 1.3  # a board pushes at most once a second
WARMUP_S = 5.0  # a warm-up round waits this long, then writes again for whoever got nothing
MAX_WARMUPS = 30
OPEN_TIMEOUT_S = 600.0
ROUND_TIMEOUT_S = 30.0
SIZE = 'query Size { leaderboard(board: "points", period: ALL_TIME) { size } }'


@dataclass(frozen=True)
class Options:
    members: int
    subscribers: int
    rounds: int = 5
    clients: int | None = None  # client processes (default: one per SOCKETS_PER_CLIENT)
    hello: wrk.Load | None = None  # the yardstick run, for the ratios


def raise_open_files() -> int:
    """Raise this process's soft limit on open files to its hard limit; returns it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65_536)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def scenario(
    stack: Stack, database: Database, options: Options, database_name: str | None
) -> dict[str, Any]:
    """The fan-out scenario: seed, rebuild, the yardstick, then `run`."""
    members = max(options.members, options.subscribers)
    log(f"fanout: seeding {members} members and ALL_TIME scores")
    seed_s = database.seed(members)
    rebuild_s = stack.cli("leaderboards", "rebuild")
    viewer = token(stack.secret, f"{SEED_PREFIX}1", "member")
    size = call(stack.url, SIZE, {}, viewer)["leaderboard"]["size"]
    if size != members:
        raise RuntimeError(f"the rebuilt board holds {size} members, expected {members}")
    report: dict[str, Any] = {
        "members": members,
        "seed_s": round(seed_s, 1),
        "rebuild_s": round(rebuild_s, 1),
    }
    if options.hello is not None:
        report["hello"] = _hello(stack, viewer, members, options.hello)
    board = board_redis.find_board(stack)
    fan = run(
        stack,
        board,
        options.subscribers,
        options.rounds,
        clients=options.clients,
        database_name=database_name,
    )
    if "hello" in report:
        hello = report["hello"]
        fan["pushes_per_s_to_hello"] = reads.ratio(fan["pushes_per_s"], hello["req_per_s"])
        if hello.get("cpu_ms_per_request"):
            fan["cpu_per_push_to_hello_request"] = round(
                fan["api_cpu_ms_per_push"] / hello["cpu_ms_per_request"], 2
            )
    return report | {"fanout": fan}


def _hello(stack: Stack, viewer: str, members: int, load: wrk.Load) -> dict[str, Any]:
    """`{ hello }` served the same way, with its CPU per request (for the ratios)."""
    lua = wrk.script(stack.data_dir, "leaderboard")
    args = [viewer, "top", str(members), SEED_PREFIX, reads.compact(HELLO)]
    with reads.HelloServer(stack.data_dir) as hello:
        classify = cpu.classifier({hello.pid: "hello"}, None, "-")
        before = cpu.snapshot(classify)
        result = wrk.run(hello.url, lua, args, load)
        seconds = _role_seconds(before, cpu.snapshot(classify), "hello")
    report = result.report()
    if result.requests:
        report["cpu_ms_per_request"] = round(seconds * 1000 / result.requests, 3)
    log(f"hello: {report['req_per_s']} req/s, {report.get('cpu_ms_per_request')} ms CPU each")
    return report


def run(
    stack: Stack,
    board: Board,
    subscribers: int,
    rounds: int = 5,
    *,
    clients: int | None = None,
    database_name: str | None = None,
) -> dict[str, Any]:
    """Open `subscribers` subscriptions (seeded members 1..N), then `rounds` new leaders."""
    raise_open_files()
    url = stack.url.replace("http://", "ws://")
    count = clients or max(1, math.ceil(subscribers / SOCKETS_PER_CLIENT))
    shares = [range(n + 1, subscribers + 1, count) for n in range(count)]
    context = multiprocessing.get_context("spawn")
    pipes: list[Connection] = []
    processes = []
    for share in shares:
        parent, child = context.Pipe()
        subjects = [f"{SEED_PREFIX}{n}" for n in share]
        process = context.Process(
            target=_client, args=(url, stack.secret, subjects, child), daemon=True
        )
        process.start()
        child.close()
        pipes.append(parent)
        processes.append(process)
    try:
        return _measure(stack, board, subscribers, rounds, pipes, processes, database_name)
    finally:
        for pipe in pipes:
            with contextlib.suppress(OSError):
                pipe.send(("stop",))
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()


def _measure(
    stack: Stack,
    board: Board,
    subscribers: int,
    rounds: int,
    pipes: list[Connection],
    processes: list[Any],
    database_name: str | None,
) -> dict[str, Any]:
    opened_at = time.monotonic()
    opened = failed = 0
    for pipe in pipes:
        _, ok, refused = _expect(pipe, "ready", OPEN_TIMEOUT_S)
        opened, failed = opened + ok, failed + refused
    open_s = time.monotonic() - opened_at
    log(f"fan-out: {opened} subscriptions open in {open_s:.1f}s ({failed} failed)")
    if failed:
        raise RuntimeError(f"{failed} of {subscribers} subscriptions could not be opened")
    roles = stack.pids() | {process.pid: "client" for process in processes}
    classify = cpu.classifier(roles, database_name, stack.redis_marker())
    key = BoardKey("points", BoardPeriod.ALL_TIME, "lifetime")
    latencies: list[float] = []
    spans: list[float] = []
    api_s = client_s = redis_s = 0.0
    missing = writes = 0
    with asyncio.Runner() as runner:
        client = board.async_client()
        store = LeaderboardStore(client, namespace=board.namespace)
        [(_, top)] = runner.run(client.zrevrange(board.scores_key, 0, 0, withscores=True))
        try:
            warmups = 0
            round_ = 0
            while round_ <= rounds:  # round 0, repeated: until every subscription is live
                for pipe in pipes:
                    pipe.send(("round", WARMUP_S if round_ == 0 else ROUND_TIMEOUT_S))
                for pipe in pipes:
                    _expect(pipe, "armed", 30)
                before = cpu.snapshot(classify)
                writes += 1
                leader = f"{SEED_PREFIX}{writes}"
                written = time.monotonic()
                scores = [(key, leader, int(top) + writes, datetime.now(UTC), None)]
                runner.run(store.set_scores(scores))
                arrivals: list[float] = []
                lost = 0
                for pipe in pipes:
                    _, times, absent = _expect(pipe, "arrived", ROUND_TIMEOUT_S + 30)
                    arrivals += times
                    lost += absent
                after = cpu.snapshot(classify)
                if round_ == 0:
                    # A subscription whose baseline was read after the write has nothing to hear.
                    warmups += 1
                    if lost and warmups >= MAX_WARMUPS:
                        raise RuntimeError(f"{lost} subscriptions got no push in the warm-up")
                    log(f"fan-out: warm-up {warmups} reached {len(arrivals)} subscriptions")
                    if lost:
                        time.sleep(ROUND_GAP_S)
                        continue
                else:
                    missing += lost
                    latencies += [at - written for at in arrivals]
                    spans.append(max(arrivals) - written if arrivals else ROUND_TIMEOUT_S)
                    api_s += _role_seconds(before, after, "api")
                    client_s += _role_seconds(before, after, "client")
                    redis_s += _role_seconds(before, after, "redis")
                    log(
                        f"fan-out round {round_}: {len(arrivals)} pushes, the last after "
                        f"{spans[-1] * 1000:.0f} ms ({lost} missing)"
                    )
                round_ += 1
                time.sleep(ROUND_GAP_S)
        finally:
            runner.run(client.aclose())
    pushes = len(latencies)
    ordered = sorted(latencies)
    return {
        "subscriptions": subscribers,
        "client_processes": len(pipes),
        "open_s": round(open_s, 1),
        "rounds": rounds,
        "pushes": pushes,
        "missing": missing,
        "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "p99_ms": round(ordered[max(0, math.ceil(pushes * 0.99) - 1)] * 1000, 1)
        if ordered
        else None,
        "max_ms": round(ordered[-1] * 1000, 1) if ordered else None,
        "last_of_round_ms": [round(span * 1000, 1) for span in spans],
        "pushes_per_s": round(subscribers / statistics.mean(spans), 1) if spans else 0.0,
        "api_cpu_ms_per_push": round(api_s * 1000 / pushes, 4) if pushes else None,
        "api_cpu_ms_per_round": round(api_s * 1000 / rounds, 1) if rounds else None,
        "client_cpu_ms_per_push": round(client_s * 1000 / pushes, 4) if pushes else None,
        "redis_cpu_ms_per_round": round(redis_s * 1000 / rounds, 1) if rounds else None,
    }


def _role_seconds(before: cpu.Snapshot, after: cpu.Snapshot, role: str) -> float:
    """CPU seconds the processes of `role` spent between two snapshots (unrounded)."""
    total = 0.0
    for pid, (name, seconds) in after.processes.items():
        if name == role:
            _, earlier = before.processes.get(pid, (name, 0.0))
            total += max(0.0, seconds - earlier)
    return total


def _expect(pipe: Connection, kind: str, timeout: float) -> tuple[Any, ...]:
    if not pipe.poll(timeout):
        raise RuntimeError(f"a fan-out client sent no {kind!r} within {timeout:.0f}s")
    message: tuple[Any, ...] = pipe.recv()
    if message[0] == "failed":
        raise RuntimeError(f"a fan-out client failed: {message[1]}")
    if message[0] != kind:
        raise RuntimeError(f"a fan-out client sent {message[0]!r}, expected {kind!r}")
    return message


# --- A client process: its share of the sockets, one subscription each ---


def _client(url: str, secret: str, subjects: list[str], pipe: Connection) -> None:
    raise_open_files()
    try:
        asyncio.run(_serve(url, secret, subjects, pipe))
    except Exception as exc:  # tell the bench, rather than leave it waiting
        pipe.send(("failed", f"{type(exc).__name__}: {exc}"))


async def _serve(url: str, secret: str, subjects: list[str], pipe: Connection) -> None:
    loop = asyncio.get_running_loop()
    sockets: list[ClientConnection] = []
    failed = 0
    for first in range(0, len(subjects), OPEN_AT_ONCE):
        chunk = subjects[first : first + OPEN_AT_ONCE]
        bearers = [f"Bearer {token(secret, subject, 'member')}" for subject in chunk]
        opening = [_open(url, bearer) for bearer in bearers]
        for opened in await asyncio.gather(*opening, return_exceptions=True):
            if isinstance(opened, ClientConnection):
                sockets.append(opened)
            else:
                failed += 1
    # This process stands in for 2,500 phones: its sockets are long-lived, and a full
    # collection walking all of them took about 220 ms of CPU in each client at once, on the
    # API's two cores, and stamped the pushes of that round late. Frozen, a collection walks
    # only what a round made (as the API does, `domain.infra.gc_policy`).
    gc.collect()
    gc.freeze()
    pipe.send(("ready", len(sockets), failed))
    try:
        while True:
            command = await loop.run_in_executor(None, pipe.recv)
            if command[0] == "stop":
                return
            waiting = [asyncio.ensure_future(_next_push(ws)) for ws in sockets]
            pipe.send(("armed",))
            done, pending = await asyncio.wait(waiting, timeout=float(command[1]))
            for task in pending:
                task.cancel()
            arrivals = [t.result() for t in done if t.exception() is None]
            pipe.send(("arrived", arrivals, len(sockets) - len(arrivals)))
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


async def _open(url: str, bearer: str) -> ClientConnection:
    ws = await connect(url, subprotocols=["graphql-transport-ws"], open_timeout=60)
    await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": bearer}}))
    ack = await ws.recv()
    if '"connection_ack"' not in ack:
        await ws.close()
        raise RuntimeError(f"connection_init answered {ack!r}")
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": LIVE}}))
    return ws


async def _next_push(ws: ClientConnection) -> float:
    """When the next `next` message arrives (answering protocol pings on the way)."""
    while True:
        message = await ws.recv()
        if '"type":"next"' in message:
            return time.monotonic()
        if '"type":"ping"' in message:
            await ws.send('{"type":"pong"}')
        else:
            raise RuntimeError(f"unexpected message {message!r}")
