from tortoise import fields
from tortoise.models import Model

# The ids of the anonymous rows an erasure leaves (`domain.privacy.erasure`): never a member's.
# Kept beside the model, so that every layer that reads member rows can tell them apart.
ERASED_PREFIX = "erased:"


class Member(Model):
    """A member of the program; `id` is the subject of their token (the brand's own user id).

    `balance` and `lifetime` are kept in step with the ledger inside the transaction that writes
    each entry; the ledger stays the record they can be recomputed from.
    """

    id = fields.CharField(primary_key=True, max_length=128)
    display_name = fields.CharField(max_length=100)
    avatar_url = fields.CharField(max_length=2048, null=True)
    joined_at = fields.DatetimeField(auto_now_add=True)
    balance = fields.BigIntField(default=0)
    lifetime = fields.BigIntField(default=0)
    # The member's tier state (see gamification.tiers.TierState); null key = the base tier.
    tier_key = fields.CharField(max_length=100, null=True)
    tier_since = fields.DatetimeField(null=True)
    tier_retain_until = fields.DatetimeField(null=True, db_index=True)
    # The code this member shares (gamification.referrals); set at enrolment, unique.
    referral_code = fields.CharField(max_length=32, null=True, unique=True)
    # Whole-history counters the REFERRALS_CONVERTED and CONTENT_APPROVED goals read, kept in
    # step, under the member's lock, with the referrals and content they count.
    referrals_converted = fields.IntField(default=0)
    content_approved = fields.IntField(default=0)
    # How the member appears on leaderboards to others (`gamification.leaderboards.Visibility`:
    # PUBLIC, ANONYMOUS or HIDDEN), their own choice. The truth the boards' profiles in Redis
    # are rebuilt from.
    leaderboard_visibility = fields.CharField(max_length=16, default="PUBLIC")

    class Meta:
        table = "member"
