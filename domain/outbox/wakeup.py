"""Waking the workers once messages are committed, so deliveries leave at once rather than at
the next tick of the workers' cron job (which catches any wake-up lost meanwhile).

The job queue is the running process's (`Runtime.open` sets `queue`); without one (a bare
script) the cron job is all there is. Like the award pipeline's wake-up, a flag set with
`SET NX` makes a thousand commits cost one job: the job clears it before it starts working.
"""

from __future__ import annotations

import logging

from arq.connections import ArqRedis

from domain.infra.queue import wake_once

log = logging.getLogger("plaudit.webhooks")

JOB = "deliver_webhooks"
BATCH = "webhook-messages"
FLAG_TTL_MS = 2_000


class _Queue:
    queue: ArqRedis | None = None


waker = _Queue()


def flag(queue: ArqRedis) -> str:
    return f"{queue.default_queue_name}:webhooks-wake-pending"


async def wake(queue: ArqRedis) -> bool:
    """Make sure a worker will look at the outbox; False when Redis cannot take it now."""
    return await wake_once(queue, JOB, "webhooks", flag(queue), FLAG_TTL_MS)


async def woken(queue: ArqRedis) -> None:
    """The job started: clear the flag first, so later commits wake again."""
    await queue.delete(flag(queue))


async def after_commit(counts: list[int]) -> None:
    """The after-commit flush of a transaction that wrote `sum(counts)` messages."""
    if sum(counts):
        await wake_process_workers()


async def wake_process_workers() -> None:
    """Wake the workers through this process's queue, if it has one."""
    queue = waker.queue
    if queue is not None:
        await wake(queue)
