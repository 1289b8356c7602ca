from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from domain.models.members import Member


class Reward(Model):
    """An item of the catalog. `stock` null means unlimited; it only moves inside the
    redemption transaction, under the reward's row lock."""

    key = fields.CharField(primary_key=True, max_length=100)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    cost = fields.IntField()
    stock = fields.IntField(null=True)
    per_member_limit = fields.IntField(null=True)
    required_tier = fields.CharField(max_length=100, null=True)
    active = fields.BooleanField(default=True)
    # Personal offers: answer conditions (`gamification.offers.AnswerCondition.as_json`) every
    # one of which a member's latest answers must meet to see and redeem it; [] = everyone.
    audience: fields.Field[Any] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "reward"


class RedemptionStatus(StrEnum):
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class Redemption(Model):
    """A member's redemption of a reward; (member, idempotency_key) is unique, so a repeated
    request returns the first redemption and spends nothing more."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="redemptions", on_delete=fields.RESTRICT
    )
    member_id: str
    reward: fields.ForeignKeyRelation[Reward] = fields.ForeignKeyField(
        "models.Reward", related_name="redemptions", on_delete=fields.RESTRICT
    )
    reward_id: str
    cost = fields.IntField()
    status = fields.CharEnumField(RedemptionStatus, max_length=16)
    idempotency_key = fields.CharField(max_length=128)
    created_at = fields.DatetimeField(auto_now_add=True)
    cancelled_at = fields.DatetimeField(null=True)
    cancel_reason = fields.CharField(max_length=500, null=True)

    class Meta:
        table = "redemption"
        unique_together = (("member", "idempotency_key"),)
        indexes = (("member", "id"), ("reward", "member"))
