from tortoise import fields
from tortoise.models import Model

from domain.models.members import Member

ANY_ACTION = ""  # the action_key of rows that count every action together


class ActivityDay(Model):
    """How many awarded interactions a member had on one calendar day (program time zone), per
    action and for any action (`action_key` ""). The first interaction of a day inserts the row,
    which is how a new active day is recognised, in or out of order."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="activity_days", on_delete=fields.RESTRICT
    )
    member_id: str
    action_key = fields.CharField(max_length=100)
    day = fields.CharField(max_length=10)  # ISO date: sorts and compares as text
    count = fields.IntField(default=0)

    class Meta:
        table = "activity_day"
        unique_together = (("member", "action_key", "day"),)


class ActivityStats(Model):
    """A member's running totals per action (and for any action, `action_key` ""): what badge
    goals and streaks read, so progress never scans history. Updated in the transaction that
    awards the interaction, under the member's lock."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="activity_stats", on_delete=fields.RESTRICT
    )
    member_id: str
    action_key = fields.CharField(max_length=100)
    interactions = fields.BigIntField(default=0)
    active_days = fields.IntField(default=0)
    # The run of consecutive active days that ends on `last_active_on`, and the longest run.
    streak_run = fields.IntField(default=0)
    streak_longest = fields.IntField(default=0)
    last_active_on = fields.CharField(max_length=10, null=True)
    # Streak freezes held (the any-action row only), as of `last_active_on` plus grants since:
    # the missed days after it use them lazily (`gamification.streaks`), and the next active
    # day stores the ones used as `StreakFrozenDay` rows.
    streak_freezes = fields.IntField(default=0)

    class Meta:
        table = "activity_stats"
        unique_together = (("member", "action_key"),)


class StreakFrozenDay(Model):
    """A missed day a streak freeze covered (the member's any-action streak): written with the
    active day that ended the gap (or by an admin's grant that found the streak broken), so a
    streak rebuilt from its days keeps the runs freezes bridged."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="frozen_days", on_delete=fields.RESTRICT
    )
    member_id: str
    day = fields.CharField(max_length=10)  # ISO date, program time zone
    created_at = fields.DatetimeField()

    class Meta:
        table = "streak_frozen_day"
        unique_together = (("member", "day"),)


class StreakFreezeRules(Model):
    """The program's streak freeze policy: one row (id 1), changed by `setStreakFreezePolicy`;
    none = no freezes earned."""

    id = fields.IntField(primary_key=True)
    earn_every_days = fields.IntField(default=0)
    max_held = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "streak_freeze_policy"
