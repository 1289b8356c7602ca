"""A quiet log for routine cron runs.

arq logs every job it runs twice at INFO, on the `arq.worker` logger: when it starts
(`0.04s → plaudit:…:cron:sweep_pending()`) and when it ends (`0.01s ← … ● 0`). For the drain
job that is real work, but the routine cron jobs (`ScheduledJob.routine`: the sweep every 10 s,
campaigns every 10 minutes) would fill an idle server's log with two lines per tick that only
say the clock moved. Their two lines are demoted to DEBUG (shown with PLAUDIT_LOG_LEVEL=DEBUG);
the jobs themselves log at INFO when they find something ("sweep found 3 pending
interactions", "campaign …: 12 members drawn"). Failures, retries, and every other job's lines
stay as arq writes them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

ARQ_LOGGER = "arq.worker"
# arq's own formats for a job's start and its successful end (arq/worker.py, `run_job`).
STARTED = "%6.2fs → %s(%s)%s"
FINISHED = "%6.2fs ← %s ● %s"
# A cron job's function name ends with this and the job's name (`workers.settings.cron_jobs`).
CRON_MARK = ":cron:"


class RoutineRuns(logging.Filter):
    """Demotes arq's start and end lines of the named cron jobs to DEBUG."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO or record.msg not in (STARTED, FINISHED):
            return True
        args = record.args if isinstance(record.args, tuple) else ()
        # The second argument is arq's `ref`: `<job id>:<function name>`.
        ref = str(args[1]) if len(args) > 1 else ""
        if CRON_MARK not in ref or ref.rsplit(CRON_MARK, 1)[1] not in self.names:
            return True
        record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        return logging.getLogger(ARQ_LOGGER).isEnabledFor(logging.DEBUG)


routine_runs = RoutineRuns()


def quiet_routine_runs(names: Iterable[str]) -> None:
    """Keep arq's per-run lines of these cron jobs (by schedule name) out of the INFO log, in
    this process; safe to call for every worker built."""
    routine_runs.names.update(names)
    logger = logging.getLogger(ARQ_LOGGER)
    if routine_runs not in logger.filters:
        logger.addFilter(routine_runs)
