from typing import Any

from tortoise import fields
from tortoise.models import Model


class AuditRecord(Model):
    """Who changed what, when, with the state before and after. Written by every admin mutation."""

    id = fields.BigIntField(primary_key=True)
    actor = fields.CharField(max_length=128)
    operation = fields.CharField(max_length=64)
    target = fields.CharField(max_length=200)
    before: fields.Field[Any] = fields.JSONField(null=True)
    after: fields.Field[Any] = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "audit_record"
