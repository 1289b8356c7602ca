from typing import Any

from tortoise import fields
from tortoise.models import Model

from domain.models.members import Member


class LeaderboardScore(Model):
    """A member's score on one board in one period: the truth the Redis boards are rebuilt from.

    `reached_at` is when the member reached this score; it breaks ties (earlier ranks higher).
    """

    id = fields.BigIntField(primary_key=True)
    board = fields.CharField(max_length=100)
    period = fields.CharField(max_length=16)
    period_key = fields.CharField(max_length=32)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="scores", on_delete=fields.RESTRICT
    )
    member_id: str
    score = fields.BigIntField(default=0)
    reached_at = fields.DatetimeField()

    class Meta:
        table = "leaderboard_score"
        unique_together = (("board", "period", "period_key", "member"),)


class LeaderboardArchive(Model):
    """One closed period's final top entries, written once when the period ends: unique per
    (board, period, period_key), so workers racing to archive it store one copy."""

    id = fields.BigIntField(primary_key=True)
    board = fields.CharField(max_length=100)
    period = fields.CharField(max_length=16)
    period_key = fields.CharField(max_length=32)
    period_start = fields.DatetimeField()
    period_end = fields.DatetimeField()
    # [{"rank": 1, "memberId": "...", "score": 120}, ...], best first.
    entries: fields.Field[Any] = fields.JSONField()
    archived_at = fields.DatetimeField()

    class Meta:
        table = "leaderboard_archive"
        unique_together = (("board", "period", "period_key"),)
        indexes = (("board", "period", "period_end"),)
