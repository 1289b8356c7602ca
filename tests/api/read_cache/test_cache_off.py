"""`PLAUDIT_READ_CACHE=false`: every read is executed and nothing is stored, while writers keep
the versions (another process may cache), so turning it back on never serves stale."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn

from api.auth import TokenVerifier
from api.http import GraphQLView
from api.schema import build_schema
from domain.infra.settings import Settings
from domain.runtime import Runtime
from tests.api.read_cache.common import cache_keys, data, entries_of, read
from tests.api.read_cache.test_read_cache import POINTS, program
from tests.conftest import SERVICE
from tests.helpers import counting, free_port, record


def test_the_setting_reads_true_and_false():
    assert Settings.from_env({}).read_cache is True
    assert Settings.from_env({"PLAUDIT_READ_CACHE": "false"}).read_cache is False
    assert Settings.from_env({"PLAUDIT_READ_CACHE_TTL_SECONDS": "60"}).read_cache_ttl_seconds == 60


@pytest.fixture
async def uncached(server, runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    """A second API on its own port over the same database and Redis, with the cache off."""
    settings = dataclasses.replace(runtime.settings, read_cache=False)
    off = dataclasses.replace(runtime, settings=settings)
    view = GraphQLView(build_schema(), off, TokenVerifier(settings))
    assert view.read_cache is None
    port = free_port()
    config = uvicorn.Config(view, host="127.0.0.1", port=port, log_config=None, lifespan="off")
    served = uvicorn.Server(config)
    task = asyncio.create_task(served.serve())
    for _ in range(500):
        if served.started:
            break
        await asyncio.sleep(0.02)
    assert served.started, "the second API did not start"
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
        yield http
    served.should_exit = True
    await task


async def test_with_the_cache_off_every_read_executes(uncached, settings, gql, drain, runtime):
    await program(gql, drain)
    for _ in range(2):
        with counting() as sql:
            me = data(await read(uncached, settings, "ada", POINTS))["me"]
        assert sql.statements != []
    assert me["points"]["balance"] == 20
    assert await entries_of(runtime, "ada") == []


async def test_writers_keep_the_versions_whatever_the_setting(
    uncached, client, settings, gql, drain, runtime
):
    await program(gql, drain)
    await read(client, settings, "ada", POINTS)  # kept by the API with the cache on
    versions = [key for key in await cache_keys(runtime) if key.endswith(":v")]
    before = {key: await runtime.redis.get(key) for key in versions}
    await record(gql, SERVICE, action="app.open", memberId="ada", key="k9")
    await drain()
    assert data(await read(uncached, settings, "ada", POINTS))["me"]["points"]["balance"] == 30
    assert data(await read(client, settings, "ada", POINTS))["me"]["points"]["balance"] == 30
    after = {key: await runtime.redis.get(key) for key in versions}
    assert [key for key in versions if after[key] != before[key]] != []
