from typing import Any

from tortoise import fields
from tortoise.models import Model


class Tier(Model):
    """An admin-defined level of the program. Never deleted: archived, so members' history holds.

    Until a tier with threshold 0 exists, members sit in the built-in base tier
    (`gamification.tiers.BASE_TIER`), which has no row.
    """

    key = fields.CharField(primary_key=True, max_length=100)
    name = fields.CharField(max_length=100)
    threshold = fields.IntField()
    multiplier = fields.FloatField(default=1.0)
    benefits: fields.Field[Any] = fields.JSONField(default=list)
    archived = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "tier"
