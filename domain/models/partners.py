from typing import Any

from tortoise import fields
from tortoise.models import Model


class Partner(Model):
    """A channel partner that records its own actions with a partner-scoped SERVICE token.
    Redefinitions are kept in the audit log."""

    key = fields.CharField(primary_key=True, max_length=100)
    name = fields.CharField(max_length=200)
    # The action keys it may record, in the order the admin gave them.
    actions: fields.Field[Any] = fields.JSONField(default=list)
    monthly_budget = fields.BigIntField(null=True)  # points per calendar month; null: unlimited
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "partner"


class PartnerBudget(Model):
    """The points a partner awarded in one calendar month (program time zone, `YYYY-MM`).

    The award pipeline locks this row (`domain.pipeline.budgets`) before deciding a batch's
    interactions of the partner, so concurrent batches decide against the same exact total and
    never overspend; `awarded` equals the sum of the partner's ledger entries of the month.
    """

    id = fields.CharField(primary_key=True, max_length=120)  # "<partner>/<YYYY-MM>"
    partner_key = fields.CharField(max_length=100)
    month = fields.CharField(max_length=7)
    awarded = fields.BigIntField(default=0)

    class Meta:
        table = "partner_budget"
