"""The worker's daily jobs: expiry (only when configured) and tier re-evaluation."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from domain.infra.db import transaction
from domain.members.members import enrol, lock_member
from domain.models import LedgerEntry, LedgerReason, Member
from domain.pipeline import posting
from domain.program.tier_ladder import TierPolicy
from workers import tasks
from workers.settings import build_worker, cron_jobs


@pytest.fixture
def expiring(runtime) -> Iterator[None]:
    """The shared runtime with points expiring after 30 days, for one test."""
    original = runtime.settings
    runtime.settings = dataclasses.replace(original, points_expire_days=30)
    try:
        yield
    finally:
        runtime.settings = original


async def credit_long_ago(runtime, member_id: str, amount: int) -> None:
    await enrol(member_id)
    at = datetime.now(UTC) - timedelta(days=90)
    async with transaction() as connection:
        member = await lock_member(connection, member_id)
        await posting.post(
            connection,
            member,
            amount,
            LedgerReason.BONUS,
            "old",
            f"old:{member_id}",
            at,
            runtime.settings.tz,
            tier_policy=TierPolicy.of(runtime.settings),
        )


def names(jobs) -> set[str]:
    """The cron jobs' names without the program's namespace, which every one of them carries."""
    namespaces = {job.name.rsplit(":cron:", 1)[0] for job in jobs}
    assert len(namespaces) <= 1, namespaces
    return {"cron:" + job.name.rsplit(":cron:", 1)[1] for job in jobs}


async def test_the_expiry_task_does_nothing_when_expiry_is_off(runtime):
    await credit_long_ago(runtime, "ada", 40)
    assert await tasks.expire_points({"runtime": runtime}) == 0
    assert (await Member.get(id="ada")).balance == 40
    assert "cron:expire_points" not in names(cron_jobs(runtime))


async def test_the_expiry_task_expires_old_points_once(runtime, expiring):
    await credit_long_ago(runtime, "ada", 40)
    await credit_long_ago(runtime, "bob", 5)
    ctx = {"runtime": runtime}
    assert await tasks.expire_points(ctx) == 2
    assert await tasks.expire_points(ctx) == 0
    assert dict(await Member.all().values_list("id", "balance")) == {"ada": 0, "bob": 0}
    assert await LedgerEntry.filter(reason=LedgerReason.EXPIRY).count() == 2
    assert "cron:expire_points" in names(cron_jobs(runtime))


async def test_the_tier_task_runs_the_daily_re_evaluation(runtime):
    await enrol("ada")
    assert await tasks.reevaluate_tiers({"runtime": runtime}) >= 0
    assert "cron:reevaluate_tiers" in names(cron_jobs(runtime))


async def test_a_burst_worker_runs_no_cron_jobs(runtime, expiring):
    assert build_worker(runtime, burst=True).cron_jobs == []
    assert names(build_worker(runtime).cron_jobs) >= {
        "cron:sweep_pending",
        "cron:reevaluate_tiers",
        "cron:expire_points",
    }
