"""An idle program's log stays quiet: the sweep (every 10 s) writes nothing at INFO unless it
finds something, and real work is still logged."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from domain.members.members import enrol
from domain.models import Interaction, InteractionStatus
from workers.job_log import routine_runs
from workers.settings import build_worker, cron_jobs

# What an arq worker says once when it starts, before any job: not per tick.
STARTUP = ("Starting worker for", "redis_version=")


async def run_sweep_ticks(runtime, ticks: int) -> None:
    """`ticks` runs of the sweep, enqueued as arq's cron enqueues them (the cron job's name, a
    unique id per tick), run by a worker with the program's cron jobs until its queue is empty
    (it adds one more tick at its start, as a real worker does)."""
    worker = build_worker(runtime, burst=True, cron_jobs=cron_jobs(runtime))
    [sweep] = [job for job in worker.cron_jobs if job.name.endswith(":cron:sweep_pending")]
    first = int(datetime.now(UTC).timestamp() * 1000)
    for tick in range(ticks):
        await runtime.queue.enqueue_job(
            sweep.name,
            _job_id=f"{sweep.name}:{first + 10_000 * tick}",
            _queue_name=worker.queue_name,
        )
    await worker.async_run()
    assert worker.jobs_complete >= ticks and worker.jobs_failed == 0


def logged(caplog: pytest.LogCaptureFixture, level: int = logging.INFO) -> list[str]:
    """What was logged at `level` or above, less the worker's start-up lines."""
    return [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.levelno >= level and not record.getMessage().startswith(STARTUP)
    ]


async def test_an_idle_program_logs_nothing_at_info_over_several_sweeps(runtime, caplog):
    caplog.set_level(logging.INFO)

    await run_sweep_ticks(runtime, ticks=3)

    assert logged(caplog) == []


async def test_the_sweep_runs_are_still_there_at_debug(runtime, caplog):
    caplog.set_level(logging.DEBUG, logger="arq.worker")

    await run_sweep_ticks(runtime, ticks=2)

    sweeps = [line for line in logged(caplog, logging.DEBUG) if "cron:sweep_pending" in line]
    assert len(sweeps) >= 4  # a start and an end line per tick
    assert all(line.startswith("arq.worker: ") for line in sweeps)


async def test_a_sweep_that_finds_work_says_so_and_the_work_is_logged(runtime, caplog):
    """A PENDING interaction whose wake-up was lost: the sweep reports it at INFO, and the drain
    job it queues is logged by arq as any job is."""
    await enrol("ada")
    lost = await Interaction.create(
        member_id="ada",
        action_key="app.daily_open",
        idempotency_key="lost-wake-up",
        status=InteractionStatus.PENDING,
        occurred_at=datetime.now(UTC),
    )
    await Interaction.filter(id=lost.id).update(
        recorded_at=datetime.now(UTC) - timedelta(minutes=1)
    )
    caplog.set_level(logging.INFO)

    await run_sweep_ticks(runtime, ticks=1)

    lines = logged(caplog)
    assert "plaudit.interactions: sweep found 1 pending interactions" in lines, lines
    assert any("drain_interactions" in line and "→" in line for line in lines), lines
    assert not any("cron:sweep_pending" in line for line in lines), lines
    assert (await Interaction.get(id=lost.id)).status is not InteractionStatus.PENDING


def test_the_filter_leaves_failures_and_other_jobs_alone():
    def record(level: int, msg: str, *args: object) -> logging.LogRecord:
        return logging.LogRecord("arq.worker", level, __file__, 1, msg, args, None)

    routine_runs.names.add("sweep_pending")
    sweep = "plaudit:ab12:cron:sweep_pending:1700000000000:plaudit:ab12:cron:sweep_pending"
    failed = record(logging.ERROR, "%6.2fs ! %s failed, %s: %s", 0.1, sweep, "OSError", "x")
    drain = record(logging.INFO, "%6.2fs → %s(%s)%s", 0.1, "abc:drain_interactions", "", "")
    daily = record(logging.INFO, "%6.2fs ← %s ● %s", 0.1, "p:cron:refresh_insight:1:p:x", "4")

    assert routine_runs.filter(failed) and failed.levelno == logging.ERROR
    assert routine_runs.filter(drain) and drain.levelno == logging.INFO
    assert routine_runs.filter(daily) and daily.levelno == logging.INFO
