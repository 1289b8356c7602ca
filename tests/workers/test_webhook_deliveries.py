"""The workers' webhook job: scheduled every 5 s and woken by commits, it delivers what the
award path wrote to the outbox; the award path only writes (one statement per batch), so a dead
receiver slows neither the awards nor the other endpoints."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from domain.models import (
    Interaction,
    InteractionStatus,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookMessage,
)
from domain.pipeline import batch
from tests.api.badges.test_badges import badge, goal
from tests.api.test_metrics import sample, scrape
from tests.api.webhooks.common import (
    adjust,
    allow_local_webhooks,
    create_endpoint,
    deliver,
)
from tests.helpers import counting, define
from tests.webhook_receiver import dead_url
from tests.workers.test_pipeline_workers import backlog
from workers import tasks
from workers.schedule import scheduled_jobs
from workers.settings import build_worker, cron_jobs


@pytest.fixture(autouse=True)
def local_webhooks(monkeypatch, runtime):
    allow_local_webhooks(monkeypatch, runtime)


def test_the_delivery_job_runs_every_five_seconds_and_the_log_is_pruned_daily(runtime):
    jobs = {job.name: job for job in scheduled_jobs(runtime.settings)}
    assert jobs["deliver_webhooks"].when == {"second": set(range(0, 60, 5))}
    assert jobs["deliver_webhooks"].routine  # quiet at INFO when idle
    assert jobs["prune_webhook_deliveries"].when == {"hour": {4}, "minute": {10}, "second": {0}}
    names = {job.name.rsplit(":cron:", 1)[1] for job in cron_jobs(runtime)}
    assert {"deliver_webhooks", "prune_webhook_deliveries"} <= names


async def test_the_task_delivers_what_was_committed(gql, runtime, receiver):
    _, secret = await create_endpoint(gql, receiver.url, ["POINTS_CHANGED"])
    await adjust(gql, "ada", 25, "a1")

    assert await tasks.deliver_webhooks({"runtime": runtime}) == 1
    [received] = receiver.received
    assert received.verify(secret)["data"]["amount"] == 25


async def test_a_commit_wakes_a_worker_that_delivers_at_once(gql, runtime, receiver):
    _, secret = await create_endpoint(gql, receiver.url, ["POINTS_CHANGED"])
    await adjust(gql, "ada", 25, "a1")  # its commit enqueued the delivery job

    await build_worker(runtime, burst=True).async_run()  # no cron in burst mode: the wake-up

    [received] = receiver.received
    received.verify(secret)
    assert await WebhookMessage.all().count() == 0


async def test_a_batch_writes_its_messages_with_one_statement(gql, runtime, receiver):
    await define(gql, "app.open", 3, memberReportable=False)
    await badge(gql, "opener", [goal("ACTION_COUNT", 1, "app.open")], rewardPoints=10)
    counts = {}
    for size, endpoint in ((5, False), (20, False), (5, True), (20, True), (200, True)):
        if endpoint and not counts.get("endpoint"):
            await create_endpoint(gql, receiver.url, ["POINTS_CHANGED", "BADGE_EARNED"])
            counts["endpoint"] = 1
        await backlog(runtime, size, members=max(1, size // 4), prefix=f"s{size}{endpoint}-")
        with counting() as counter:
            assert len(await batch.process_next(runtime)) == size
        counts[(size, endpoint)] = len(counter.statements)
        messages = [s for s in counter.statements if "webhook_message" in s]
        assert len(messages) == (1 if endpoint else 0)

    assert counts[(20, True)] == counts[(200, True)] == counts[(20, False)] + 1, counts
    # Each interaction's credit, each member's badge and the badge's credit, once the
    # endpoint subscribed: 5 interactions of 1 member, 20 of 5, 200 of 50.
    assert await WebhookMessage.filter(event="BADGE_EARNED").count() == 1 + 5 + 50
    assert await WebhookMessage.filter(event="POINTS_CHANGED").count() == 225 + 56


async def test_a_dead_receiver_slows_neither_the_awards_nor_the_other_endpoints(
    gql, runtime, receivers, monkeypatch
):
    """A receiver that accepts connections and never answers, beside a healthy one, while
    awards go on in two bursts and the delivery job ticks as the worker's cron would."""
    allow_local_webhooks(monkeypatch, runtime, webhook_timeout_seconds=5)
    dead, alive = await receivers(), await receivers()
    dead.hang = True
    await create_endpoint(gql, dead.url, ["POINTS_CHANGED"])
    _, secret = await create_endpoint(gql, alive.url, ["POINTS_CHANGED"])
    await define(gql, "app.open", 3, memberReportable=False)
    stop = asyncio.Event()

    async def ticks() -> None:
        """A round every 0.2 s, each left to run its course, as the worker's cron and wake-ups
        start them."""
        rounds: set[asyncio.Task[int]] = set()
        try:
            while not stop.is_set():
                rounds.add(asyncio.create_task(deliver(runtime)))
                await asyncio.sleep(0.2)
        finally:
            for running in rounds:
                running.cancel()
            await asyncio.gather(*rounds, return_exceptions=True)

    async def received(count: int) -> None:
        while len(alive.received) < count:  # noqa: ASYNC110 (the receiver has no event)
            await asyncio.sleep(0.02)

    cron = asyncio.create_task(ticks())
    awarding = []
    try:
        for burst, size in enumerate((200, 100)):
            await backlog(runtime, size, members=50, prefix=f"b{burst}-")
            started = time.monotonic()
            assert await asyncio.wait_for(batch.drain(runtime), 60) == size
            awarding.append(time.monotonic() - started)
            await asyncio.wait_for(received(sum((200, 100)[: burst + 1])), 20)
            # The dead receiver still holds its first attempts: they time out after 5 s.
            assert 1 <= dead.hanging <= 4
    finally:
        stop.set()
        await asyncio.wait_for(cron, 10)

    assert await Interaction.filter(status=InteractionStatus.AWARDED).count() == 300
    # The awards never waited for an attempt: each burst done well within one timeout.
    assert max(awarding) < 5, awarding
    # The healthy endpoint got everything, from the round that met the dead one and from the
    # rounds after it, while the dead one held no more than its endpoint's lanes.
    assert len(alive.received) == 300
    assert {r.verify(secret)["type"] for r in alive.received} == {"POINTS_CHANGED"}
    assert len(dead.received) <= 4


async def test_the_delivery_log_keeps_finished_deliveries_for_the_history_days(gql, runtime):
    await create_endpoint(gql, "http://127.0.0.1:9/hooks", ["POINTS_CHANGED"])
    await adjust(gql, "ada", 1, "a1")
    await adjust(gql, "ada", 2, "a2")
    await deliver(runtime)
    old = datetime.now(UTC) - timedelta(days=31)
    first, second = await WebhookDelivery.all().order_by("id")
    await WebhookDelivery.filter(id=first.id).update(
        status=WebhookDeliveryStatus.FAILED, created_at=old
    )
    await WebhookDelivery.filter(id=second.id).update(created_at=old)  # still PENDING: kept

    assert await tasks.prune_webhook_deliveries({"runtime": runtime}) == 1
    assert [d.id for d in await WebhookDelivery.all()] == [second.id]


async def test_delivery_results_appear_in_the_metrics(gql, runtime, receiver, client):
    await create_endpoint(gql, receiver.url, ["POINTS_CHANGED"])
    await create_endpoint(gql, dead_url(), ["POINTS_CHANGED"])
    before = await scrape(client)
    await adjust(gql, "ada", 25, "a1")
    await deliver(runtime)
    after = await scrape(client)

    def grew(name: str, **labels: str) -> float:
        return (sample(after, name, **labels) or 0.0) - (sample(before, name, **labels) or 0.0)

    assert grew("plaudit_webhook_attempts_total", outcome="2xx") == 1
    assert grew("plaudit_webhook_attempts_total", outcome="unreachable") == 1
    assert grew("plaudit_webhook_deliveries_total", status="SUCCEEDED") == 1
    assert grew("plaudit_webhook_attempt_duration_seconds_count") == 2
