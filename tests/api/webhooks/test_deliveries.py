"""Webhook deliveries through a real receiver: every event arrives signed as Standard Webhooks
says and verifies with the reference `standardwebhooks` library; failures are retried with the
same webhook-id until the schedule runs out; nothing is sent for work that was refused or
rolled back; a rotated secret signs beside the new one for a day; an endpoint failing for days
is disabled; a delivery can be sent again.

The delivery rounds are the workers' (`domain.webhooks.delivery.deliver_due`), run here with a
clock the tests move, so the retry schedule is never waited out.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from domain import outbox
from domain.infra.db import transaction
from domain.leaderboards import archives
from domain.models import WebhookDelivery, WebhookEndpoint, WebhookMessage
from domain.program import audit
from domain.webhooks.signing import new_secret
from tests.api.badges.test_badges import badge, goal
from tests.api.challenges.test_challenges import challenge
from tests.api.content.test_content import approved, submitted
from tests.api.referrals.test_referrals import convert, converting_on, refer
from tests.api.tiers.test_tiers import tier
from tests.api.webhooks.common import (
    ALL_EVENTS,
    DELETE,
    REDELIVER,
    ROTATE,
    UPDATE,
    Clock,
    adjust,
    admin,
    allow_local_webhooks,
    create_endpoint,
    deliver,
    deliveries,
)
from tests.conftest import ADMIN, member
from tests.helpers import codes, define, record
from tests.webhook_receiver import dead_url

UPSERT_REWARD = """
mutation Reward($input: UpsertRewardInput!) {
  upsertReward(input: $input) { reward { key } errors { code } }
}
"""
REDEEM = """
mutation Redeem($input: RedeemRewardInput!) {
  redeemReward(input: $input) { redemption { id } errors { code message } }
}
"""
ERASE = "mutation Erase($id: ID!) { eraseMember(memberId: $id) { erased errors { code } } }"
# The fields each event's data holds (the contract's WebhookEventType descriptions).
DATA_FIELDS = {
    "POINTS_CHANGED": {"memberId", "amount", "balance", "reason", "entryId"},
    "BADGE_EARNED": {"memberId", "badgeKey"},
    "CHALLENGE_COMPLETED": {"memberId", "challengeKey"},
    "TIER_CHANGED": {"memberId", "fromTier", "toTier"},
    "REWARD_REDEEMED": {"memberId", "rewardKey", "redemptionId", "cost"},
    "REFERRAL_CONVERTED": {"referrerId", "refereeId"},
    "CONTENT_MODERATED": {"memberId", "contentId", "status"},
    "LEADERBOARD_PERIOD_CLOSED": {
        "board",
        "period",
        "periodKey",
        "periodStart",
        "periodEnd",
        "top",
    },
    "MEMBER_ERASED": {"memberId"},
}


@pytest.fixture(autouse=True)
def local_webhooks(monkeypatch, runtime):
    allow_local_webhooks(monkeypatch, runtime)


async def redeem(gql, who: str, reward: str, key: str) -> dict:
    variables = {"input": {"rewardKey": reward, "idempotencyKey": key}}
    body = await gql(REDEEM, variables, as_=member(who))
    assert "errors" not in body, body
    payload: dict = body["data"]["redeemReward"]
    return payload


async def reward(gql, key: str, cost: int) -> None:
    variables = {"input": {"key": key, "name": key.title(), "cost": cost}}
    assert (await admin(gql, UPSERT_REWARD, variables))["errors"] == []


def data_of(received, event: str) -> list[dict]:
    return [r.document["data"] for r in received.of(event)]


# --- every event ----------------------------------------------------------------------------------


async def test_every_event_type_arrives_signed_and_verifies(gql, drain, runtime, receiver):
    _, secret = await create_endpoint(gql, receiver.url)
    # One interaction of ada's: points, a badge, a challenge completed, a tier reached.
    await tier(gql, "bronze", 0)
    await tier(gql, "silver", 10)
    await badge(gql, "first.open", [goal("ACTION_COUNT", 1, "app.daily_open")])
    await challenge(
        gql, "opener", goals=[goal("ACTION_COUNT", 1, "app.daily_open")], rewardPoints=5
    )
    await record(gql, member("ada"), key="open-1")
    # bob joins through ada and converts.
    await converting_on(gql, referrerPoints=100, refereePoints=50)
    await refer(gql, "ada", "bob")
    await convert(gql, drain, "bob")
    # ada redeems, bob's review is approved, the periods close, a member is erased.
    await reward(gql, "mug", 5)
    assert (await redeem(gql, "ada", "mug", "r1"))["errors"] == []
    piece = await submitted(gql, "bob")
    await approved(gql, piece["id"])
    later = datetime.now(UTC) + timedelta(days=40)
    assert await archives.archive_closed(later, runtime.settings.tz, 10) > 0
    await adjust(gql, "carol", 7, "c1")
    erased = await admin(gql, ERASE, {"id": "carol"})
    assert erased == {"erased": True, "errors": []}

    await drain()  # the burst worker runs the delivery job the commits woke
    await deliver(runtime)

    assert {r.document["type"] for r in receiver.received} == set(ALL_EVENTS)
    for received in receiver.received:
        document = received.verify(secret)  # standardwebhooks: signature and timestamp
        assert set(document) == {"type", "timestamp", "data"}
        assert set(document["data"]) == DATA_FIELDS[document["type"]], document
        assert received.headers["content-type"] == "application/json"
        assert received.path == "/hooks"
        assert datetime.fromisoformat(document["timestamp"]).tzinfo is not None
    ids = [r.message_id for r in receiver.received]
    assert len(set(ids)) == len(ids) and all(i.startswith("msg_") for i in ids)

    changes = data_of(receiver, "POINTS_CHANGED")
    ada = sorted((c["amount"], c["reason"]) for c in changes if c["memberId"] == "ada")
    assert ada == [(-5, "REDEMPTION"), (5, "CHALLENGE"), (10, "ACTION"), (100, "REFERRAL")]
    redemption = next(c for c in changes if c["reason"] == "REDEMPTION")
    assert redemption["balance"] == 110 and redemption["entryId"].isdigit()
    assert data_of(receiver, "BADGE_EARNED") == [{"memberId": "ada", "badgeKey": "first.open"}]
    assert data_of(receiver, "CHALLENGE_COMPLETED") == [
        {"memberId": "ada", "challengeKey": "opener"}
    ]
    tiers = data_of(receiver, "TIER_CHANGED")
    assert {"memberId": "ada", "fromTier": "bronze", "toTier": "silver"} in tiers
    assert data_of(receiver, "REFERRAL_CONVERTED") == [{"referrerId": "ada", "refereeId": "bob"}]
    [redeemed] = data_of(receiver, "REWARD_REDEEMED")
    assert (redeemed["memberId"], redeemed["rewardKey"], redeemed["cost"]) == ("ada", "mug", 5)
    assert data_of(receiver, "CONTENT_MODERATED") == [
        {"memberId": "bob", "contentId": piece["id"], "status": "APPROVED"}
    ]
    closed = [d for d in data_of(receiver, "LEADERBOARD_PERIOD_CLOSED") if d["board"] == "points"]
    assert {d["period"] for d in closed} == {"DAILY", "WEEKLY", "MONTHLY"}
    assert closed[0]["top"][0] == {"rank": 1, "memberId": "ada", "score": 115}
    assert data_of(receiver, "MEMBER_ERASED") == [{"memberId": "carol"}]
    # Fanned out and sent: the outbox is empty, every delivery SUCCEEDED at its first attempt.
    assert await WebhookMessage.all().count() == 0
    assert {(d.status.value, d.attempts) for d in await WebhookDelivery.all()} == {("SUCCEEDED", 1)}


async def test_an_endpoint_receives_only_the_events_it_subscribes_to(
    gql, drain, runtime, receivers
):
    badges, nothing = await receivers(), await receivers()
    await create_endpoint(gql, badges.url, ["BADGE_EARNED"])
    await create_endpoint(gql, nothing.url, ["TIER_CHANGED"])
    await badge(gql, "first.open", [goal("ACTION_COUNT", 1, "app.daily_open")])
    await record(gql, member("ada"), key="open-1")
    await drain()
    await deliver(runtime)

    assert [r.document["type"] for r in badges.received] == ["BADGE_EARNED"]
    assert nothing.received == []


# --- retries --------------------------------------------------------------------------------------


async def test_a_500_is_retried_with_the_same_webhook_id_and_body(gql, runtime, receiver):
    endpoint, secret = await create_endpoint(gql, receiver.url, ["POINTS_CHANGED"])
    receiver.answers = [500]
    await adjust(gql, "ada", 25, "a1")
    clock = Clock()

    assert await deliver(runtime, clock) == 1
    [pending] = await deliveries(gql, endpoint["id"])
    assert (pending["status"], pending["attempts"]) == ("PENDING", 1)
    assert (pending["lastStatusCode"], pending["lastError"]) == (500, "HTTP 500")
    assert datetime.fromisoformat(pending["nextAttemptAt"]) == clock.now + timedelta(seconds=1)
    assert await deliver(runtime, clock) == 0  # not due yet

    clock.advance(seconds=1)
    assert await deliver(runtime, clock) == 1
    [done] = await deliveries(gql, endpoint["id"])
    assert (done["status"], done["attempts"], done["lastStatusCode"]) == ("SUCCEEDED", 2, 200)
    assert done["lastError"] is None and done["nextAttemptAt"] is None
    first, second = receiver.received
    assert first.message_id == second.message_id == done["messageId"]
    assert first.body == second.body
    assert first.verify(secret) == second.verify(secret) == done["payload"]
    assert done["payload"]["data"]["amount"] == 25


async def test_anything_but_2xx_is_retried_until_the_schedule_runs_out(gql, runtime, receiver):
    endpoint, _ = await create_endpoint(gql, receiver.url, ["POINTS_CHANGED"])
    receiver.answers = [500, 404, 302, 503, 200]
    await adjust(gql, "ada", 25, "a1")
    clock = Clock()

    seen = []
    for delay in (0, 1, 2, 3):  # PLAUDIT_WEBHOOK_RETRY_SCHEDULE=1s,2s,3s
        clock.advance(seconds=delay)
        assert await deliver(runtime, clock) == 1
        [delivery] = await deliveries(gql, endpoint["id"])
        seen.append((delivery["status"], delivery["lastStatusCode"], delivery["lastError"]))
    assert seen == [
        ("PENDING", 500, "HTTP 500"),
        ("PENDING", 404, "HTTP 404"),
        ("PENDING", 302, "HTTP 302 (redirects are not followed)"),
        ("FAILED", 503, "HTTP 503"),
    ]
    assert delivery["attempts"] == 4 and delivery["nextAttemptAt"] is None
    clock.advance(days=1)
    assert await deliver(runtime, clock) == 0
    assert len({r.message_id for r in receiver.received}) == 1 and len(receiver.received) == 4


async def test_a_refused_connection_and_a_timeout_are_retried(gql, runtime, receivers):
    hanging = await receivers()
    hanging.hang = True
    refused, _ = await create_endpoint(gql, dead_url(), ["POINTS_CHANGED"])
    slow, _ = await create_endpoint(gql, hanging.url, ["POINTS_CHANGED"])
    await adjust(gql, "ada", 25, "a1")

    assert await deliver(runtime) == 2
    [nobody] = await deliveries(gql, refused["id"])
    assert nobody["status"] == "PENDING" and nobody["lastStatusCode"] is None
    assert nobody["lastError"].startswith("could not connect")
    [late] = await deliveries(gql, slow["id"])
    assert late["status"] == "PENDING" and late["lastStatusCode"] is None
    assert late["lastError"] == "timed out after 2s"


# --- nothing for work that did not happen ------------------------------------------------------


async def test_nothing_is_sent_for_refused_rejected_or_capped_work(gql, drain, runtime, receiver):
    await create_endpoint(gql, receiver.url)
    await reward(gql, "mug", 500)
    refused = await redeem(gql, "ada", "mug", "r1")
    assert [e["code"] for e in refused["errors"]] == ["INSUFFICIENT_POINTS"]
    await define(gql, "app.daily_open", 10, limits=[{"period": "DAY", "max": 1}])
    await record(gql, member("ada"), key="k1")
    await record(gql, member("ada"), key="k2")  # CAPPED: counts, earns nothing
    await record(gql, member("ada"), action="no.such.action", key="k3")  # REJECTED
    await drain()
    await deliver(runtime)

    assert [(r.document["type"], r.document["data"]["amount"]) for r in receiver.received] == [
        ("POINTS_CHANGED", 10)
    ]


async def test_nothing_is_sent_for_a_change_that_rolled_back(
    gql, runtime, receiver, monkeypatch, caplog
):
    await create_endpoint(gql, receiver.url)
    piece = await submitted(gql, "bob")

    async def fails(*args, **kwargs):
        raise RuntimeError("the audit log is full")

    # Moderation writes its message, then fails to audit: the whole mutation rolls back.
    monkeypatch.setattr(audit, "record", fails)
    body = await gql(
        """mutation M($input: ModerateContentInput!) {
             moderateContent(input: $input) { content { id } errors { code } } }""",
        {"input": {"contentId": piece["id"], "decision": "APPROVE"}},
        as_=ADMIN,
    )
    assert codes(body) == ["INTERNAL_SERVER_ERROR"]
    with pytest.raises(RuntimeError):
        async with transaction() as connection:
            await outbox.emit(connection, outbox.EventType.MEMBER_ERASED, {"memberId": "x"})
            raise RuntimeError("rolled back")
    await deliver(runtime)

    assert await WebhookMessage.all().count() == 0
    assert receiver.received == []


# --- rotation -------------------------------------------------------------------------------------


async def test_a_rotated_secret_signs_beside_the_new_one_for_24_hours(gql, runtime, receiver):
    endpoint, old = await create_endpoint(gql, receiver.url, ["POINTS_CHANGED"])
    new = (await admin(gql, ROTATE, {"id": endpoint["id"]}))["secret"]
    clock = Clock()
    await adjust(gql, "ada", 25, "a1")
    await deliver(runtime, clock)

    [received] = receiver.received
    assert len(received.signatures) == 2
    assert received.verify(new) == received.verify(old)  # either secret verifies
    with pytest.raises(WebhookVerificationError):
        received.verify(new_secret())  # and no other

    clock.advance(hours=24, seconds=1)
    await adjust(gql, "ada", 5, "a2")
    await deliver(runtime, clock)
    later = receiver.received[1]
    stamp = datetime.fromtimestamp(int(later.headers["webhook-timestamp"]), UTC)
    assert stamp == clock.now.replace(microsecond=0)
    # One signature, the new secret's (the library signs what it would accept).
    assert later.signatures == [Webhook(new).sign(later.message_id, stamp, later.body)]


# --- redelivery -----------------------------------------------------------------------------------


async def test_redeliver_sends_a_delivery_again_with_the_same_webhook_id(gql, runtime, receiver):
    endpoint, secret = await create_endpoint(gql, receiver.url, ["POINTS_CHANGED"])
    await adjust(gql, "ada", 25, "a1")
    await deliver(runtime)
    [done] = await deliveries(gql, endpoint["id"])
    assert done["status"] == "SUCCEEDED"

    payload = await admin(gql, REDELIVER, {"id": done["id"]})
    assert payload["errors"] == []
    assert (payload["delivery"]["id"], payload["delivery"]["status"]) == (done["id"], "PENDING")
    await deliver(runtime)

    [again] = await deliveries(gql, endpoint["id"])
    assert (again["status"], again["attempts"]) == ("SUCCEEDED", 2)
    first, second = receiver.received
    assert first.message_id == second.message_id == again["messageId"]
    assert first.verify(secret) == second.verify(secret)


async def test_a_failed_delivery_is_redelivered_once_the_receiver_is_fixed(gql, runtime, receiver):
    endpoint, secret = await create_endpoint(gql, dead_url(), ["POINTS_CHANGED"])
    await adjust(gql, "ada", 25, "a1")
    clock = Clock()
    for _ in range(4):
        await deliver(runtime, clock)
        clock.advance(seconds=3)
    [failed] = await deliveries(gql, endpoint["id"])
    assert failed["status"] == "FAILED"

    await admin(gql, UPDATE, {"input": {"id": endpoint["id"], "url": receiver.url}})
    assert (await admin(gql, REDELIVER, {"id": failed["id"]}))["errors"] == []
    await deliver(runtime)

    [fixed] = await deliveries(gql, endpoint["id"])
    assert (fixed["status"], fixed["attempts"]) == ("SUCCEEDED", 5)
    [received] = receiver.received
    assert received.message_id == failed["messageId"]
    received.verify(secret)


async def test_redeliver_refusals(gql, runtime, receiver):
    endpoint, _ = await create_endpoint(gql, receiver.url, ["POINTS_CHANGED"])
    await adjust(gql, "ada", 25, "a1")
    await deliver(runtime)
    [done] = await deliveries(gql, endpoint["id"])

    for unknown in ("999999", "x"):
        payload = await admin(gql, REDELIVER, {"id": unknown})
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [
            ("NOT_FOUND", ["deliveryId"])
        ]
    await admin(gql, UPDATE, {"input": {"id": endpoint["id"], "enabled": False}})
    payload = await admin(gql, REDELIVER, {"id": done["id"]})
    assert [e["code"] for e in payload["errors"]] == ["INACTIVE"]
    body = await gql(REDELIVER, {"id": done["id"]}, as_=member("ada"))
    assert codes(body) == ["FORBIDDEN"]
    assert len(receiver.received) == 1


# --- the delivery log -----------------------------------------------------------------------------


async def test_the_delivery_log_pages_newest_first_and_filters_by_status(gql, runtime, receiver):
    endpoint, _ = await create_endpoint(gql, receiver.url, ["POINTS_CHANGED"])
    receiver.answers = [500]
    for n in range(3):
        await adjust(gql, "ada", n + 1, f"a{n}")
    await deliver(runtime)

    log = await deliveries(gql, endpoint["id"])
    assert [d["payload"]["data"]["amount"] for d in log] == [3, 2, 1]
    assert [d["status"] for d in log].count("PENDING") == 1
    pending = await deliveries(gql, endpoint["id"], status="PENDING")
    assert len(pending) == 1 and pending[0]["lastStatusCode"] == 500
    paged = await gql(
        "{ webhookEndpoints { deliveries(first: 2) { edges { node { id } } "
        "pageInfo { hasNextPage endCursor } } } }",
        as_=ADMIN,
    )
    [listed] = paged["data"]["webhookEndpoints"]
    page = listed["deliveries"]
    assert len(page["edges"]) == 2 and page["pageInfo"]["hasNextPage"] is True
    rest = await deliveries(gql, endpoint["id"], first=2, after=page["pageInfo"]["endCursor"])
    assert [d["id"] for d in rest] == [log[2]["id"]]
    body = await gql(
        '{ webhookEndpoints { deliveries(after: "bm9wZQ") { edges { cursor } } } }', as_=ADMIN
    )
    assert codes(body) == ["INVALID_CURSOR"]


async def test_deleting_an_endpoint_stops_its_deliveries_at_once(gql, runtime, receiver):
    endpoint, _ = await create_endpoint(gql, receiver.url, ["POINTS_CHANGED"])
    receiver.answers = [500]
    await adjust(gql, "ada", 25, "a1")
    clock = Clock()
    await deliver(runtime, clock)

    assert (await admin(gql, DELETE, {"id": endpoint["id"]}))["errors"] == []
    clock.advance(minutes=1)
    await adjust(gql, "ada", 5, "a2")
    assert await deliver(runtime, clock) == 0
    assert len(receiver.received) == 1
    [stopped] = await WebhookDelivery.all()
    assert (stopped.status.value, stopped.last_error) == ("FAILED", "endpoint deleted")


# --- disabling ------------------------------------------------------------------------------------


async def test_an_endpoint_failing_everything_for_five_days_is_disabled(gql, runtime, caplog):
    caplog.set_level(logging.WARNING, logger="plaudit.webhooks")
    endpoint, _ = await create_endpoint(gql, dead_url(), ["POINTS_CHANGED"])
    clock = Clock()
    await adjust(gql, "ada", 1, "a1")
    await deliver(runtime, clock)  # the first failure starts the streak
    clock.advance(days=4, hours=23)
    await adjust(gql, "ada", 2, "a2")
    await deliver(runtime, clock)
    assert (await WebhookEndpoint.get(id=int(endpoint["id"]))).enabled  # not five days yet
    assert caplog.records == []

    clock.advance(hours=1)
    await adjust(gql, "ada", 3, "a3")
    await deliver(runtime, clock)

    [listed] = [e for e in await endpoints_of(gql) if e["id"] == endpoint["id"]]
    assert listed["enabled"] is False
    assert listed["disabledReason"].startswith(
        "endpoint disabled: every attempt failed for 5 days (since "
    )
    log = [edge["node"] for edge in listed["deliveries"]["edges"]]
    assert {d["status"] for d in log} == {"FAILED"}
    assert {d["lastError"] for d in log} == {listed["disabledReason"]}
    [warning] = caplog.records
    assert warning.levelno == logging.WARNING and "disabled" in warning.getMessage()
    assert endpoint["id"] in warning.getMessage() and "hooks" not in warning.getMessage()
    # Disabled: new messages are not delivered to it.
    await adjust(gql, "ada", 4, "a4")
    clock.advance(minutes=1)
    assert await deliver(runtime, clock) == 0

    on = await admin(gql, UPDATE, {"input": {"id": endpoint["id"], "enabled": True}})
    assert on["endpoint"]["enabled"] is True and on["endpoint"]["disabledReason"] is None
    assert (await WebhookEndpoint.get(id=int(endpoint["id"]))).failing_since is None


async def test_a_success_ends_the_failing_streak(gql, runtime, receiver):
    endpoint, _ = await create_endpoint(gql, receiver.url, ["POINTS_CHANGED"])
    clock = Clock()
    receiver.answers = [500]
    await adjust(gql, "ada", 1, "a1")
    await deliver(runtime, clock)  # fails: the streak starts
    clock.advance(days=3)
    await deliver(runtime, clock)  # succeeds: the streak ends
    clock.advance(days=3)
    receiver.answers = [500]
    await adjust(gql, "ada", 2, "a2")
    await deliver(runtime, clock)  # six days after the first failure, one after a success

    stored = await WebhookEndpoint.get(id=int(endpoint["id"]))
    assert stored.enabled and stored.failing_since == clock.now


async def endpoints_of(gql) -> list[dict]:
    body = await gql(
        "{ webhookEndpoints { id enabled disabledReason "
        "deliveries { edges { node { status lastError } } } } }",
        as_=ADMIN,
    )
    listed: list[dict] = body["data"]["webhookEndpoints"]
    return listed
