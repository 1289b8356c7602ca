"""Stopping an asyncio task for sure, within a bounded time.

One `Task.cancel()` is not always enough on Python 3.11: `asyncio.wait_for` returns the result of
an operation that completed just as the cancellation arrived, and the cancellation is lost.
redis-py sends every command through it, so a worker cancelled in the middle of one went on
polling and running its cron jobs, and whatever awaited it (the API's shutdown) waited for ever.
`cancel_and_wait` cancels again until the task has ended, and gives up after a bounded time,
saying so, rather than hang.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger("plaudit.tasks")

RECANCEL_EVERY_S = 1.0  # a task's own cleanup after a cancellation takes well under this


async def cancel_and_wait(task: asyncio.Task[Any], *, within_s: float) -> bool:
    """Cancel `task` and wait until it has ended, cancelling it again every `RECANCEL_EVERY_S`
    while it runs on; False (and a WARNING) when it still runs after `within_s`.

    The task's outcome is left to the caller (`task.exception()` once done)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    while not task.done():
        left = deadline - loop.time()
        if left <= 0:
            name = task.get_name()
            log.warning("%s did not stop within %gs of its cancellation", name, within_s)
            return False
        task.cancel()
        await asyncio.wait({task}, timeout=min(RECANCEL_EVERY_S, left))
    return True
