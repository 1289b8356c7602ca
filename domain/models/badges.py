from typing import Any

from tortoise import fields
from tortoise.models import Model

from domain.models.members import Member


class Badge(Model):
    """An admin-defined badge. `goals` is a list of {metric, action, target} (see
    `gamification.goals.Goal`); `domain.program.definitions` indexes them for evaluation.
    `levels` lists the levels above the badge's own goals (level 1), in order: each
    {name, goals, rewardPoints} (see `gamification.badges.BadgeLevelDefinition`)."""

    key = fields.CharField(primary_key=True, max_length=100)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    image_url = fields.CharField(max_length=2048, null=True)
    secret = fields.BooleanField(default=False)
    goals: fields.Field[Any] = fields.JSONField(default=list)
    reward_points = fields.IntField(default=0)
    levels: fields.Field[Any] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "badge"


class MemberBadge(Model):
    """A badge a member earned; (member, badge) is unique, so a badge is earned once."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="badges", on_delete=fields.RESTRICT
    )
    member_id: str
    badge: fields.ForeignKeyRelation[Badge] = fields.ForeignKeyField(
        "models.Badge", related_name="earners", on_delete=fields.RESTRICT
    )
    badge_id: str
    earned_at = fields.DatetimeField()
    # What earned it: "goals", "admin:<subject>" or "challenge:<key>".
    source = fields.CharField(max_length=200)
    # The highest level of the badge the member holds: 1 once earned, then 2, 3... as they
    # meet the badge's levels in order (each credited once, by its own ledger source key).
    level = fields.IntField(default=1)

    class Meta:
        table = "member_badge"
        unique_together = (("member", "badge"),)
