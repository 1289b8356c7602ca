"""Read-your-writes through the cache: once a write has committed, the very next read shows it,
even in the instant between the commit and the new version (`domain.infra.read_versions`).

The tests hold a real batch of the real worker at each step of the protocol (the marks before
its commit, the new versions after it) and read meanwhile."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from typing import Any

import pytest

from api.graphiql import PROGRESS_QUERY
from domain.runtime import Runtime
from tests.api.read_cache.common import data, entries_of, read
from tests.api.read_cache.test_read_cache import program
from tests.conftest import ADMIN, SERVICE
from tests.helpers import INTERACTION, counting, record


@asynccontextmanager
async def held(runtime: Runtime, step: str, member_id: str) -> AsyncIterator[Any]:
    """Hold writers of `member_id` once they reach `step` (`mark`: marked, not committed yet;
    `done`: committed, versions not replaced yet) until the block ends."""
    versions = runtime.read_versions
    assert versions is not None
    real = getattr(versions, step)
    reached, release = asyncio.Event(), asyncio.Event()

    async def holding(members: Collection[str], program: bool) -> None:
        if step == "done":
            await _held(members, reached, release)
        await real(members, program)
        if step == "mark":
            await _held(members, reached, release)

    async def _held(members: Collection[str], reached: asyncio.Event, release: asyncio.Event):
        if member_id in members:
            reached.set()
            await release.wait()

    setattr(versions, step, holding)
    try:
        yield reached
    finally:
        release.set()
        delattr(versions, step)


async def test_committed_but_not_yet_told_the_next_read_shows_the_award(
    client, settings, gql, drain, runtime
):
    await program(gql, drain)
    before = data(await read(client, settings, "ada", PROGRESS_QUERY))["me"]["points"]
    recorded = await record(gql, SERVICE, action="app.open", memberId="ada", key="k3")
    async with held(runtime, "done", "ada") as committed:
        batch = asyncio.create_task(drain())
        await asyncio.wait_for(committed.wait(), 30)
        # The batch has committed and not yet replaced ada's version: her interaction reads
        # AWARDED...
        found = await gql(INTERACTION, {"id": recorded["interaction"]["id"]}, as_=ADMIN)
        assert found["data"]["interaction"]["status"] == "AWARDED"
        # ...and so the very next progress read shows it: ada is being written, so her read is
        # executed, not answered from the cache (nor kept).
        stored = await entries_of(runtime, "ada")
        with counting() as sql:
            me = data(await read(client, settings, "ada", PROGRESS_QUERY))["me"]
        assert sql.statements != []
        assert me["points"]["balance"] == before["balance"] + 10
        assert await entries_of(runtime, "ada") == stored
    await batch
    assert data(await read(client, settings, "ada", PROGRESS_QUERY))["me"] == me


async def test_what_is_read_before_the_commit_is_never_kept(client, settings, gql, drain, runtime):
    if settings.uses_sqlite:
        # One connection per process there: a read waits until the open transaction ends.
        pytest.skip("PostgreSQL only: a read cannot run beside an open transaction on SQLite")
    await program(gql, drain)
    before = data(await read(client, settings, "ada", PROGRESS_QUERY))["me"]["points"]
    await record(gql, SERVICE, action="app.open", memberId="ada", key="k3")
    async with held(runtime, "mark", "ada") as marked:
        batch = asyncio.create_task(drain())
        await asyncio.wait_for(marked.wait(), 30)
        # Marked, not committed: the read executes and sees the old balance, and keeps nothing.
        during = data(await read(client, settings, "ada", PROGRESS_QUERY))["me"]["points"]
        assert during == before
    await batch
    after = data(await read(client, settings, "ada", PROGRESS_QUERY))["me"]["points"]
    assert after["balance"] == before["balance"] + 10


async def test_an_answer_a_write_overtook_is_not_kept(client, settings, gql, drain, runtime):
    """A read that computed its answer before a write and stores it after stores nothing: its
    version is no longer the member's (the store is conditional on it)."""
    await program(gql, drain)
    versions = runtime.read_versions
    assert versions is not None
    real_store = versions.store
    storing, overtaken = asyncio.Event(), asyncio.Event()

    async def late_store(*args: Any, **kwargs: Any) -> bool:
        storing.set()
        await overtaken.wait()
        return await real_store(*args, **kwargs)

    versions.store = late_store  # type: ignore[method-assign]
    try:
        reading = asyncio.create_task(read(client, settings, "ada", PROGRESS_QUERY))
        await asyncio.wait_for(storing.wait(), 30)  # computed, about to be stored
        await record(gql, SERVICE, action="app.open", memberId="ada", key="k3")
        await drain()
        overtaken.set()
        old = data(await reading)["me"]["points"]["balance"]
    finally:
        del versions.store
    assert await entries_of(runtime, "ada") == []
    now = data(await read(client, settings, "ada", PROGRESS_QUERY))["me"]["points"]["balance"]
    assert now == old + 10
