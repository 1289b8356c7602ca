"""The scheduled jobs: `plaudit jobs list` (each with its next run), `plaudit jobs run NAME`
(one now, by hand, as the worker would)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from api.cli.common import Commands, run_with_runtime
from domain.infra.settings import Settings

if TYPE_CHECKING:
    from domain.runtime import Runtime


def register(commands: Commands) -> None:
    """Adds jobs (list, run)."""
    jobs = commands.add_parser("jobs", help="the scheduled jobs: list them, run one by hand")
    job_commands = jobs.add_subparsers(required=True, metavar="ACTION")
    jobs_list = job_commands.add_parser("list", help="every scheduled job and its next run")
    jobs_list.set_defaults(handler=_jobs_list)
    jobs_run = job_commands.add_parser("run", help="run one scheduled job now")
    jobs_run.add_argument("name", metavar="NAME")
    jobs_run.set_defaults(handler=_jobs_run)


def _jobs_list(settings: Settings, args: argparse.Namespace) -> int:
    from workers.schedule import scheduled_jobs

    now = datetime.now(settings.tz)
    print(f"time zone {settings.timezone}")
    for job in scheduled_jobs(settings):
        next_run = job.next_run(now).isoformat(timespec="seconds")
        print(f"{job.name}  next {next_run}  ({job.description})")
    return 0


def _jobs_run(settings: Settings, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from workers import schedule

    job = schedule.find(settings, args.name)
    if job is None:
        known = ", ".join(j.name for j in schedule.scheduled_jobs(settings))
        print(f"plaudit jobs run: unknown job {args.name!r} (known: {known})", file=sys.stderr)
        return 2

    with tqdm(unit="item", desc=job.name, file=sys.stderr) as bar:

        def show(seen: int, total: int) -> None:
            bar.total = total
            bar.update(seen - bar.n)

        async def run_now(runtime: Runtime) -> int:
            return await schedule.run_now(runtime, job, progress=show)

        done = run_with_runtime(settings, run_now)
    print(f"{job.name}: {done} item(s)")
    return 0
