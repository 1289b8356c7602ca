from typing import Any

from tortoise import fields
from tortoise.models import Model

from domain.models.members import Member


class Challenge(Model):
    """A time-boxed challenge over [starts_at, ends_at). `participants` and `completions` are
    counters moved by conditional updates, which is what enforces `max_participants`."""

    key = fields.CharField(primary_key=True, max_length=100)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    starts_at = fields.DatetimeField(db_index=True)
    ends_at = fields.DatetimeField(db_index=True)
    goals: fields.Field[Any] = fields.JSONField(default=list)
    reward_points = fields.IntField(default=0)
    reward_badge_key = fields.CharField(max_length=100, null=True)
    requires_enrollment = fields.BooleanField(default=False)
    max_participants = fields.IntField(null=True)
    archived = fields.BooleanField(default=False)
    # NONE, DAILY, WEEKLY or MONTHLY (`gamification.challenges.Recurrence`): a repeating
    # challenge opens a fresh round each period of the program time zone.
    recurrence = fields.CharField(max_length=10, default="NONE")
    # Invisible to members until they complete it (admins see it).
    hidden = fields.BooleanField(default=False)
    participants = fields.IntField(default=0)
    completions = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "challenge"


class ChallengeParticipant(Model):
    """A member's place in a challenge: enrolment, progress per goal (see
    `gamification.goals.GoalState`), the summed capped score and completion.

    `round_key` is "" (`gamification.challenges.SERIES`) for a non-repeating challenge's one
    row. A repeating challenge has a series row ("": the member's enrolment and place, which
    hold for every round; no progress) and one row per round the member took part in (the
    round's key, e.g. "2026-W50"): progress starts at 0 each round, completion is per round.

    The row is also the member's entry on the challenge's board (the round's, for a repeating
    one): its score and `reached_at` are what the board is rebuilt, verified and archived from."""

    id = fields.BigIntField(primary_key=True)
    challenge: fields.ForeignKeyRelation[Challenge] = fields.ForeignKeyField(
        "models.Challenge", related_name="participant_rows", on_delete=fields.RESTRICT
    )
    challenge_id: str
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="challenges", on_delete=fields.RESTRICT
    )
    member_id: str
    enrolled_at = fields.DatetimeField(null=True)
    progress: fields.Field[Any] = fields.JSONField(default=list)
    score = fields.IntField(default=0)
    completed_at = fields.DatetimeField(null=True)
    round_key = fields.CharField(max_length=20, default="")
    # When `score` last moved (None while it is 0): the tie-break of the challenge's board, whose
    # truth this row is (`domain.leaderboards.sources`; no `leaderboard_score` row repeats it).
    reached_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "challenge_participant"
        unique_together = (("challenge", "member", "round_key"),)
        indexes = (("member", "challenge", "round_key"),)
