"""The read cache and Redis outages: reads are served uncached (no ERROR line, one WARNING), and
nothing cached before is served once Redis is back if a write could not say so meanwhile.

The cache's Redis is a real server of its own here (`spare_redis`), stopped and started again,
or an address nothing listens on (Redis unreachable from this process only, as in a network
partition); the rest of the test server keeps the shared Redis."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from redis.asyncio import Redis

from domain.infra import outages
from domain.runtime import Runtime
from tests.api.read_cache.common import data, lookups, read
from tests.api.read_cache.test_read_cache import POINTS, program
from tests.conftest import ADMIN
from tests.helpers import counting, free_port

ADJUST = """
mutation Adjust($input: AdjustPointsInput!) {
  adjustPoints(input: $input) { entry { amount } errors { code } }
}
"""


@asynccontextmanager
async def cache_redis(runtime: Runtime, url: str) -> AsyncIterator[Redis]:
    """The read versions (writers' marks, readers' lookups) on the Redis at `url`."""
    versions = runtime.read_versions
    assert versions is not None
    client = Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    real, versions.redis = versions.redis, client
    try:
        yield client
    finally:
        versions.redis = real
        await client.aclose()


@contextmanager
def watched_log(caplog) -> Iterator[list[logging.LogRecord]]:
    caplog.clear()
    with caplog.at_level(logging.INFO):
        yield caplog.records


async def adjust(gql, who: str, amount: int, key: str) -> None:
    variables = {
        "input": {"memberId": who, "amount": amount, "reason": "test", "idempotencyKey": key}
    }
    body = await gql(ADJUST, variables, as_=ADMIN)
    assert body["data"]["adjustPoints"]["errors"] == [], body


async def test_redis_down_reads_are_served_uncached_without_an_error_line(
    client, settings, gql, drain, runtime, spare_redis, caplog
):
    await program(gql, drain)
    outages.redis.ok()
    spare_redis.start()
    async with cache_redis(runtime, spare_redis.url):
        await read(client, settings, "ada", POINTS)
        with counting() as sql:
            await read(client, settings, "ada", POINTS)
        assert sql.statements == []

        spare_redis.stop()
        with watched_log(caplog) as records:
            unavailable = lookups("unavailable")
            assert (
                data(await read(client, settings, "ada", POINTS))["me"]["points"]["balance"] == 20
            )
            await adjust(gql, "ada", 5, "down-1")  # its marks fail: committed all the same
            assert (
                data(await read(client, settings, "ada", POINTS))["me"]["points"]["balance"] == 25
            )
            assert lookups("unavailable") == unavailable + 2
        assert not [r for r in records if r.levelno >= logging.ERROR]
        warnings = [r for r in records if r.levelno == logging.WARNING]
        assert [r.name for r in warnings] == ["plaudit.outage"], [r.getMessage() for r in warnings]
        assert "redis unavailable" in warnings[0].getMessage()

        spare_redis.start()  # back, empty
        assert data(await read(client, settings, "ada", POINTS))["me"]["points"]["balance"] == 25
        with counting() as sql:
            assert data(await read(client, settings, "ada", POINTS))["me"]["points"] == {
                "balance": 25,
                "lifetime": 25,
            }
        assert sql.statements == []


async def test_a_write_redis_missed_drops_every_answer_once_it_answers_again(
    client, settings, gql, drain, runtime, caplog
):
    """Redis kept its data but could not be reached while ada's points changed (nothing told
    her version): the first command that reaches it again replaces the program's version, so
    the answer cached before is never served."""
    await program(gql, drain)
    outages.redis.ok()
    assert data(await read(client, settings, "ada", POINTS))["me"]["points"]["balance"] == 20
    with watched_log(caplog) as records:
        async with cache_redis(runtime, f"redis://127.0.0.1:{free_port()}/0"):
            await adjust(gql, "ada", 5, "partition-1")
        assert not [r for r in records if r.levelno >= logging.ERROR]
    versions = runtime.read_versions
    assert versions is not None and versions.owed
    assert data(await read(client, settings, "ada", POINTS))["me"]["points"]["balance"] == 25
    assert not versions.owed
    # Everybody's answers were dropped, not only ada's: the program's version is new.
    await read(client, settings, "bob", POINTS)
    with counting() as sql:
        await read(client, settings, "bob", POINTS)
    assert sql.statements == []


async def test_a_worker_settles_what_it_owes_as_soon_as_redis_answers(runtime):
    """A worker's writes are what a reader cannot know of: its supervisor pays for them when it
    reconnects and with every heartbeat, not only at its next write."""
    from workers.supervisor import Supervisor

    versions = runtime.read_versions
    assert versions is not None
    program_key = versions.program.version
    await runtime.redis.set(program_key, b"before")
    async with cache_redis(runtime, f"redis://127.0.0.1:{free_port()}/0"):
        await versions.mark(["ada"], False)  # fails: owed
    assert versions.owed
    await Supervisor(runtime, kind="in-process")._beat_once()
    assert not versions.owed
    assert await runtime.redis.get(program_key) != b"before"
    outages.redis.ok()
