"""The API process's garbage collection: what survived a full collection is frozen, so that the
next full collection does not walk every open socket's objects again.

CPython's cyclic collector walks every tracked object in a full (generation 2) collection, and
stops the process meanwhile. A process holding 10,000 open subscriptions holds a few million such
objects: one full collection took 1.1-1.3 s (`--scenario fanout`, measured with a `gc.callbacks`
probe), and every push of the round it fell in waited for it. Collections are triggered by
allocations, so they fall in the busiest moments: a round's read allocates an entry per
subscriber.

What survived a full collection is reachable and, by then, long-lived: open sockets, their
subscriptions, the schema. `FreezeSurvivors` moves it to the permanent generation (`gc.freeze`)
as soon as each full collection ends, so the next walks only what was made since. A frozen
object is still freed by reference counting when it is no longer used; only a reference cycle
among frozen objects (a closed socket's, say) is not collected then. `sweep` unfreezes, collects
everything and freezes again: the one full pause left, paid once every `SWEEP_EVERY_S`.

The youngest generation is collected after `YOUNG_THRESHOLD` new objects rather than CPython's
700. A round of a live board holds about ten objects per subscriber until its push is sent
(100,000 at 10,000 subscribers): at 700, some 150 young collections, 14 middle and one or two
full ones walked them as they were passed along, about 250 ms of the round's 900 ms of CPU
(measured with a `gc.callbacks` probe, thread CPU time). Objects that die before a collection
are never walked, and most of a request's or a push's do. The price: cyclic garbage waits
longer (memory), and while many long-lived objects are being made (10,000 sockets opening) a
middle collection walks up to ten times as many; two took 0.5 and 0.75 s then.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from typing import Any

log = logging.getLogger("plaudit.gc")

# How often frozen reference cycles are collected (one full pause, logged with its length).
SWEEP_EVERY_S = 3600.0
# New (tracked) objects between two collections of the youngest generation (CPython's is 700).
YOUNG_THRESHOLD = 100_000


class FreezeSurvivors:
    """Installed by `plaudit serve` once its app has started (see the module's docstring)."""

    def __init__(self) -> None:
        self.installed = False
        self._thresholds = gc.get_threshold()  # as they were before `install`

    def install(self) -> None:
        """Collect and freeze what start-up made, then freeze after every full collection."""
        if self.installed:
            return
        self.installed = True
        gc.collect()
        gc.freeze()
        gc.callbacks.append(self._on_collection)
        self._thresholds = gc.get_threshold()
        gc.set_threshold(YOUNG_THRESHOLD, *self._thresholds[1:])

    def uninstall(self) -> None:
        if not self.installed:
            return
        self.installed = False
        gc.callbacks.remove(self._on_collection)
        gc.set_threshold(*self._thresholds)
        gc.unfreeze()

    def sweep(self) -> float:
        """Collect every cycle, frozen ones included, and freeze the survivors; the pause in
        seconds."""
        started = time.perf_counter()
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        return time.perf_counter() - started

    async def sweep_every(self, seconds: float = SWEEP_EVERY_S) -> None:
        while True:
            await asyncio.sleep(seconds)
            pause = self.sweep()
            fields = {"pause_ms": round(pause * 1000, 1), "frozen": gc.get_freeze_count()}
            log.info("gc sweep", extra={"fields": fields})

    def _on_collection(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info["generation"] == 2 and self.installed:
            gc.freeze()
