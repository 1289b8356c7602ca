"""Scheduled jobs: `plaudit jobs list` shows each with its next run in the program's time zone,
`plaudit jobs run NAME` runs one now, and the worker's crons fire at their hour in that zone."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.infra.settings import Settings
from domain.models import LedgerEntry, Member
from tests.api.tiers.test_tiers import earn, ladder, my_tier
from tests.helpers import cli_env, run_plaudit
from workers.settings import build_worker


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def plaudit(settings: Settings, server):
    """Runs `plaudit ARGS` against the test server's database and Redis."""
    env = cli_env(settings, PLAUDIT_TIMEZONE="UTC")

    async def run(*args: str, **extra_env: str) -> Run:
        return Run(*await run_plaudit(*args, env=env | extra_env))

    return run


def next_runs(listing: str) -> dict[str, datetime]:
    runs = {}
    for line in listing.splitlines()[1:]:
        name, _, when = line.split()[:3]
        runs[name] = datetime.fromisoformat(when)
    return runs


async def test_jobs_list_shows_every_job_with_its_next_run_in_the_program_time_zone(plaudit):
    tokyo = ZoneInfo("Asia/Tokyo")
    now = datetime.now(tokyo)  # before listing: "next run" is after the moment it was asked
    listed = await plaudit(
        "jobs", "list", PLAUDIT_TIMEZONE="Asia/Tokyo", PLAUDIT_POINTS_EXPIRE_DAYS="365"
    )

    assert listed.code == 0, listed.stderr
    assert listed.stdout.splitlines()[0] == "time zone Asia/Tokyo"
    runs = next_runs(listed.stdout)
    assert set(runs) == {
        "sweep_pending",
        "reevaluate_tiers",
        "expire_points",
        "archive_leaderboards",
        "prune_attempts",
        "refresh_insight",
        "apply_campaigns",
        "deliver_webhooks",
        "prune_webhook_deliveries",
    }
    for when in runs.values():
        assert when.utcoffset() == tokyo.utcoffset(now)  # +09:00, not UTC
        assert now < when
    assert (runs["reevaluate_tiers"].hour, runs["reevaluate_tiers"].minute) == (2, 30)
    assert (runs["expire_points"].hour, runs["expire_points"].minute) == (3, 0)
    assert (runs["prune_attempts"].hour, runs["prune_attempts"].minute) == (4, 0)
    assert (runs["archive_leaderboards"].hour, runs["archive_leaderboards"].minute) == (0, 5)
    assert (runs["refresh_insight"].hour, runs["refresh_insight"].minute) == (1, 30)
    assert runs["apply_campaigns"].minute % 10 == 0 and runs["apply_campaigns"].second == 20
    assert runs["sweep_pending"].second % 10 == 0
    assert (runs["sweep_pending"] - now).total_seconds() <= 20  # every 10 s (listing takes ~1)
    assert runs["deliver_webhooks"].second % 5 == 0
    when = runs["prune_webhook_deliveries"]
    assert (when.hour, when.minute) == (4, 10)


async def test_points_expiry_is_not_scheduled_unless_the_program_configures_it(plaudit):
    listed = await plaudit("jobs", "list")

    assert set(next_runs(listed.stdout)) == {
        "sweep_pending",
        "reevaluate_tiers",
        "archive_leaderboards",
        "prune_attempts",
        "refresh_insight",
        "apply_campaigns",
        "deliver_webhooks",
        "prune_webhook_deliveries",
    }


async def test_a_job_runs_by_hand_now_with_a_progress_bar(plaudit):
    ran = await plaudit("jobs", "run", "reevaluate_tiers")

    assert ran.code == 0, ran.stderr
    assert ran.stdout == "reevaluate_tiers: 0 item(s)\n"
    assert "reevaluate_tiers" in ran.stderr and "item" in ran.stderr  # tqdm's bar

    swept = await plaudit("jobs", "run", "sweep_pending")
    assert swept.code == 0, swept.stderr
    assert swept.stdout == "sweep_pending: 0 item(s)\n"


async def test_a_job_over_members_shows_them_in_its_progress_bar(gql, drain, plaudit):
    await ladder(gql)
    await earn(gql, drain, "ada", 2000, "a")  # gold, then out of the window and out of retention
    await LedgerEntry.filter(member_id="ada").update(
        effective_at=datetime.now(UTC) - timedelta(days=400)
    )
    await Member.filter(id="ada").update(tier_retain_until=datetime.now(UTC) - timedelta(days=1))

    ran = await plaudit("jobs", "run", "reevaluate_tiers")

    assert ran.code == 0, ran.stderr
    assert ran.stdout == "reevaluate_tiers: 1 item(s)\n"
    assert "100%" in ran.stderr and "1/1" in ran.stderr
    assert (await my_tier(gql))["current"]["key"] == "bronze"


async def test_points_expiry_runs_by_hand_when_configured(plaudit):
    ran = await plaudit("jobs", "run", "expire_points", PLAUDIT_POINTS_EXPIRE_DAYS="30")

    assert ran.code == 0, ran.stderr
    assert ran.stdout == "expire_points: 0 item(s)\n"


async def test_an_unknown_job_is_one_line_and_exit_2(plaudit):
    ran = await plaudit("jobs", "run", "expire_points")  # not scheduled without expiry

    assert ran.code == 2
    assert ran.stdout == ""
    assert ran.stderr.splitlines() == [
        "plaudit jobs run: unknown job 'expire_points' "
        "(known: sweep_pending, reevaluate_tiers, archive_leaderboards, prune_attempts, "
        "refresh_insight, apply_campaigns, deliver_webhooks, prune_webhook_deliveries)"
    ]


async def test_the_worker_evaluates_its_daily_crons_in_the_program_time_zone(runtime):
    tokyo = dataclasses.replace(
        runtime, settings=dataclasses.replace(runtime.settings, timezone="Asia/Tokyo")
    )
    worker = build_worker(tokyo)
    crons = {job.name.rpartition(":")[2]: job for job in worker.cron_jobs}

    assert worker.timezone == ZoneInfo("Asia/Tokyo")
    # The clock arq's cron loop reads: `datetime.now(tz=worker.timezone)`, here injected.
    midnight_in_tokyo = datetime(2026, 12, 2, 0, 0, tzinfo=worker.timezone)
    crons["reevaluate_tiers"].calculate_next(midnight_in_tokyo)
    tiers_at = crons["reevaluate_tiers"].next_run

    assert tiers_at.astimezone(ZoneInfo("Asia/Tokyo")).replace(microsecond=0) == datetime(
        2026, 12, 2, 2, 30, tzinfo=ZoneInfo("Asia/Tokyo")
    )
    assert tiers_at.astimezone(UTC).hour == 17  # 02:30 in Tokyo is 17:30 UTC the day before
