"""The arq worker: its tasks, cron jobs and JSON job serialization.

`build_worker` serves both the `plaudit worker` process and the worker that `plaudit serve
--with-worker` runs inside the API process (and tests, in burst mode); `workers.supervisor`
keeps either running through outages. The worker reads the program's own queue, and its cron
jobs are named in the program's namespace: a unique cron job's id is its name and tick, and arq
keeps job ids in one key space shared by everyone on the Redis server.
"""

from __future__ import annotations

from typing import Any

from arq import cron
from arq.cron import CronJob
from arq.worker import Worker, func

from domain.infra.queue import deserialize, serialize
from domain.runtime import Runtime
from workers import tasks
from workers.job_log import quiet_routine_runs
from workers.schedule import scheduled_jobs

FUNCTIONS = [
    func(tasks.drain_interactions, keep_result=0),
    # Woken after each commit that wrote webhook messages (`domain.outbox.wakeup`).
    func(tasks.deliver_webhooks, keep_result=0),
]


def cron_jobs(runtime: Runtime) -> list[CronJob]:
    """The worker's cron jobs for this runtime's settings (none in burst mode; see below), from
    the one table of scheduled jobs (`workers.schedule`), in the program's time zone."""
    namespace = runtime.settings.redis_namespace
    return [
        cron(
            job.run,
            name=f"{namespace}:cron:{job.name}",
            unique=True,
            run_at_startup=job.run_at_startup,
            **job.when,
        )
        for job in scheduled_jobs(runtime.settings)
    ]


def build_worker(runtime: Runtime, *, burst: bool = False, **overrides: Any) -> Worker:
    quiet_routine_runs(job.name for job in scheduled_jobs(runtime.settings) if job.routine)

    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx["runtime"] = runtime

    options: dict[str, Any] = {
        "functions": FUNCTIONS,
        "cron_jobs": [] if burst else cron_jobs(runtime),
        "redis_pool": runtime.queue,
        "queue_name": runtime.queue.default_queue_name,
        "on_startup": on_startup,
        "burst": burst,
        "job_serializer": serialize,
        "job_deserializer": deserialize,
        "max_jobs": 20,
        "job_timeout": 60,
        "keep_result": 60,
        "poll_delay": 0.05,
        "handle_signals": False,
        # Cron fields are read in the program's time zone, not the host's or UTC.
        "timezone": runtime.settings.tz,
    }
    options.update(overrides)
    return Worker(**options)
