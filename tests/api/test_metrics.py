"""Prometheus metrics: the API's /metrics after real requests and interactions, and the
standalone worker's own port (`plaudit worker` with PLAUDIT_WORKER_METRICS_PORT)."""

from __future__ import annotations

import asyncio
import re
import signal
import socket

import httpx
import pytest

from domain.infra import metrics
from domain.infra.settings import Settings
from tests.conftest import SERVICE, member
from tests.helpers import PLAUDIT, cli_env, define, free_port, record, run_plaudit
from workers.settings import cron_jobs
from workers.supervisor import heartbeats


def sample(exposition: str, name: str, **labels: str) -> float | None:
    """The value of one series in a Prometheus text exposition, or None when it is absent."""
    for line in exposition.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        series, _, value = line.rpartition(" ")
        found = dict(re.findall(r'(\w+)="([^"]*)"', series))
        if series.split("{")[0] == name and found == labels:
            return float(value)
    return None


async def scrape(client: httpx.AsyncClient) -> str:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def test_requests_are_counted_by_operation_name_type_and_outcome(client, gql):
    before = await scrape(client)
    base = (
        sample(before, "plaudit_graphql_requests_total", operation="Me", type="query", outcome="ok")
        or 0.0
    )

    await gql("query Me { __typename }")
    await gql("query Me { __typename }")
    await gql("{ __typename }")
    await gql("query " + "L" * 300 + " { __typename }")
    await gql("query Broken { nope }")  # a validation error
    await gql("query Unparsable {")  # a syntax error: no name, no type, no code
    await gql(
        'mutation Refused { recordInteraction(input: {action: "a", idempotencyKey: "k"})'
        " { errors { code } } }"
    )  # anonymous caller: refused with a code

    after = await scrape(client)
    assert (
        sample(after, "plaudit_graphql_requests_total", operation="Me", type="query", outcome="ok")
        == base + 2
    )
    assert sample(
        after, "plaudit_graphql_requests_total", operation="anonymous", type="query", outcome="ok"
    )
    # A client-chosen name is cut to 40 characters: clients do not choose the cardinality.
    assert sample(
        after, "plaudit_graphql_requests_total", operation="L" * 40, type="query", outcome="ok"
    )
    assert "L" * 41 not in after
    # The outcome is the first error's code, or "error" for graphql-core's code-less ones.
    assert sample(
        after,
        "plaudit_graphql_requests_total",
        operation="Refused",
        type="mutation",
        outcome="UNAUTHENTICATED",
    )
    assert sample(
        after,
        "plaudit_graphql_requests_total",
        operation="Broken",
        type="query",
        outcome="GRAPHQL_VALIDATION_FAILED",
    )
    assert sample(
        after,
        "plaudit_graphql_requests_total",
        operation="anonymous",
        type="unknown",
        outcome="error",
    )
    assert (
        sample(
            after, "plaudit_graphql_request_duration_seconds_count", operation="Me", type="query"
        )
        >= 2
    )
    assert (
        sample(
            after,
            "plaudit_graphql_request_duration_seconds_bucket",
            operation="Me",
            type="query",
            le="+Inf",
        )
        >= 2
    )


async def test_the_pending_backlog_is_read_at_scrape_time(client, gql, drain):
    await define(gql, points=10)
    await record(gql, member("ada"), key="m1")
    await record(gql, member("grace"), key="m1")

    waiting = await scrape(client)
    assert sample(waiting, "plaudit_pending_interactions") == 2
    assert sample(waiting, "plaudit_pending_oldest_age_seconds") >= 0

    await drain()

    drained = await scrape(client)
    assert sample(drained, "plaudit_pending_interactions") == 0
    assert sample(drained, "plaudit_pending_oldest_age_seconds") == 0


async def test_dependency_errors_are_exposed_for_both_dependencies_from_the_start(client):
    exposition = await scrape(client)

    assert sample(exposition, "plaudit_dependency_errors_total", dependency="database") is not None
    assert sample(exposition, "plaudit_dependency_errors_total", dependency="redis") is not None
    assert "plaudit_worker_batch_size_bucket" in exposition
    assert "plaudit_worker_batch_duration_seconds_bucket" in exposition


async def test_decided_interactions_are_counted_by_final_status_with_their_batches(
    client, gql, drain
):
    await define(gql, points=10)
    await record(gql, member("ada"), key="s1")
    await drain()

    exposition = await scrape(client)
    assert sample(exposition, "plaudit_interactions_processed_total", status="AWARDED") >= 1
    assert sample(exposition, "plaudit_worker_batch_size_count") >= 1


async def scrape_when_open(url: str) -> str:
    async with httpx.AsyncClient(timeout=2) as http:
        for _ in range(300):  # polling for the port to open, not waiting on behaviour
            try:
                return (await http.get(url)).text
            except httpx.TransportError:
                await asyncio.sleep(0.05)
    raise AssertionError(f"{url} never answered")


async def worker_running(runtime, pid: int) -> None:
    for _ in range(300):  # polling for the worker's first heartbeat
        if any(beat["pid"] == pid for beat in await heartbeats(runtime)):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the worker never started")


@pytest.mark.parametrize(
    "command", [["worker"], ["serve", "--with-worker"]], ids=["standalone", "in-process"]
)
async def test_the_worker_serves_its_own_metrics_port(settings: Settings, server, command):
    port = free_port()
    env = cli_env(settings, PLAUDIT_WORKER_METRICS_PORT=str(port), PLAUDIT_PORT=str(free_port()))
    process = await asyncio.create_subprocess_exec(
        PLAUDIT, *command, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        body = await scrape_when_open(f"http://127.0.0.1:{port}/metrics")
        assert "plaudit_worker_batch_duration_seconds_bucket" in body
        assert 'plaudit_dependency_errors_total{dependency="redis"} 0.0' in body
        await worker_running(server.runtime, process.pid)  # then SIGTERM is a clean stop
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    # uvicorn re-raises the SIGTERM it handled once it has shut down gracefully.
    assert process.returncode in (0, -signal.SIGTERM), stderr.decode()
    assert "Traceback" not in stderr.decode()


async def test_past_the_cap_of_distinct_operation_names_new_ones_count_as_other(
    client, gql, monkeypatch
):
    await gql("query Me { __typename }")  # known before the cap is reached
    monkeypatch.setattr(metrics, "OPERATION_NAMES_MAX", len(metrics._operation_names) + 2)

    for name in ("Invented1", "Invented2", "Invented3", "Invented4", "Me"):
        await gql(f"query {name} {{ __typename }}")

    exposition = await scrape(client)
    labelled = {"Invented1", "Invented2", "Me"}
    for name in labelled:
        assert f'operation="{name}"' in exposition
    assert 'operation="Invented3"' not in exposition
    assert 'operation="Invented4"' not in exposition
    assert (
        sample(
            exposition,
            "plaudit_graphql_requests_total",
            operation="other",
            type="query",
            outcome="ok",
        )
        >= 2
    )


async def test_a_worker_metrics_port_already_taken_is_one_line_and_exit_2(settings, server):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = cli_env(settings, PLAUDIT_WORKER_METRICS_PORT=str(port))
        code, _, stderr = await run_plaudit("worker", env=env, within_s=60)

    assert code == 2
    assert stderr.splitlines() == [
        f"plaudit: invalid configuration: PLAUDIT_WORKER_METRICS_PORT: cannot listen on "
        f"127.0.0.1:{port} (Address already in use)"
    ]


async def test_the_worker_cron_jobs_count_their_runs_and_last_success(client, runtime):
    before = await scrape(client)
    runs = sample(before, "plaudit_job_runs_total", job="sweep_pending", outcome="ok") or 0.0
    crons = {job.name.rpartition(":")[2]: job for job in cron_jobs(runtime)}

    await crons["sweep_pending"].coroutine({"runtime": runtime})  # as arq's cron loop calls it

    after = await scrape(client)
    assert sample(after, "plaudit_job_runs_total", job="sweep_pending", outcome="ok") == runs + 1
    assert sample(after, "plaudit_job_last_success_timestamp_seconds", job="sweep_pending") > 0


async def test_an_interaction_rejected_at_recording_counts_as_rejected(client, gql):
    before = await scrape(client)
    rejected = sample(before, "plaudit_interactions_processed_total", status="REJECTED") or 0.0

    payload = await record(gql, SERVICE, action="no.such.action", memberId="ada", key="r1")
    await record(gql, SERVICE, action="no.such.action", memberId="ada", key="r1")  # a replay

    assert payload["interaction"]["status"] == "REJECTED"
    after = await scrape(client)
    assert sample(after, "plaudit_interactions_processed_total", status="REJECTED") == rejected + 1
