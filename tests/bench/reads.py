"""Helpers of the read benchmarks: the bare Strawberry `{ hello }` yardstick served beside the
API, and a member with a program's worth of progress for the mobile app's `me` query.

Ratios (`plaudit req/s ÷ hello req/s`) are only meaningful within one run: the machine is shared
and its speed drifts from one hour to the next, so the yardstick is measured in the same run,
before and after the Plaudit queries, and the ratio uses their mean.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from api.graphiql import PROGRESS_QUERY
from tests.bench import program
from tests.bench.db import Database
from tests.bench.graphql import call, token
from tests.bench.hello import HELLO
from tests.bench.stack import Stack, free_port, log
from tests.helpers import RECORD, UPSERT_ACTION, action_input

ACTION = "bench.read"
READER = "bench-reader"  # the member whose progress screen `me` reads
READER_INTERACTIONS = 12  # over 4 days: a few badges earned, every challenge in progress

# The mobile app's progress screen, as the README shows it.
ME = PROGRESS_QUERY


def compact(query: str) -> str:
    """A document on one line, as a JSON string (what the wrk scripts take)."""
    return json.dumps(" ".join(query.split()))


class HelloServer:
    """`python -m tests.bench.hello` on a free port, as a child of the bench (stopped by pid)."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.log_path = log_dir / "hello.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def __enter__(self) -> HelloServer:
        output = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.bench.hello", "--port", str(self.port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=Path(__file__).resolve().parents[2],
            env=os.environ.copy(),
        )
        output.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hello app exited early; see {self.log_path}")
            try:
                answer = httpx.post(self.url, json={"query": HELLO}, timeout=2)
                if answer.status_code == 200 and answer.json() == {"data": {"hello": "world"}}:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the hello app did not answer within 30 s")

    def __exit__(self, *exc: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def prepare_reader(stack: Stack, database: Database) -> str:
    """Define the bench program (50 badges, 10 challenges) on an action, record
    READER_INTERACTIONS of it for READER over the past 4 days, let a worker process award them,
    and return READER's member token."""
    admin = token(stack.secret, "bench-admin", "admin")
    definition = action_input(ACTION, 10, limits=[], cooldownSeconds=0, memberReportable=False)
    call(stack.url, UPSERT_ACTION, {"input": definition}, admin)
    program.define(stack.url, admin, ACTION)
    service = token(stack.secret, "bench-service", "service")
    now = datetime.now(UTC)
    for index in range(READER_INTERACTIONS):
        occurred = now - timedelta(days=index % 4, minutes=5 + index)
        variables = {
            "action": ACTION,
            "idempotencyKey": f"read-{index}",
            "memberId": READER,
            "occurredAt": occurred.isoformat(),
        }
        payload = call(stack.url, RECORD, {"input": variables}, service)["recordInteraction"]
        if payload["errors"]:
            raise RuntimeError(f"recording the reader's interactions failed: {payload['errors']}")
    name = "reads-worker"
    stack.spawn(name, "worker")
    try:
        _await_awarded(database)
    finally:
        worker = stack.processes.pop(name)
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    reader = token(stack.secret, READER, "member")
    screen = call(stack.url, ME, {}, reader)["me"]
    earned = sum(1 for badge in screen["badges"] if badge["earned"])
    log(
        f"reader: {screen['points']['balance']} points, {earned} of {len(screen['badges'])} "
        f"visible badges earned, {len(screen['challenges'])} active challenges"
    )
    return reader


def _await_awarded(database: Database, timeout: float = 120) -> None:
    """Until every interaction is decided (none PENDING) and the reader's are all stored."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = database.counts()
        if counts["total"] >= READER_INTERACTIONS and counts["PENDING"] == 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the reader's interactions were not decided within {timeout:.0f} s")


def ratio(value: float, baseline: float) -> float:
    return round(value / baseline, 3) if baseline else 0.0


def with_ratio(report: dict[str, Any], hello_req_s: float) -> dict[str, Any]:
    return report | {"ratio_to_hello": ratio(float(report["req_per_s"]), hello_req_s)}
