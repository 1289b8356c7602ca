from tortoise import fields
from tortoise.models import Model

from domain.models.members import Member


class MemberEvent(Model):
    """Something that happened to a member, stored in the transaction that caused it and
    published to Redis after commit; `published` false marks the ones the sweep still owes."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="events", on_delete=fields.RESTRICT
    )
    member_id: str
    kind = fields.CharField(max_length=32)
    occurred_at = fields.DatetimeField()
    message = fields.CharField(max_length=500)
    points = fields.BigIntField(null=True)
    subject = fields.CharField(max_length=200, null=True)
    published = fields.BooleanField(default=False)

    class Meta:
        table = "member_event"
        indexes = (("member", "id"), ("published", "id"))
