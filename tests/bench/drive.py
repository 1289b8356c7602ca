"""Driving wrk until a number of interactions is stored and every one of them decided, watching
the database (`Database.progress`: two index lookups, polled at 10 Hz)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from tests.bench import wrk
from tests.bench.db import Database, Progress
from tests.bench.stack import Stack

POLL_S = 0.1
SAMPLE_S = 1.0
STALL_S = 60


@dataclass
class Timeline:
    """(seconds since start, stored, pending) about once a second, from a baseline."""

    base: Progress
    started: float
    samples: list[tuple[float, int, int]] = field(default_factory=list)
    max_pending: int = 0

    def add(self, now: float, progress: Progress, force: bool = False) -> None:
        stored, pending = progress.stored - self.base.stored, progress.pending - self.base.pending
        self.max_pending = max(self.max_pending, pending)
        at = now - self.started
        if force or not self.samples or at - self.samples[-1][0] >= SAMPLE_S - POLL_S / 2:
            self.samples.append((round(at, 2), stored, pending))

    def report(self) -> list[list[float]]:
        return [list(sample) for sample in self.samples]


@dataclass
class Counted:
    """A count-driven run: when the last interaction was stored, when the last was decided."""

    result: wrk.Result
    stored_s: float
    decided_s: float
    counts: dict[str, int]
    timeline: Timeline

    @property
    def finished_at(self) -> float:
        return self.timeline.started + self.decided_s


def until_decided(
    stack: Stack,
    database: Database,
    running: wrk.Running,
    count: int,
    started: float,
    base: Progress,
    base_counts: dict[str, int],
) -> Counted:
    """Poll until `count` new interactions are stored (then stop wrk, whose clients have sent
    their share) and none is PENDING; confirm with full status counts. Returns the timings."""
    timeline = Timeline(base, started)
    stored_at: float | None = None
    last_change, last_seen = started, Progress(-1, -1)
    try:
        while True:
            time.sleep(POLL_S)
            now = time.monotonic()
            progress = database.progress()
            timeline.add(now, progress)
            stored = progress.stored - base.stored
            if stored_at is None and stored >= count:
                stored_at = now
                wrk.interrupt(running)
            if stored_at is not None and progress.pending <= base.pending:
                counts = status_delta(database.counts(), base_counts)
                if counts["total"] >= count and counts["PENDING"] <= 0:
                    timeline.add(now, progress, force=True)
                    break
            if progress != last_seen:
                last_seen, last_change = progress, now
            elif now - last_change > STALL_S:
                raise RuntimeError(
                    f"no progress for {STALL_S}s: {progress}; logs in {stack.data_dir}"
                )
            if stored_at is None and running.process.poll() is not None and now - last_change > 5:
                raise RuntimeError(f"wrk ended with {stored}/{count} stored")
    except BaseException:
        wrk.interrupt(running)
        running.process.wait(timeout=30)
        raise
    result = wrk.finish(running)
    return Counted(result, stored_at - started, now - started, counts, timeline)


def status_delta(counts: dict[str, int], base: dict[str, int]) -> dict[str, int]:
    return {key: value - base.get(key, 0) for key, value in counts.items()}


def settled(database: Database, timeout: float = 120) -> tuple[Progress, dict[str, int]]:
    """Wait until nothing is PENDING (e.g. after a warm-up); the baseline for the next run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        progress = database.progress()
        if progress.pending == 0:
            return progress, database.counts()
        time.sleep(POLL_S)
    raise RuntimeError(f"interactions still PENDING after {timeout:.0f} s")
