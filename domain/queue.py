"""The job queue (arq), with jobs serialized as JSON.

Pickle would let anyone able to write to Redis run code in a worker; JSON carries only data.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from arq.connections import ArqRedis
from redis.exceptions import RedisError

log = logging.getLogger("plaudit.queue")

PROCESS_INTERACTION = "process_interaction"


def serialize(job: dict[str, Any]) -> bytes:
    return json.dumps(job, separators=(",", ":"), default=str).encode()


def deserialize(data: bytes) -> dict[str, Any]:
    value = json.loads(data)
    if not isinstance(value, dict):
        raise ValueError("a job must be a JSON object")
    return value


async def enqueue_interaction(queue: ArqRedis, interaction_id: int) -> bool:
    """Queue the processing of a committed interaction; False when Redis cannot take it now.

    The job id is the interaction id, so a second enqueue while the first is known is a no-op.
    When Redis is down the interaction stays PENDING and the sweep queues it later.
    """
    try:
        await queue.enqueue_job(PROCESS_INTERACTION, interaction_id, _job_id=f"i{interaction_id}")
    except (RedisError, OSError) as exc:
        log.warning("could not enqueue interaction %s: %s", interaction_id, exc)
        return False
    return True
