"""The micro-cache of public leaderboard pages: at most a second stale, one computation per
burst, dropped when this process writes scores or profiles, never shared for viewer-dependent
documents. The clock is the cache's own, injected: nothing here waits for time to pass."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from api.http import _reads_public_boards
from domain.leaderboards.scores import current_board
from domain.leaderboards.store import PAGE_TTL_S, MicroCache
from gamification.leaderboards import BoardPeriod, element_for
from tests.api.leaderboards.test_leaderboards import credit
from tests.conftest import member

TOP = """
query Top { leaderboard(board: "points", period: ALL_TIME) {
  entries(first: 3) { edges { node { rank score member { id displayName } } } }
} }
"""
AROUND_ME = """
query Mine { leaderboard(board: "points", period: ALL_TIME) {
  around(radius: 0) { rank member { id } }
} }
"""
RENAME = """
mutation Rename($name: String!) {
  updateProfile(input: {displayName: $name}) { errors { code } }
}
"""


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(runtime: Any) -> Iterator[Clock]:
    pages = runtime.leaderboards.pages
    fake, real = Clock(), pages.clock
    pages.clock = fake
    pages.invalidate()
    yield fake
    pages.clock = real


def top(body: dict[str, Any]) -> list[tuple[int, str]]:
    assert "errors" not in body, body
    edges = body["data"]["leaderboard"]["entries"]["edges"]
    return [(e["node"]["score"], e["node"]["member"]["id"]) for e in edges]


async def behind_the_caches_back(runtime: Any, who: str, score: int) -> None:
    """A score written to Redis by another process (a worker): nothing here is told."""
    key = current_board("points", BoardPeriod.ALL_TIME, datetime.now(UTC), runtime.settings.tz)
    namespace = getattr(runtime.leaderboards, "namespace", "")  # the store's key namespace
    key = key.in_namespace(namespace) if namespace else key
    element = element_for(who, datetime.now(UTC))
    await runtime.redis.zadd(key.scores, {element: score})
    await runtime.redis.hset(key.elements, who, element)


async def test_a_page_is_at_most_a_second_stale(gql, drain, runtime, clock):
    await credit(gql, "ada", 30, "a1")
    await drain()
    assert top(await gql(TOP)) == [(30, "ada")]
    await behind_the_caches_back(runtime, "grace", 50)

    clock.now += PAGE_TTL_S * 0.99
    assert top(await gql(TOP)) == [(30, "ada")]  # served from the cache, grace not yet shown
    clock.now += PAGE_TTL_S * 0.02  # a second after the page was read
    assert top(await gql(TOP)) == [(50, "grace"), (30, "ada")]


async def test_a_burst_of_identical_requests_computes_the_page_once(gql, drain, runtime, clock):
    await credit(gql, "ada", 30, "a1")
    await drain()
    store, burst = runtime.leaderboards, 8
    pages, real_get, real_read = store.pages, store.pages.get, store.read
    arrived, everybody_in, reads = 0, asyncio.Event(), []

    async def counting_get(key: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal arrived
        arrived += key[0] == "response"  # a request, not the page inside its computation
        if arrived == burst:
            everybody_in.set()
        return await real_get(key, *args, **kwargs)

    async def gated_read(*args: Any, **kwargs: Any) -> Any:
        reads.append(args)
        await everybody_in.wait()  # the computation lasts until every request has arrived
        return await real_read(*args, **kwargs)

    pages.get, store.read = counting_get, gated_read
    try:
        bodies = await asyncio.gather(*(gql(TOP) for _ in range(burst)))
    finally:
        del pages.get, store.read
    assert [top(body) for body in bodies] == [[(30, "ada")]] * burst
    assert len(reads) == 1


async def test_a_score_or_profile_written_by_this_process_shows_at_once(gql, drain, clock):
    await credit(gql, "ada", 30, "a1")
    await drain()
    assert top(await gql(TOP)) == [(30, "ada")]
    await credit(gql, "grace", 50, "g1")
    await drain()  # the worker in this process writes through the store: the cache is dropped
    assert top(await gql(TOP)) == [(50, "grace"), (30, "ada")]

    renamed = await gql(RENAME, {"name": "Grace H."}, as_=member("grace"))
    assert renamed["data"]["updateProfile"]["errors"] == []
    body = await gql(TOP)
    names = [
        e["node"]["member"]["displayName"] for e in body["data"]["leaderboard"]["entries"]["edges"]
    ]
    assert names[0] == "Grace H."


async def test_what_depends_on_the_viewer_is_never_shared(gql, drain, clock):
    await credit(gql, "ada", 30, "a1")
    await credit(gql, "grace", 50, "g1")
    await drain()
    for who in ("ada", "grace", "alan"):
        body = await gql(AROUND_ME, as_=member(who))
        around = body["data"]["leaderboard"]["around"]
        assert [e["member"]["id"] for e in around] == ([] if who == "alan" else [who])


def test_only_documents_of_public_board_fields_are_shared():
    assert _reads_public_boards(TOP)
    assert _reads_public_boards("{ leaderboard { size entries { pageInfo { endCursor } } } }")
    assert not _reads_public_boards(AROUND_ME)
    assert not _reads_public_boards("{ leaderboard { size } me { id } }")
    assert not _reads_public_boards("{ leaderboard { ...F } } fragment F on Leaderboard { size }")
    assert not _reads_public_boards("mutation { leaderboard { size } }")
    assert not _reads_public_boards("{ leaderboard { size ")


async def test_concurrent_callers_share_one_computation_and_failures_are_not_kept():
    clock = Clock()
    cache: MicroCache[int] = MicroCache(ttl_s=1.0, clock=clock)
    started, release, computed = asyncio.Event(), asyncio.Event(), []

    async def compute() -> int:
        computed.append(1)
        started.set()
        await release.wait()
        return 42

    waiting = [asyncio.ensure_future(cache.get("k", compute)) for _ in range(5)]
    await started.wait()
    release.set()
    assert await asyncio.gather(*waiting) == [42] * 5
    assert len(computed) == 1
    assert await cache.get("k", compute) == 42 and len(computed) == 1
    clock.now += 1.0
    release.set()
    assert await cache.get("k", compute) == 42 and len(computed) == 2

    async def failing() -> int:
        raise RuntimeError("redis down")

    with pytest.raises(RuntimeError):
        await cache.get("f", failing)
    assert await cache.get("f", compute) == 42  # the failure was not cached
    assert await cache.get("e", compute, keep=lambda value: False) == 42
    assert await cache.get("e", compute) == 42 and len(computed) == 5  # computed again
