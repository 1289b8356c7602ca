"""The job queue (arq): wake-up calls for the award pipeline, serialized as JSON.

The PENDING rows in the database are the queue of record; an arq job only wakes a worker to
drain them (`domain.pipeline`), and the sweep catches whatever a lost wake-up missed. Recording
one interaction or a thousand costs one `wake_workers` call, and while a wake-up is already
waiting to be picked up it costs one Redis `SET NX` and no job at all.

Everything here lives in the program's Redis namespace (`domain.infra.namespace`): the queue is the
namespace's (`ArqRedis.default_queue_name`), and so are the wake flag and every job id (arq keys
jobs by id under a fixed `arq:job:` prefix).

Pickle would let anyone able to write to Redis run code in a worker; JSON carries only data.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from arq.connections import ArqRedis
from redis.exceptions import RedisError

from domain.infra import outages

log = logging.getLogger("plaudit.queue")

DRAIN = "drain_interactions"
# Set while a wake-up job waits to be picked up; the job clears it before it claims anything,
# so work committed after the flag was cleared raises a new wake-up. It expires, so a job lost
# with the flag still set delays the next wake-up by at most this long (the sweep backs it up).
WAKE_FLAG_TTL_MS = 2_000


def queue_name(namespace: str) -> str:
    return f"{namespace}:queue"


def wake_flag(queue: ArqRedis) -> str:
    return f"{queue.default_queue_name}:wake-pending"


def job_id(queue: ArqRedis, kind: str) -> str:
    """A job id in the queue's namespace, unique per call."""
    return f"{queue.default_queue_name}:{kind}:{uuid.uuid4().hex}"


def serialize(job: dict[str, Any]) -> bytes:
    return json.dumps(job, separators=(",", ":"), default=str).encode()


def deserialize(data: bytes) -> dict[str, Any]:
    value = json.loads(data)
    if not isinstance(value, dict):
        raise ValueError("a job must be a JSON object")
    return value


async def wake_workers(queue: ArqRedis) -> bool:
    """Make sure a worker will drain PENDING interactions committed before this call.

    Call it after the commit. False when Redis cannot take it now: the interactions stay
    PENDING and the sweep finds them.
    """
    return await wake_once(queue, DRAIN, "drain", wake_flag(queue), WAKE_FLAG_TTL_MS)


async def wake_once(queue: ArqRedis, job: str, kind: str, flag: str, ttl_ms: int) -> bool:
    """Enqueue `job` unless a wake-up of it is already waiting: `flag` is set with SET NX (for
    `ttl_ms`, in case the job is lost) and cleared by the job as it starts, so a thousand
    commits cost one job. False when Redis cannot take it now; the caller's cron catches up.
    """
    try:
        if await queue.set(flag, b"1", nx=True, px=ttl_ms):
            await queue.enqueue_job(job, _job_id=job_id(queue, kind))
    except (RedisError, OSError) as exc:
        # One warning per outage, not one per request; the sweep queues them again.
        outages.redis.failed(exc)
        return False
    outages.redis.ok()
    return True


async def woken(queue: ArqRedis) -> None:
    """A wake-up job started: clear the flag before claiming, so later commits wake again."""
    await queue.delete(wake_flag(queue))
