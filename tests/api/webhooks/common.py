"""What the webhook tests share: the GraphQL documents, an endpoint made in one call, settings
that let webhooks reach a receiver on the loopback interface, a clock to move, and a round of
deliveries as the workers run it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.runtime import Runtime
from domain.webhooks import delivery
from tests.conftest import ADMIN, member

ALL_EVENTS = [
    "POINTS_CHANGED",
    "BADGE_EARNED",
    "CHALLENGE_COMPLETED",
    "TIER_CHANGED",
    "REWARD_REDEEMED",
    "REFERRAL_CONVERTED",
    "CONTENT_MODERATED",
    "LEADERBOARD_PERIOD_CLOSED",
    "MEMBER_ERASED",
]
ENDPOINT = "id url description events enabled disabledReason createdAt"
DELIVERY = (
    "id messageId event status attempts lastStatusCode lastError nextAttemptAt createdAt payload"
)
ERRORS = "errors { code message field }"
CREATE = f"""
mutation Create($input: CreateWebhookEndpointInput!) {{
  createWebhookEndpoint(input: $input) {{ endpoint {{ {ENDPOINT} }} secret {ERRORS} }}
}}
"""
UPDATE = f"""
mutation Update($input: UpdateWebhookEndpointInput!) {{
  updateWebhookEndpoint(input: $input) {{ endpoint {{ {ENDPOINT} }} secret {ERRORS} }}
}}
"""
ROTATE = f"""
mutation Rotate($id: ID!) {{
  rotateWebhookSecret(id: $id) {{ endpoint {{ {ENDPOINT} }} secret {ERRORS} }}
}}
"""
DELETE = f"""
mutation Delete($id: ID!) {{
  deleteWebhookEndpoint(id: $id) {{ endpoint {{ {ENDPOINT} }} secret {ERRORS} }}
}}
"""
REDELIVER = f"""
mutation Redeliver($id: ID!) {{
  redeliverWebhook(deliveryId: $id) {{ delivery {{ {DELIVERY} }} {ERRORS} }}
}}
"""
ADJUST = """
mutation Adjust($input: AdjustPointsInput!) {
  adjustPoints(input: $input) { entry { id } errors { code message field } }
}
"""
ENDPOINTS = f"""
query Endpoints($status: WebhookDeliveryStatus, $first: Int, $after: String) {{
  webhookEndpoints {{
    {ENDPOINT}
    deliveries(status: $status, first: $first, after: $after) {{
      edges {{ cursor node {{ {DELIVERY} }} }}
      pageInfo {{ hasNextPage endCursor }}
    }}
  }}
}}
"""


def allow_local_webhooks(monkeypatch: pytest.MonkeyPatch, runtime: Runtime, **extra: Any) -> None:
    """PLAUDIT_WEBHOOKS_ALLOW_PRIVATE=true (the receiver listens on 127.0.0.1), retries after
    1 s, 2 s and 3 s, and a 2 s timeout per attempt."""
    values: dict[str, Any] = {
        "webhooks_allow_private": True,
        "webhook_retry_schedule": (1.0, 2.0, 3.0),
        "webhook_timeout_seconds": 2,
    }
    settings = dataclasses.replace(runtime.settings, **(values | extra))
    monkeypatch.setattr(runtime, "settings", settings)


async def admin(gql: Any, document: str, variables: dict[str, Any]) -> dict[str, Any]:
    """An admin call's payload (no GraphQL error)."""
    body = await gql(document, variables, as_=ADMIN)
    assert "errors" not in body, body
    [payload] = body["data"].values()
    result: dict[str, Any] = payload
    return result


async def create_endpoint(
    gql: Any, url: str, events: list[str] | None = None, description: str = ""
) -> tuple[dict[str, Any], str]:
    """A new endpoint subscribed to `events` (all by default): its fields and its secret."""
    variables = {"input": {"url": url, "events": events or ALL_EVENTS, "description": description}}
    payload = await admin(gql, CREATE, variables)
    assert payload["errors"] == [], payload
    return payload["endpoint"], payload["secret"]


async def endpoints(gql: Any, **variables: Any) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = (await gql(ENDPOINTS, variables, as_=ADMIN))["data"][
        "webhookEndpoints"
    ]
    return listed


async def deliveries(gql: Any, endpoint_id: str, **variables: Any) -> list[dict[str, Any]]:
    """The endpoint's deliveries, newest first."""
    [found] = [e for e in await endpoints(gql, **variables) if e["id"] == endpoint_id]
    return [edge["node"] for edge in found["deliveries"]["edges"]]


@dataclass
class Clock:
    """The time the delivery rounds see; tests move it instead of sleeping."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


async def deliver(runtime: Runtime, clock: Clock | None = None) -> int:
    """One round of deliveries, as the workers' job runs it; how many attempts it made."""
    return await delivery.deliver_due(runtime.settings, clock or Clock())


async def adjust(gql: Any, who: str, amount: int, key: str) -> None:
    """An admin's adjustment of `who`'s points (a POINTS_CHANGED message), enrolling them."""
    await gql("{ me { id } }", as_=member(who))
    variables = {
        "input": {"memberId": who, "amount": amount, "reason": "test", "idempotencyKey": key}
    }
    body = await gql(ADJUST, variables, as_=ADMIN)
    assert body["data"]["adjustPoints"]["errors"] == [], body
