"""Live-update fan-out: N open `leaderboardChanged` subscriptions (graphql-transport-ws, one
socket each, each a different seeded member), then a new leader on the board: how long until
every subscriber has its push, over several rounds a little over a second apart (a subscriber
gets at most one push a second)."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from domain.leaderboards.store import LeaderboardStore
from gamification.leaderboards import BoardKey, BoardPeriod
from tests.bench.board_redis import Board
from tests.bench.db import SEED_PREFIX
from tests.bench.graphql import token
from tests.bench.stack import Stack, log

LIVE = (
    'subscription { leaderboardChanged(board: "points", period: ALL_TIME, top: 10) '
    "{ top { rank score member { id displayName } } me { rank score } } }"
)
SETTLE_S = 3.0  # after the last subscribe: no message confirms that a subscription is open
ROUND_GAP_S = 1.3


async def _open(url: str, bearer: str) -> ClientConnection:
    ws = await connect(url, subprotocols=["graphql-transport-ws"], open_timeout=30)
    await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": bearer}}))
    ack = json.loads(await ws.recv())
    if ack.get("type") != "connection_ack":
        raise RuntimeError(f"connection_init answered {ack}")
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": LIVE}}))
    return ws


async def _next_push(ws: ClientConnection) -> float:
    """When the next `next` message arrives (answering pings on the way)."""
    while True:
        message = json.loads(await ws.recv())
        if message["type"] == "ping":
            await ws.send(json.dumps({"type": "pong"}))
        elif message["type"] == "next":
            return time.perf_counter()
        else:
            raise RuntimeError(f"unexpected message {message}")


def run(stack: Stack, board: Board, subscribers: int, rounds: int = 5) -> dict[str, Any]:
    url = stack.url.replace("http://", "ws://")

    async def measure() -> dict[str, Any]:
        sockets: list[ClientConnection] = []
        for first in range(0, subscribers, 100):
            chunk = range(first + 1, min(subscribers, first + 100) + 1)
            bearers = [
                f"Bearer {token(stack.secret, f'{SEED_PREFIX}{n}', 'member')}" for n in chunk
            ]
            sockets += await asyncio.gather(*(_open(url, bearer) for bearer in bearers))
        log(f"fan-out: {len(sockets)} subscriptions open")
        await asyncio.sleep(SETTLE_S)
        client = board.async_client()
        store = LeaderboardStore(client, namespace=board.namespace)
        key = BoardKey("points", BoardPeriod.ALL_TIME, "lifetime")
        [(_, top)] = await client.zrevrange(board.scores_key, 0, 0, withscores=True)
        latencies: list[float] = []
        spans: list[float] = []
        try:
            for round_ in range(1, rounds + 1):
                waiting = [asyncio.ensure_future(_next_push(ws)) for ws in sockets]
                leader = f"{SEED_PREFIX}{round_}"
                started = time.perf_counter()
                await store.set_scores([(key, leader, int(top) + round_, datetime.now(UTC), None)])
                arrived = await asyncio.wait_for(asyncio.gather(*waiting), timeout=30)
                latencies += [at - started for at in arrived]
                spans.append(max(arrived) - started)
                await asyncio.sleep(ROUND_GAP_S)
        finally:
            await client.aclose()
            await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
        ordered = sorted(latencies)
        return {
            "subscriptions": subscribers,
            "rounds": rounds,
            "pushes": len(latencies),
            "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1),
            "pushes_per_s": round(subscribers / statistics.mean(spans), 1),
        }

    return asyncio.run(measure())
