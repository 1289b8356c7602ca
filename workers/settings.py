"""The arq worker: its tasks, cron jobs and JSON job serialization.

`build_worker` serves both the `plaudit worker` process and the worker that `plaudit serve
--with-worker` runs inside the API process (and tests, in burst mode).
"""

from __future__ import annotations

from typing import Any

from arq import cron
from arq.worker import Worker, func

from domain.queue import deserialize, serialize
from domain.runtime import Runtime
from workers import tasks

FUNCTIONS = [func(tasks.drain_interactions, keep_result=0)]
# Every 10 seconds: cheap (an indexed query) and bounds how long an outage's backlog waits.
CRON_JOBS = [
    cron(
        tasks.sweep_pending,
        second={0, 10, 20, 30, 40, 50},
        unique=True,
        run_at_startup=True,
    ),
    # Daily, at night (UTC): tier downgrades once retention has run out.
    cron(tasks.reevaluate_tiers, hour={2}, minute={30}, second={0}, unique=True),
]
# Daily, added only when the program configures expiry (PLAUDIT_POINTS_EXPIRE_DAYS).
EXPIRY_CRON = cron(tasks.expire_points, hour={3}, minute={0}, second={0}, unique=True)


def cron_jobs(runtime: Runtime) -> list[Any]:
    """The worker's cron jobs for this runtime's settings (none in burst mode; see below)."""
    jobs = list(CRON_JOBS)
    if runtime.settings.points_expire_days is not None:
        jobs.append(EXPIRY_CRON)
    return jobs


def build_worker(runtime: Runtime, *, burst: bool = False, **overrides: Any) -> Worker:
    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx["runtime"] = runtime

    options: dict[str, Any] = {
        "functions": FUNCTIONS,
        "cron_jobs": [] if burst else cron_jobs(runtime),
        "redis_pool": runtime.queue,
        "on_startup": on_startup,
        "burst": burst,
        "job_serializer": serialize,
        "job_deserializer": deserialize,
        "max_jobs": 20,
        "job_timeout": 60,
        "keep_result": 60,
        "poll_delay": 0.05,
        "handle_signals": False,
    }
    options.update(overrides)
    return Worker(**options)
