"""The GraphQL face of webhooks: endpoints, their delivery log, the event types."""

from __future__ import annotations

import json
from datetime import datetime
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from api.pagination import Connection, id_keyset_connection
from domain.models import WebhookDelivery as DeliveryModel
from domain.models import WebhookDeliveryStatus as DeliveryStatusEnum
from domain.models import WebhookEndpoint as EndpointModel
from domain.webhooks import deliveries


@strawberry.enum(name="WebhookEventType")
class WebhookEventType(Enum):
    POINTS_CHANGED = strawberry.enum_value(
        "POINTS_CHANGED", description="data: memberId, amount, balance, reason, entryId"
    )
    BADGE_EARNED = strawberry.enum_value(
        "BADGE_EARNED",
        description="data: memberId, badgeKey; and level (2, 3…) when a member reaches a level "
        "above the badge's own",
    )
    CHALLENGE_COMPLETED = strawberry.enum_value(
        "CHALLENGE_COMPLETED",
        description="data: memberId, challengeKey (and round, for a repeating challenge)",
    )
    TIER_CHANGED = strawberry.enum_value(
        "TIER_CHANGED", description="data: memberId, fromTier, toTier"
    )
    REWARD_REDEEMED = strawberry.enum_value(
        "REWARD_REDEEMED", description="data: memberId, rewardKey, redemptionId, cost"
    )
    REFERRAL_CONVERTED = strawberry.enum_value(
        "REFERRAL_CONVERTED", description="data: referrerId, refereeId"
    )
    CONTENT_MODERATED = strawberry.enum_value(
        "CONTENT_MODERATED", description="data: memberId, contentId, status"
    )
    LEADERBOARD_PERIOD_CLOSED = strawberry.enum_value(
        "LEADERBOARD_PERIOD_CLOSED",
        description="data: board, period, periodKey, periodStart, periodEnd, top (list of "
        "{rank, memberId, score})",
    )
    MEMBER_ERASED = strawberry.enum_value(
        "MEMBER_ERASED", description="data: memberId (the erased member's former id)"
    )


@strawberry.enum(name="WebhookDeliveryStatus")
class WebhookDeliveryStatus(Enum):
    PENDING = strawberry.enum_value("PENDING")
    SUCCEEDED = strawberry.enum_value("SUCCEEDED")
    FAILED = strawberry.enum_value(
        "FAILED",
        description="Gave up after the retry schedule ran out, or the endpoint was disabled.",
    )


@strawberry.type(description="One message to one endpoint, and how its attempts went.")
class WebhookDelivery:
    id: strawberry.ID
    message_id: str = strawberry.field(
        description="The webhook-id header, the same on every attempt."
    )
    event: WebhookEventType
    status: WebhookDeliveryStatus
    attempts: int
    last_status_code: int | None = strawberry.field(
        description="HTTP status of the last attempt; null when it got no response."
    )
    last_error: str | None = strawberry.field(
        description="Why the last attempt failed (timeout, refused, non-2xx), when it did."
    )
    next_attempt_at: datetime | None
    created_at: datetime
    payload: JSON = strawberry.field(
        description="The JSON body every attempt sends: {type, timestamp, data}."
    )

    @classmethod
    def from_model(cls, delivery: DeliveryModel) -> WebhookDelivery:
        return cls(
            id=strawberry.ID(str(delivery.id)),
            message_id=delivery.message_id,
            event=WebhookEventType[delivery.event],
            status=WebhookDeliveryStatus[DeliveryStatusEnum(delivery.status).name],
            attempts=delivery.attempts,
            last_status_code=delivery.last_status_code,
            last_error=delivery.last_error,
            next_attempt_at=delivery.next_attempt_at,
            created_at=delivery.created_at,
            payload=json.loads(delivery.body),
        )


@strawberry.type(
    description="A URL of the brand's that receives the events it subscribes to, signed as "
    "Standard Webhooks says with its whsec_ secret."
)
class WebhookEndpoint:
    id: strawberry.ID
    url: str
    description: str
    events: list[WebhookEventType] = strawberry.field(
        description="Events this endpoint receives; empty means none."
    )
    enabled: bool
    disabled_reason: str | None = strawberry.field(
        description="Why the endpoint is disabled (every attempt failing for days, or an "
        "admin), null while enabled."
    )
    created_at: datetime
    _id: strawberry.Private[int]

    @classmethod
    def from_model(cls, endpoint: EndpointModel) -> WebhookEndpoint:
        return cls(
            id=strawberry.ID(str(endpoint.id)),
            url=endpoint.url,
            description=endpoint.description,
            events=[WebhookEventType[event] for event in endpoint.events or []],
            enabled=endpoint.enabled,
            disabled_reason=None if endpoint.enabled else endpoint.disabled_reason,
            created_at=endpoint.created_at,
            _id=endpoint.id,
        )

    @strawberry.field(description="Most recent first.")
    async def deliveries(
        self,
        status: WebhookDeliveryStatus | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[WebhookDelivery]:
        wanted = DeliveryStatusEnum[status.name] if status is not None else None

        async def fetch(size: int, before_id: int | None) -> list[DeliveryModel]:
            return list(await deliveries.history(self._id, wanted, size, before_id))

        return await id_keyset_connection(
            "webhook-delivery", first, after, fetch, WebhookDelivery.from_model
        )
