"""The nightly `prune_interactions` job: scheduled only with PLAUDIT_RETENTION_DAYS, a thin call
into `domain.privacy.retention` (whose rules `tests/domain/privacy/test_retention.py` covers),
run by the worker's cron or by hand with `plaudit jobs run`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from domain.members.members import enrol
from domain.models import Interaction, InteractionStatus
from tests.helpers import cli_env, run_plaudit
from workers import tasks
from workers.schedule import scheduled_jobs
from workers.settings import cron_jobs


@pytest.fixture
def keeping_100_days(runtime) -> Iterator[None]:
    """The shared runtime with raw interactions kept 100 days, for one test."""
    original = runtime.settings
    runtime.settings = dataclasses.replace(original, retention_days=100)
    try:
        yield
    finally:
        runtime.settings = original


async def interactions_aged(*days: int) -> None:
    """AWARDED interactions of an action with no rules, `days` old each."""
    await enrol("ada")
    now = datetime.now(UTC)
    for age in days:
        await Interaction.create(
            member_id="ada",
            action_key="app.daily_open",
            idempotency_key=f"aged-{age}",
            status=InteractionStatus.AWARDED,
            occurred_at=now - timedelta(days=age),
        )


async def ages_left() -> list[str]:
    return sorted(
        str(key) for key in await Interaction.all().values_list("idempotency_key", flat=True)
    )


async def test_the_job_is_scheduled_only_with_a_retention(runtime, keeping_100_days):
    [job] = [j for j in scheduled_jobs(runtime.settings) if j.name == "prune_interactions"]
    assert job.when == {"hour": {4}, "minute": {30}, "second": {0}}
    assert any(j.name.endswith(":cron:prune_interactions") for j in cron_jobs(runtime))
    off = dataclasses.replace(runtime.settings, retention_days=None)
    assert "prune_interactions" not in {j.name for j in scheduled_jobs(off)}


async def test_the_task_deletes_what_is_older_than_the_retention(runtime, keeping_100_days):
    await interactions_aged(400, 101, 99, 1)
    assert await tasks.prune_interactions({"runtime": runtime}) == 2
    assert await ages_left() == ["aged-1", "aged-99"]


async def test_the_task_does_nothing_when_retention_is_off(runtime):
    await interactions_aged(4000)
    assert await tasks.prune_interactions({"runtime": runtime}) == 0
    assert await ages_left() == ["aged-4000"]


async def test_plaudit_jobs_run_prunes_with_the_setting(settings, runtime):
    await interactions_aged(400, 1)
    code, out, err = await run_plaudit(
        "jobs", "run", "prune_interactions", env=cli_env(settings, PLAUDIT_RETENTION_DAYS="100")
    )
    assert (code, out.strip()) == (0, "prune_interactions: 1 item(s)"), err
    assert await ages_left() == ["aged-1"]
    code, _, err = await run_plaudit(
        "jobs", "run", "prune_interactions", env=cli_env(settings, PLAUDIT_RETENTION_DAYS="30")
    )
    assert code == 2
    assert "PLAUDIT_RETENTION_DAYS: must be at least 92" in err
