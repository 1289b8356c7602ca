from typing import Any

from tortoise import fields
from tortoise.models import Model


class Action(Model):
    """An admin-defined kind of interaction. Redefinitions are kept in the audit log."""

    key = fields.CharField(primary_key=True, max_length=100)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    points = fields.IntField(default=0)
    # [{"period": "DAY", "max": 3}, ...]
    limits: fields.Field[Any] = fields.JSONField(default=list)
    # {"period": "MONTH", "steps": [{"upTo": 1, "points": 100}, {"upTo": null, "points": 10}]}
    schedule: fields.Field[Any] = fields.JSONField(null=True)
    cooldown_seconds = fields.IntField(default=0)
    member_reportable = fields.BooleanField(default=False)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "action"
