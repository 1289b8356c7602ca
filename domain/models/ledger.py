from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from domain.models.members import Member


class LedgerReason(StrEnum):
    ACTION = "ACTION"
    CHALLENGE = "CHALLENGE"
    BADGE = "BADGE"
    REFERRAL = "REFERRAL"
    CONTENT = "CONTENT"
    REDEMPTION = "REDEMPTION"
    ADJUSTMENT = "ADJUSTMENT"
    BONUS = "BONUS"
    EXPIRY = "EXPIRY"
    REVERSAL = "REVERSAL"


class LedgerEntry(Model):
    """One line of the append-only points ledger.

    `source_key` names what caused the entry (e.g. `interaction:42`); its uniqueness is what makes
    every award idempotent. `effective_at` is when the cause happened (an interaction's
    occurredAt), which decides the calendar periods the entry counts toward; on leaderboards,
    a period that had closed by `created_at` gives way to the one current then
    (`gamification.leaderboards.boards_moved_by`).
    """

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="ledger", on_delete=fields.RESTRICT
    )
    member_id: str
    amount = fields.BigIntField()
    reason = fields.CharEnumField(LedgerReason, max_length=16)
    description = fields.CharField(max_length=500, default="")
    balance_after = fields.BigIntField()
    source_key = fields.CharField(max_length=200, unique=True)
    effective_at = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)
    # The partner an interaction's credit was awarded through (it counts against the partner's
    # budget for the month of `effective_at`); null for every other entry.
    partner_key = fields.CharField(max_length=100, null=True)

    class Meta:
        table = "ledger_entry"
        indexes = (("member", "id"),)
