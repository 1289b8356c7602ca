"""The `{ hello }` yardstick of the ingest benchmarks: `tests.bench.reads.HelloServer` (a bare
Strawberry app served as `plaudit serve` serves the API) measured with wrk in the same run,
before and after the measurement, so that ingestion rates can be reported as ratios to what the
framework itself manages on this machine at this hour.

While it is measured, the API and the workers are idle (nothing is pending), so it has the
machine to itself, as Plaudit had during its own measurement.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.bench import cpu, reads, wrk
from tests.bench.hello import HELLO
from tests.bench.stack import log

WARMUP_S = 2.0


class Yardstick:
    """A running hello app; `measure()` adds a wrk run, `req_per_s` is the runs' mean."""

    def __init__(self, data_dir: Path, load: wrk.Load) -> None:
        self.server = reads.HelloServer(data_dir)
        self.load = load
        self.lua = wrk.script(data_dir, "leaderboard")  # its "top" mode: one fixed request
        self.runs: list[dict[str, Any]] = []

    @property
    def pid(self) -> int:
        return self.server.pid

    def __enter__(self) -> Yardstick:
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(*exc)

    def measure(self) -> dict[str, Any]:
        args = ["-", "top", "1", "-", reads.compact(HELLO)]
        warm = wrk.Load(self.load.threads, self.load.connections, WARMUP_S, self.load.timeout_s)
        wrk.run(self.server.url, self.lua, args, warm)
        classify = cpu.classifier({self.pid: "hello"}, None, "-")
        before = cpu.snapshot(classify)
        result = wrk.run(self.server.url, self.lua, args, self.load)
        usage = cpu.usage(before, cpu.snapshot(classify), {"wrk": result.cpu_s})
        report = result.report()
        report["cpu"] = {key: value for key, value in usage.items() if "postgres" not in key}
        self.runs.append(report)
        log(f"hello: {report['req_per_s']} req/s, p99 {report['p99_ms']} ms")
        return report

    @property
    def req_per_s(self) -> float:
        rates = [float(run["req_per_s"]) for run in self.runs]
        return sum(rates) / len(rates) if rates else 0.0

    def report(self) -> dict[str, Any]:
        rates = [run["req_per_s"] for run in self.runs]
        spread = (max(rates) - min(rates)) / self.req_per_s if len(rates) > 1 else 0.0
        return {
            "req_per_s": round(self.req_per_s, 1),
            "runs_req_per_s": rates,
            "spread": round(spread, 3),  # how much the machine's speed moved during the run
            "load": f"wrk -t{self.load.threads} -c{self.load.connections}, "
            f"{self.load.duration_s:g} s per run",
        }


def ratio(value: float, baseline: float) -> float:
    return reads.ratio(value, baseline)
