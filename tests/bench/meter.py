"""What one ingestion measurement cost, per interaction: CPU per role (`tests.bench.cpu`), SQL
statements per worker batch and per API call (`tests.bench.sqlcount`, when the children run
through it), and what PostgreSQL saw (transactions and rows written, from its cumulative
statistics; `tests.bench.db.activity_delta`).

    meter = Meter(stack, database, database_name, {hello.pid: "hello"})
    meter.start()
    ...                               # drive the load until everything is decided
    meter.stop({"wrk": wrk_cpu_s})    # CPU and statement counts
    ...                               # (e.g. measure the yardstick: PostgreSQL flushes its
    meter.settle()                    #  counters of idle backends only after 10 s)
    meter.report(interactions, calls=...)
"""

from __future__ import annotations

import time
from typing import Any

from tests.bench import cpu, sqlcount
from tests.bench.db import Database, activity_delta
from tests.bench.stack import Stack

PG_STATS_SETTLE_S = 11.0  # PostgreSQL 15: an idle backend flushes its counters after 10 s
SQL_DUMP_S = sqlcount.INTERVAL_S * 2
TOP_KINDS = 40


class Meter:
    def __init__(
        self,
        stack: Stack,
        database: Database,
        database_name: str | None,
        extra_pids: dict[int, str] | None = None,
    ) -> None:
        self.stack = stack
        self.database = database
        pids = stack.pids() | (extra_pids or {})
        self.classify = cpu.classifier(pids, database_name, stack.redis_marker())
        self.embedded = not any(name.startswith("worker") for name in stack.processes)
        self.usage: dict[str, float] = {}
        self.stopped_at = 0.0

    def _sql(self) -> dict[str, list[dict[str, Any]]]:
        return {role: self.stack.sql_readings(role) for role in ("api", "worker")}

    def start(self, idle_since: float | None = None) -> None:
        """`idle_since`: when the previous load (a warm-up) stopped; PostgreSQL's counters are
        read once they include all of it."""
        if idle_since is not None and self.database.activity():
            wait = idle_since + PG_STATS_SETTLE_S - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self.activity_before = self.database.activity()
        self.sql_before = self._sql()
        self.cpu_before = cpu.snapshot(self.classify)

    def stop(self, extra_cpu: dict[str, float]) -> None:
        self.usage = cpu.usage(self.cpu_before, cpu.snapshot(self.classify), extra_cpu)
        self.stopped_at = time.monotonic()
        if self.stack.count_sql:
            time.sleep(SQL_DUMP_S)  # the children write their counts every 0.2 s
        self.sql_after = self._sql()

    def settle(self) -> None:
        """Read PostgreSQL's counters once every backend has flushed what the load did."""
        wait = self.stopped_at + PG_STATS_SETTLE_S - time.monotonic()
        if self.activity_before and wait > 0:
            time.sleep(wait)
        self.activity_after = self.database.activity()

    def report(self, interactions: int, *, calls: int | None = None) -> dict[str, Any]:
        per_ms = {
            role.removesuffix("_cpu_s"): round(1000 * seconds / interactions, 3)
            for role, seconds in self.usage.items()
            if role.endswith("_cpu_s") and role != "unattributed_cpu_s" and interactions
        }
        if self.embedded and "api" in per_ms:
            per_ms["api+worker"] = per_ms.pop("api")
        result: dict[str, Any] = {
            "cpu": self.usage,
            "cpu_ms_per_interaction": per_ms,
        }
        sql = self._sql_report(interactions, calls)
        if sql:
            result["sql"] = sql
        database = activity_delta(
            self.activity_before, getattr(self, "activity_after", {}), interactions
        )
        if database:
            result["postgres"] = database
        return result

    def _sql_report(self, interactions: int, calls: int | None) -> dict[str, Any]:
        if not self.stack.count_sql or not interactions:
            return {}
        api = sqlcount.delta(self.sql_before["api"], self.sql_after["api"])
        worker = sqlcount.delta(self.sql_before["worker"], self.sql_after["worker"])
        report: dict[str, Any] = {}
        if self.embedded:
            # One process: the API's statements and the worker's are counted together.
            report["api+worker"] = _side(api, interactions, calls)
            report["api+worker"] |= _batches(api, interactions)
            return report
        report["api"] = _side(api, interactions, calls)
        report["worker"] = _side(worker, interactions, None) | _batches(worker, interactions)
        return report


def _side(counts: dict[str, Any], interactions: int, calls: int | None) -> dict[str, Any]:
    statements = counts["statements"]
    side: dict[str, Any] = {
        "statements": statements,
        "per_interaction": round(statements / interactions, 3),
    }
    if calls:
        side["per_call"] = round(statements / calls, 2)
        side["by_kind_per_call"] = _top(counts["by_kind"], calls)
    return side


def _batches(counts: dict[str, Any], interactions: int) -> dict[str, Any]:
    batches = counts["batches"]
    if not batches:
        return {"batches": 0}
    return {
        "batches": batches,
        "interactions_per_batch": round(interactions / batches, 1),
        "statements_per_batch": round(counts["statements"] / batches, 2),
        "by_kind_per_batch": _top(counts["by_kind"], batches),
    }


def _top(kinds: dict[str, int], divisor: int) -> dict[str, float]:
    ordered = sorted(kinds.items(), key=lambda item: -item[1])
    top = {kind: round(count / divisor, 2) for kind, count in ordered[:TOP_KINDS]}
    rest = sum(count for _, count in ordered[TOP_KINDS:])
    if rest:
        top["(other)"] = round(rest / divisor, 2)
    return top
