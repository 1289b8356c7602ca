from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from domain.models.members import Member


class InteractionStatus(StrEnum):
    PENDING = "PENDING"
    AWARDED = "AWARDED"
    CAPPED = "CAPPED"
    REJECTED = "REJECTED"


class Interaction(Model):
    """One recorded interaction. Unique per (member, idempotency key): a replay finds this row.

    `action_key` is not a foreign key: an interaction naming an unknown action is still stored
    (REJECTED, UNKNOWN_ACTION), so the caller sees what happened to it.
    """

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="interactions", on_delete=fields.RESTRICT
    )
    member_id: str
    action_key = fields.CharField(max_length=100)
    idempotency_key = fields.CharField(max_length=128)
    status = fields.CharEnumField(InteractionStatus, max_length=16)
    reason = fields.CharField(max_length=64, null=True)
    occurred_at = fields.DatetimeField()
    recorded_at = fields.DatetimeField(auto_now_add=True)
    processed_at = fields.DatetimeField(null=True)
    points_awarded = fields.BigIntField(default=0)
    properties: fields.Field[Any] = fields.JSONField(null=True)
    # The partner whose scoped token recorded it (`domain.partners`); null for everyone else.
    partner_key = fields.CharField(max_length=100, null=True)

    class Meta:
        table = "interaction"
        unique_together = (("member", "idempotency_key"),)
        indexes = (
            # limits and cooldowns: a member's awarded interactions of one action, by time
            ("member", "action_key", "status", "occurred_at"),
            # the sweep: PENDING interactions by age
            ("status", "recorded_at"),
        )
