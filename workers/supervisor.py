"""Keeps an arq worker running through outages, and tells the world it is alive.

arq's poll loop ends with the first Redis error (`Worker.main` raises `ConnectionError`). The
supervisor runs the worker in a loop: when Redis goes away it drops that worker (its running jobs
are cancelled; their transactions roll back and the interactions stay PENDING), waits for Redis
with capped exponential backoff and jitter, claims the program's namespace again (Redis may come
back empty) and starts a fresh worker, whose first act is a sweep. One WARNING when an outage
starts and one INFO when it ends (`domain.infra.outages`), not a line per attempt. A worker that
dies of anything else is logged with its traceback and restarted the same way. Only a namespace
owned by another database (`NamespaceClaimed`) or cancellation ends `run`.

Database outages do not stop the poll loop: the tasks note them and return (`workers.tasks`).

Liveness: every few seconds the supervisor writes a heartbeat (`<namespace>:worker:<id>`, JSON,
expiring after three missed beats) that `plaudit status` prints: state, restarts, batches and
when the last batch and the last sweep ran.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from arq.worker import Worker

from domain.infra import namespace, outages
from domain.infra.cancel import cancel_and_wait
from domain.infra.namespace import NamespaceClaimed
from domain.pipeline.batch import drainer
from domain.runtime import Runtime
from workers.settings import build_worker
from workers.tasks import activity

log = logging.getLogger("plaudit.worker")

BACKOFF_MIN_S = 0.2
BACKOFF_MAX_S = 5.0
HEALTHY_AFTER_S = 30.0  # a worker that ran this long before failing was healthy: no backoff
HEARTBEAT_S = 5.0


def heartbeat_key(runtime: Runtime, worker_id: str) -> str:
    return namespace.key(runtime.settings, "worker", worker_id)


class Supervisor:
    def __init__(
        self,
        runtime: Runtime,
        *,
        kind: str,
        build: Callable[[Runtime], Worker] = build_worker,
        backoff_min_s: float = BACKOFF_MIN_S,
        backoff_max_s: float = BACKOFF_MAX_S,
    ) -> None:
        self.runtime = runtime
        self.kind = kind  # "standalone" or "in-process"
        self.build = build
        self.backoff_min_s = backoff_min_s
        self.backoff_max_s = backoff_max_s
        self.id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.state = "starting"  # starting | running | waiting | stopped
        self.started_at = datetime.now(UTC)
        self.restarts = 0
        self.worker: Worker | None = None

    @property
    def running(self) -> bool:
        return self.state == "running"

    async def run(self) -> None:
        """Run workers until cancelled. Raises `NamespaceClaimed` (a configuration error)."""
        beating = asyncio.create_task(self._beat(), name="plaudit-worker-heartbeat")
        delay = self.backoff_min_s
        try:
            while True:
                started = time.monotonic()
                try:
                    await self._connect()
                    self.worker = self.build(self.runtime)
                    self.state = "running"
                    await self._beat_once()
                    await self.worker.main()
                    return  # only a burst worker gets here
                except NamespaceClaimed:
                    raise
                except Exception as exc:
                    if outages.is_outage(exc):
                        outages.of(exc).failed(exc)
                    else:
                        self.restarts += 1
                        log.exception("the worker failed; restart %d", self.restarts)
                finally:
                    self.state = "waiting"
                    await self._drop()
                if time.monotonic() - started > HEALTHY_AFTER_S:
                    delay = self.backoff_min_s
                await asyncio.sleep(delay * random.uniform(0.5, 1.0))  # jitter
                delay = min(self.backoff_max_s, delay * 2)
        finally:
            self.state = "stopped"
            with contextlib.suppress(asyncio.CancelledError):  # cancelled again: go on cleaning
                await cancel_and_wait(beating, within_s=2)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(
                    self.runtime.redis.delete(heartbeat_key(self.runtime, self.id)), 1
                )

    async def _connect(self) -> None:
        """Redis answers and the namespace is ours (claimed again: Redis may be back empty)."""
        await self.runtime.queue.ping()
        await namespace.claim(self.runtime.redis, self.runtime.settings)
        await self._settle()
        outages.redis.ok()

    async def _settle(self) -> None:
        """Writes that could not tell the read versions during an outage drop every cached
        answer as soon as Redis answers again (`domain.infra.read_versions`)."""
        if self.runtime.read_versions is not None:
            await self.runtime.read_versions.settle()

    async def _drop(self) -> None:
        """Forget the current worker; cancel its jobs (they roll back and are swept again)."""
        worker, self.worker = self.worker, None
        if worker is None:
            return
        tasks = [*worker.tasks.values(), *worker.job_tasks.values()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def heartbeat(self) -> dict[str, Any]:
        def stamp(moment: datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        return {
            "id": self.id,
            "kind": self.kind,
            "pid": os.getpid(),
            "state": self.state,
            "started_at": stamp(self.started_at),
            "heartbeat_at": stamp(datetime.now(UTC)),
            "restarts": self.restarts,
            "batches": drainer.batches,
            "last_batch_at": stamp(drainer.last_batch_at),
            "sweeps": activity.sweeps,
            "last_sweep_at": stamp(activity.last_sweep_at),
            "database": "unavailable" if outages.database.down else "ok",
        }

    async def _beat_once(self) -> None:
        await self._settle()  # never raises: an outage is noted, and paid for later
        with contextlib.suppress(Exception):  # Redis down: the heartbeat lapses, as it should
            await asyncio.wait_for(
                self.runtime.redis.set(
                    heartbeat_key(self.runtime, self.id),
                    json.dumps(self.heartbeat()).encode(),
                    px=int(HEARTBEAT_S * 3 * 1000),
                ),
                2,
            )

    async def _beat(self) -> None:
        while True:
            await self._beat_once()
            await asyncio.sleep(HEARTBEAT_S)


async def heartbeats(runtime: Runtime) -> list[dict[str, Any]]:
    """Every live worker's last heartbeat in this program's namespace."""
    pattern = heartbeat_key(runtime, "*")
    found = []
    async for key in runtime.redis.scan_iter(match=pattern, count=500):
        raw = await runtime.redis.get(key)
        if raw:
            with contextlib.suppress(ValueError):
                found.append(json.loads(raw))
    return sorted(found, key=lambda beat: str(beat.get("id")))
