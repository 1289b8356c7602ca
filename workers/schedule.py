"""The scheduled jobs: what runs when, in the program's time zone (PLAUDIT_TIMEZONE).

One table serves the worker's arq cron jobs (`workers.settings`), `plaudit jobs list` (each
job's next run) and `plaudit jobs run NAME` (one by hand, now). arq evaluates cron fields in the
worker's `timezone` option, which `workers.settings` sets to the program's zone: a job "daily at
02:30" runs at 02:30 where the program's days begin, not at 02:30 UTC.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from arq.cron import next_cron

from domain.infra.settings import Settings
from domain.runtime import Runtime
from workers import tasks

Task = Callable[[dict[str, Any]], Awaitable[int]]


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    task: Task
    description: str
    # arq cron fields (hour, minute, second...), read in the program's time zone.
    when: dict[str, Any] = field(default_factory=dict)
    run_at_startup: bool = False
    # Frequent and usually idle: arq's start and end lines of each run go to DEBUG, and the
    # task logs at INFO only when it finds something (`workers.job_log`).
    routine: bool = False

    async def run(self, ctx: dict[str, Any]) -> int:
        """Run the task, counted in the metrics (`plaudit_job_runs_total`). The worker's cron
        and `plaudit jobs run` both call this."""
        from domain.infra import metrics

        try:
            done = await self.task(ctx)
        except BaseException:
            metrics.observe_job(self.name, ok=False)
            raise
        metrics.observe_job(self.name, ok=True)
        return done

    def next_run(self, now: datetime) -> datetime:
        """The first run strictly after `now` (an aware datetime), in `now`'s time zone."""
        return next_cron(now, **self.when, microsecond=0)


def scheduled_jobs(settings: Settings) -> list[ScheduledJob]:
    """Every job this program's settings schedule, by name."""
    jobs = [
        # Every 10 seconds: cheap (an indexed query) and bounds how long an outage's backlog
        # waits.
        ScheduledJob(
            "sweep_pending",
            tasks.sweep_pending,
            "queue PENDING interactions again, publish unpublished member events",
            {"second": {0, 10, 20, 30, 40, 50}},
            run_at_startup=True,
            routine=True,
        ),
        # Daily, at night: tier downgrades once retention has run out.
        ScheduledJob(
            "reevaluate_tiers",
            tasks.reevaluate_tiers,
            "re-evaluate members whose tier retention has run out",
            {"hour": {2}, "minute": {30}, "second": {0}},
        ),
        # Daily, when days, weeks and months end (program time zone): their final standings.
        ScheduledJob(
            "archive_leaderboards",
            tasks.archive_leaderboards,
            "archive the final top entries of every leaderboard period that has closed",
            {"hour": {0}, "minute": {5}, "second": {0}},
        ),
        # Daily: the per-member hourly limits (referral codes, content, votes) count rows.
        ScheduledJob(
            "prune_attempts",
            tasks.prune_attempts,
            "forget counted referral, content and vote attempts older than a day",
            {"hour": {4}, "minute": {0}, "second": {0}},
        ),
        # Nightly, once yesterday is over (program time zone): RFM segments and churn risk.
        ScheduledJob(
            "refresh_insight",
            tasks.refresh_insight,
            "recompute RFM segments and the churn model as of yesterday",
            {"hour": {1}, "minute": {30}, "second": {0}},
        ),
        # Every 10 minutes: running campaigns reach the members newly in their target.
        ScheduledJob(
            "apply_campaigns",
            tasks.apply_campaigns,
            "treat (or hold out) the newly targeted members of running campaigns",
            {"minute": set(range(0, 60, 10)), "second": {20}},
            routine=True,
        ),
        # Every 5 seconds (and woken after each commit that wrote messages): webhooks out.
        ScheduledJob(
            "deliver_webhooks",
            tasks.deliver_webhooks,
            "fan committed webhook messages out to their endpoints and attempt due deliveries",
            {"second": set(range(0, 60, 5))},
            routine=True,
        ),
        # Daily: the webhook delivery log keeps PLAUDIT_WEBHOOK_HISTORY_DAYS.
        ScheduledJob(
            "prune_webhook_deliveries",
            tasks.prune_webhook_deliveries,
            "forget finished webhook deliveries older than PLAUDIT_WEBHOOK_HISTORY_DAYS",
            {"hour": {4}, "minute": {10}, "second": {0}},
        ),
    ]
    if settings.retention_days is not None:
        # Daily, only when the program limits how long raw interactions are kept.
        jobs.append(
            ScheduledJob(
                "prune_interactions",
                tasks.prune_interactions,
                "delete raw interactions older than PLAUDIT_RETENTION_DAYS (what rules need stays)",
                {"hour": {4}, "minute": {30}, "second": {0}},
            )
        )
    if settings.points_expire_days is not None:
        # Daily, only when the program configures expiry (PLAUDIT_POINTS_EXPIRE_DAYS).
        jobs.append(
            ScheduledJob(
                "expire_points",
                tasks.expire_points,
                "expire unspent points older than PLAUDIT_POINTS_EXPIRE_DAYS",
                {"hour": {3}, "minute": {0}, "second": {0}},
            )
        )
    return jobs


def find(settings: Settings, name: str) -> ScheduledJob | None:
    return next((job for job in scheduled_jobs(settings) if job.name == name), None)


async def run_now(
    runtime: Runtime, job: ScheduledJob, progress: Callable[[int, int], None] | None = None
) -> int:
    """Run one job by hand, as the worker would; returns how many items it handled. Jobs that
    go through items (members) report `progress(seen, total)` as they go."""
    return await job.run({"runtime": runtime, "progress": progress})
