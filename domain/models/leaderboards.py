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
