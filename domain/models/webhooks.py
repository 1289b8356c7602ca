"""Webhooks: the outbox of messages, the brand's endpoints and each delivery to one of them.

A change writes its message to `webhook_message` in its own transaction (`domain.outbox`), so
only committed work is ever announced. A worker fans each message out into one
`webhook_delivery` per endpoint that subscribes to its event, deletes the message, and delivers
(`domain.webhooks`). The delivery rows are the delivery log admins read.
"""

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class WebhookEventType(StrEnum):
    """What a message announces; its `data` carries the fields the contract names."""

    POINTS_CHANGED = "POINTS_CHANGED"
    BADGE_EARNED = "BADGE_EARNED"
    CHALLENGE_COMPLETED = "CHALLENGE_COMPLETED"
    TIER_CHANGED = "TIER_CHANGED"
    REWARD_REDEEMED = "REWARD_REDEEMED"
    REFERRAL_CONVERTED = "REFERRAL_CONVERTED"
    CONTENT_MODERATED = "CONTENT_MODERATED"
    LEADERBOARD_PERIOD_CLOSED = "LEADERBOARD_PERIOD_CLOSED"
    MEMBER_ERASED = "MEMBER_ERASED"


class WebhookDeliveryStatus(StrEnum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class WebhookMessage(Model):
    """One message waiting to be fanned out to the endpoints: written in the transaction of the
    change it announces, deleted once its deliveries exist. `message_id` is the `webhook-id`
    every delivery of it carries; `body` the exact JSON every attempt sends."""

    id = fields.BigIntField(primary_key=True)
    message_id = fields.CharField(max_length=40, unique=True)
    event = fields.CharField(max_length=32)
    body = fields.TextField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "webhook_message"


class WebhookEndpoint(Model):
    """A URL of the brand's that receives the events it subscribes to, signed with its secret.

    The secret (`whsec_…`) is stored as is: signing needs it, so it cannot be hashed. It is shown
    once, when created or rotated, and never again by the API or the logs. After a rotation the
    previous secret signs beside the new one until `previous_secret_until`. An endpoint whose
    attempts have all failed since `failing_since` for too long is disabled with a reason;
    deleting one keeps its delivery history (`deleted_at`).
    """

    id = fields.BigIntField(primary_key=True)
    url = fields.CharField(max_length=2000)
    description = fields.CharField(max_length=2000, default="")
    events: fields.Field[Any] = fields.JSONField(default=list)
    enabled = fields.BooleanField(default=True)
    secret = fields.CharField(max_length=100)
    previous_secret = fields.CharField(max_length=100, null=True)
    previous_secret_until = fields.DatetimeField(null=True)
    failing_since = fields.DatetimeField(null=True)
    disabled_reason = fields.CharField(max_length=300, null=True)
    deleted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "webhook_endpoint"

    def __repr__(self) -> str:  # never the secrets, not even in a traceback
        return f"<WebhookEndpoint {self.id} {self.url!r}>"

    __str__ = __repr__


class WebhookDelivery(Model):
    """One message to one endpoint, and how its attempts went. `next_attempt_at` is when a
    worker may try it next (while one tries it, the end of that attempt's lease); null once
    SUCCEEDED or FAILED. `failures` counts the failed attempts of the current run through the
    retry schedule (a redelivery starts a new run); `attempts` counts every attempt."""

    id = fields.BigIntField(primary_key=True)
    endpoint: fields.ForeignKeyRelation[WebhookEndpoint] = fields.ForeignKeyField(
        "models.WebhookEndpoint", related_name="deliveries", on_delete=fields.RESTRICT
    )
    endpoint_id: int
    message_id = fields.CharField(max_length=40)
    event = fields.CharField(max_length=32)
    body = fields.TextField()
    status = fields.CharEnumField(WebhookDeliveryStatus, max_length=16)
    attempts = fields.IntField(default=0)
    failures = fields.IntField(default=0)
    last_status_code = fields.IntField(null=True)
    last_error = fields.CharField(max_length=300, null=True)
    last_attempt_at = fields.DatetimeField(null=True)
    next_attempt_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "webhook_delivery"
        unique_together = (("endpoint", "message_id"),)
        indexes = (
            ("endpoint", "id"),
            ("status", "next_attempt_at"),
            ("endpoint", "status", "next_attempt_at"),
            ("created_at",),
        )
