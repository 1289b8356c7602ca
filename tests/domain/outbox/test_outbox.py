"""The outbox: messages are written in the caller's transaction (a rollback leaves none), many
in one statement, with a body fixed once; a commit wakes the workers once; erasing a member
takes them out of every stored message and delivery."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from tortoise import connections

from domain import outbox
from domain.infra.db import transaction
from domain.models import WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookMessage
from domain.outbox import EventType, Message, wakeup
from domain.webhooks.fanout import fan_out
from tests.helpers import counting


async def test_a_message_is_stored_with_its_fixed_body_once_committed(server):
    at = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    async with transaction() as connection:
        message_id = await outbox.emit(
            connection, EventType.BADGE_EARNED, {"memberId": "ada", "badgeKey": "b"}, at=at
        )
    [stored] = await WebhookMessage.all()
    assert stored.message_id == message_id and message_id.startswith("msg_")
    assert stored.event == "BADGE_EARNED"
    assert stored.body == (
        '{"type":"BADGE_EARNED","timestamp":"2026-12-01T10:00:00Z",'
        '"data":{"memberId":"ada","badgeKey":"b"}}'
    )


async def test_a_rolled_back_transaction_leaves_no_message(server):
    with pytest.raises(RuntimeError):
        async with transaction() as connection:
            await outbox.emit(connection, EventType.MEMBER_ERASED, {"memberId": "ada"})
            raise RuntimeError("the change failed")
    assert await WebhookMessage.all().count() == 0


async def test_many_messages_are_one_statement(server):
    messages = [Message(EventType.POINTS_CHANGED, {"memberId": f"m{n}"}) for n in range(300)]
    async with transaction() as connection:
        with counting() as counter:
            ids = await outbox.emit_many(connection, messages)
    inserts = [s for s in counter.statements if "webhook_message" in s]
    assert len(inserts) == 1
    assert len(set(ids)) == 300 and await WebhookMessage.all().count() == 300
    async with transaction() as connection:
        assert await outbox.emit_many(connection, []) == []


def test_the_body_is_compact_ascii_json():
    message = Message(
        EventType.MEMBER_ERASED, {"memberId": "zoë"}, datetime(2026, 1, 2, tzinfo=UTC)
    )
    assert outbox.body_of(message) == json.dumps(
        {"type": "MEMBER_ERASED", "timestamp": "2026-01-02T00:00:00Z", "data": {"memberId": "zoë"}},
        separators=(",", ":"),
    )


async def test_a_commit_wakes_the_workers_once(runtime):
    queue = runtime.queue
    for _ in range(2):  # the second commit finds the wake-up still waiting: no second job
        async with transaction() as connection:
            await outbox.emit_many(
                connection, [Message(EventType.MEMBER_ERASED, {"memberId": "a"})] * 3
            )
    jobs = await queue.queued_jobs()
    assert [job.function for job in jobs] == [wakeup.JOB]
    await wakeup.woken(queue)  # the job started: the next commit wakes again
    async with transaction() as connection:
        await outbox.emit(connection, EventType.MEMBER_ERASED, {"memberId": "a"})
    assert len(await queue.queued_jobs()) == 2


async def test_forgetting_a_member_removes_them_from_messages_and_deliveries(server):
    now = datetime.now(UTC)
    endpoint = await WebhookEndpoint.create(
        url="https://1.1.1.1/h", events=[e.value for e in EventType], secret="whsec_x",
        created_at=now, updated_at=now,
    )  # fmt: skip
    top = [
        {"rank": 1, "memberId": "a_a", "score": 30},
        {"rank": 2, "memberId": "aba", "score": 20},
    ]
    messages = [
        Message(EventType.POINTS_CHANGED, {"memberId": "a_a", "amount": 1}),
        Message(EventType.POINTS_CHANGED, {"memberId": "aba", "amount": 2}),  # LIKE's _ matches
        Message(EventType.REFERRAL_CONVERTED, {"referrerId": "aba", "refereeId": "a_a"}),
        Message(EventType.LEADERBOARD_PERIOD_CLOSED, {"board": "points", "top": top}),
        Message(EventType.MEMBER_ERASED, {"memberId": "a_a"}),
    ]
    async with transaction() as connection:
        await outbox.emit_many(connection, messages)
    await fan_out(now)  # one copy as deliveries ...
    async with transaction() as connection:
        await outbox.emit_many(connection, messages)  # ... and one still in the outbox

    async with transaction() as connection:
        changed = await outbox.forget_member(connection, "a_a")

    assert changed == 2 * 3
    deliveries = WebhookDelivery.filter(endpoint=endpoint).order_by("id")
    for rows in (await WebhookMessage.all().order_by("id"), await deliveries):
        kept = [json.loads(row.body)["data"] for row in rows]
        assert kept == [
            {"memberId": "aba", "amount": 2},
            {"board": "points", "top": [{"rank": 2, "memberId": "aba", "score": 20}]},
            {"memberId": "a_a"},  # MEMBER_ERASED announces the former id
        ]
    statuses = {d.status for d in await WebhookDelivery.all()}
    assert statuses == {WebhookDeliveryStatus.PENDING}
    raw = await connections.get("default").execute_query_dict("SELECT body FROM webhook_message")
    assert sum('"a_a"' in row["body"] for row in raw) == 1
