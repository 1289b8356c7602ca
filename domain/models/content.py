from typing import Any

from tortoise import fields
from tortoise.models import Model

from domain.models.members import Member
from gamification.content import ContentStatus


class Content(Model):
    """A piece of user-generated content. Unique per (author, idempotency key), so a replay
    finds it, and per (author, fingerprint of the normalized body), so an exact duplicate is
    refused even when two submissions race. `upvotes`, `downvotes` and `score` are recomputed
    from the votes under this row's lock; `points_awarded` is what the author holds for it
    (CONTENT and BONUS credits, less what a takedown reversed)."""

    id = fields.BigIntField(primary_key=True)
    author: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="contents", on_delete=fields.RESTRICT
    )
    author_id: str
    kind = fields.CharField(max_length=16)
    subject = fields.CharField(max_length=200, null=True)
    body = fields.TextField()
    fingerprint = fields.CharField(max_length=64)
    media_urls: fields.Field[Any] = fields.JSONField(default=list)
    status = fields.CharEnumField(ContentStatus, max_length=16, default=ContentStatus.PENDING)
    quality = fields.FloatField(default=0.0)
    score = fields.FloatField(default=0.0)
    upvotes = fields.IntField(default=0)
    downvotes = fields.IntField(default=0)
    points_awarded = fields.BigIntField(default=0)
    # The interaction of action `content.<kind>` approval recorded (its points are CONTENT).
    interaction_id = fields.BigIntField(null=True)
    bonus_awarded = fields.BooleanField(default=False)
    idempotency_key = fields.CharField(max_length=128)
    created_at = fields.DatetimeField()
    moderated_at = fields.DatetimeField(null=True)
    approved_at = fields.DatetimeField(null=True)
    rejection_reason = fields.CharField(max_length=32, null=True)

    class Meta:
        table = "content"
        unique_together = (("author", "idempotency_key"), ("author", "fingerprint"))
        indexes = (("status", "id"), ("author", "id"), ("subject", "status", "id"))


class ContentVote(Model):
    """One member's vote on one piece: unique, so concurrent votes replace, never add."""

    id = fields.BigIntField(primary_key=True)
    content: fields.ForeignKeyRelation[Content] = fields.ForeignKeyField(
        "models.Content", related_name="votes", on_delete=fields.CASCADE
    )
    content_id: int
    voter: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="votes", on_delete=fields.RESTRICT
    )
    voter_id: str
    value = fields.SmallIntField()
    voted_at = fields.DatetimeField()

    class Meta:
        table = "content_vote"
        unique_together = (("content", "voter"),)
