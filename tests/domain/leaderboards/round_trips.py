"""Counting Redis round trips without MONITOR: a client whose connections count what they send.

Every command a redis-py connection sends, alone or a whole pipeline at once, goes out through
one `send_packed_command` call, which then waits for the answers: one call, one round trip.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from domain.infra.redis import RedisEndpoint
from domain.leaderboards.store import LeaderboardStore


@dataclass
class Sent:
    round_trips: int = 0


def counting_client(endpoint: RedisEndpoint) -> tuple[Redis, Sent]:
    """A client of the test Redis whose round trips are counted in the returned `Sent`."""
    client = endpoint.client(decode_responses=False)
    pool = client.connection_pool
    sent = Sent()

    class Counting(pool.connection_class):  # type: ignore[name-defined,misc]
        async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
            sent.round_trips += 1
            await super().send_packed_command(command, check_health)

    pool.connection_class = Counting
    return client, sent


@contextlib.asynccontextmanager
async def counted_store(runtime: Any) -> Any:
    """The runtime's leaderboard store swapped for one over a counting client, for as long as
    the block lasts (the API process is this test process): yields the `Sent` counter."""
    client, sent = counting_client(runtime.endpoint)
    real = runtime.leaderboards
    runtime.leaderboards = LeaderboardStore(client, namespace=real.namespace)
    try:
        yield sent
    finally:
        runtime.leaderboards = real
        await client.aclose()


@contextlib.contextmanager
def counting(sent: Sent) -> Iterator[Sent]:
    """`sent` counted afresh for the block."""
    sent.round_trips = 0
    yield sent
