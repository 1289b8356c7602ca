"""Workers at once, and a worker killed mid-batch: every interaction is awarded exactly once."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from domain.interactions import ingest
from domain.interactions.record import Recording
from domain.models import Interaction, InteractionStatus, LedgerEntry, Member
from domain.pipeline import batch
from domain.runtime import Runtime
from tests.api.badges.test_badges import badge, goal
from tests.api.challenges.test_challenges import challenge
from tests.helpers import counting, define

PLAUDIT = str(Path(sys.executable).with_name("plaudit"))


async def backlog(runtime: Runtime, count: int, members: int, prefix: str = "m") -> None:
    """`count` PENDING interactions of `members` members, stored in bulk."""
    recordings = [
        Recording(
            member_id=f"{prefix}{index % members}",
            action_key="app.open",
            idempotency_key=f"k{index}",
            occurred_at=None,
            properties=None,
            trusted=True,
        )
        for index in range(count)
    ]
    for start in range(0, count, 1000):
        await ingest.record_interactions(runtime, recordings[start : start + 1000])


async def assert_awarded_once(count: int, points: int) -> None:
    statuses = await Interaction.all().values_list("status", flat=True)
    assert len(statuses) == count
    assert set(statuses) == {InteractionStatus.AWARDED}
    sources = await LedgerEntry.all().values_list("source_key", flat=True)
    assert len(sources) == len(set(sources)) == count
    balances = await Member.all().values_list("balance", flat=True)
    assert sum(balances) == count * points


async def test_two_workers_claim_disjoint_batches_and_award_each_interaction_once(gql, runtime):
    await define(gql, "app.open", 3, memberReportable=False)
    await backlog(runtime, 600, members=40)
    small = dataclasses.replace(
        runtime, settings=dataclasses.replace(runtime.settings, worker_batch_size=25)
    )
    claimed: list[list[int]] = [[], []]

    async def worker(index: int) -> None:
        while ids := await batch.process_next(small):
            claimed[index] += ids
            await asyncio.sleep(0)  # let the other worker claim in between

    await asyncio.gather(worker(0), worker(1))

    assert not set(claimed[0]) & set(claimed[1])
    assert len(claimed[0]) + len(claimed[1]) == 600
    await assert_awarded_once(600, 3)


async def test_a_worker_awards_several_batches_at_once_and_each_interaction_once(gql, runtime):
    await define(gql, "app.open", 3, memberReportable=False)
    await backlog(runtime, 600, members=40)
    settings = dataclasses.replace(runtime.settings, worker_batch_size=25, worker_concurrency=3)
    batch.drainer.widest = 0

    assert await batch.drain(dataclasses.replace(runtime, settings=settings)) == 600

    await assert_awarded_once(600, 3)
    # SQLite's single writer takes one batch at a time; PostgreSQL opens a lane per full batch.
    assert batch.drainer.widest == (1 if settings.uses_sqlite else 3)


async def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(gql, runtime, settings):
    await define(gql, "app.open", 2, memberReportable=False)
    await backlog(runtime, 3000, members=300)
    env = {**os.environ, **settings.environ, "PLAUDIT_WORKER_BATCH_SIZE": "300"}
    worker = await asyncio.create_subprocess_exec(
        PLAUDIT, "worker", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not await Interaction.filter(status=InteractionStatus.AWARDED).exists():
            assert worker.returncode is None, "the worker exited"
            assert time.monotonic() < deadline, "the worker awarded nothing"
            await asyncio.sleep(0.02)
    finally:
        worker.send_signal(signal.SIGKILL)
        await worker.wait()
    awarded = await Interaction.filter(status=InteractionStatus.AWARDED).count()
    assert 0 < awarded < 3000, "killed after a batch committed, before the last"
    assert awarded % 300 == 0, "a batch is committed whole or not at all"

    await batch.drain(runtime)
    await assert_awarded_once(3000, 2)


async def test_a_batch_costs_the_same_statements_for_twenty_interactions_as_for_two_hundred(
    gql, runtime
):
    await define(gql, "app.open", 3, memberReportable=False)
    await badge(gql, "opener", [goal("ACTION_COUNT", 5, "app.open")], rewardPoints=10)
    await badge(gql, "regular", [goal("ACTIVE_DAYS", 2)])
    await challenge(gql, goals=[goal("ACTION_COUNT", 3, "app.open")], rewardPoints=20)
    counts = []
    for size in (5, 20, 200):  # the first reads the definitions into this process's cache
        await backlog(runtime, size, members=max(1, size // 4), prefix=f"s{size}-")
        with counting() as counter:
            assert len(await batch.process_next(runtime)) == size
        counts.append(len(counter.statements))
    assert counts[1] == counts[2] <= 25, counts
