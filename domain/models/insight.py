from typing import Any

from tortoise import fields
from tortoise.models import Model

from domain.models.members import Member


class MemberInsight(Model):
    """A member's RFM scores, segment and churn risk as of one refresh date: one row per member
    and date, so "who moved from LOYAL to AT_RISK this week" is one query over two dates."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="insights", on_delete=fields.RESTRICT
    )
    member_id: str
    as_of = fields.CharField(max_length=10)  # ISO date (program time zone): sorts as text
    recency = fields.IntField()
    frequency = fields.IntField()
    monetary = fields.BigIntField()
    r = fields.SmallIntField()
    f = fields.SmallIntField()
    m = fields.SmallIntField()
    segment = fields.CharField(max_length=24)
    # The member's BG/NBD history in weeks: repeat active days, first to last, first to as_of.
    repeat_days = fields.IntField()
    weeks_to_last = fields.FloatField()
    weeks_observed = fields.FloatField()
    # None when the population gave no fit (nobody came back yet).
    p_alive = fields.FloatField(null=True)
    churn_risk = fields.CharField(max_length=8, null=True)

    class Meta:
        table = "member_insight"
        unique_together = (("member", "as_of"),)
        indexes = (("as_of", "segment"), ("as_of", "churn_risk"))


class ChurnFit(Model):
    """The churn model (BG-NBD) fitted by maximum likelihood to every member's active days
    as of a date."""

    id = fields.BigIntField(primary_key=True)
    as_of = fields.CharField(max_length=10, unique=True)
    r = fields.FloatField()
    alpha = fields.FloatField()
    a = fields.FloatField()
    b = fields.FloatField()
    log_likelihood = fields.FloatField()
    members = fields.IntField()
    fitted_at = fields.DatetimeField()

    class Meta:
        table = "churn_fit"


class Campaign(Model):
    """A retention campaign: whom it targets, what it offers, when, and the holdout share."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=100, unique=True)
    name = fields.CharField(max_length=200)
    message = fields.CharField(max_length=500)
    # {"segments": [...], "churnRisks": [...], "tiers": [...]}: every non-empty list must match;
    # and "answers": [answer conditions] (`gamification.offers`), only when there are some.
    target: fields.Field[Any] = fields.JSONField()
    bonus_points = fields.BigIntField(default=0)
    badge_key = fields.CharField(max_length=100, null=True)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    holdout_percent = fields.IntField(default=10)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "campaign"


class CampaignMember(Model):
    """A targeted member's draw: treated (offered the bonus and message) or held out. Unique per
    campaign and member, so a campaign applies once per member however often the job runs."""

    id = fields.BigIntField(primary_key=True)
    campaign: fields.ForeignKeyRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="members", on_delete=fields.RESTRICT
    )
    campaign_id: int
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="campaigns", on_delete=fields.RESTRICT
    )
    member_id: str
    held_out = fields.BooleanField()
    decided_at = fields.DatetimeField()

    class Meta:
        table = "campaign_member"
        unique_together = (("campaign", "member"),)
        indexes = (("campaign", "held_out"),)
