from tortoise import fields
from tortoise.models import Model

from domain.models.members import Member


class ReferralProgramRules(Model):
    """The program's referral rules: one row (id 1), changed by `updateReferralProgram`."""

    id = fields.IntField(primary_key=True)
    referrer_points = fields.IntField(default=100)
    referee_points = fields.IntField(default=50)
    # The referee converts on their first AWARDED interaction of this action.
    conversion_action = fields.CharField(max_length=100, default="")
    apply_within_days = fields.IntField(default=30)
    monthly_cap = fields.IntField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "referral_program"


class Referral(Model):
    """`referee` was referred by `referrer`. The referee is the primary key: a member has at
    most one referrer, whatever races. `converted_at` is set once, by the award pipeline, in the
    transaction that credits the conversion; `referrer_rewarded` is false when the referrer's
    monthly cap left them without points for it."""

    referee: fields.OneToOneRelation[Member] = fields.OneToOneField(
        "models.Member", related_name="referral", on_delete=fields.RESTRICT, primary_key=True
    )
    referee_id: str
    referrer: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="referred", on_delete=fields.RESTRICT
    )
    referrer_id: str
    created_at = fields.DatetimeField()
    converted_at = fields.DatetimeField(null=True)
    referrer_rewarded = fields.BooleanField(default=False)
    referrer_points = fields.BigIntField(default=0)
    referee_points = fields.BigIntField(default=0)

    class Meta:
        table = "referral"
        indexes = (("referrer", "converted_at"),)


class MemberAttempt(Model):
    """One counted attempt of a member at something limited per hour (failed referral codes,
    content submissions, votes): the rate limits of the community features count these rows
    in the database, under the member's lock, so the count is exact and time is injectable.
    Rows older than a day are pruned by the nightly job."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="attempts", on_delete=fields.RESTRICT
    )
    member_id: str
    kind = fields.CharField(max_length=32)
    at = fields.DatetimeField()

    class Meta:
        table = "member_attempt"
        indexes = (("member", "kind", "at"), ("at",))
