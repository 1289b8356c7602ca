from __future__ import annotations

import strawberry

from api.int_bounds import as_graphql_int
from domain.models import Partner as PartnerModel


@strawberry.type(
    description="A partner (retailer, co-brand, service) that may award points to members for "
    "its own actions, within a monthly budget."
)
class Partner:
    key: str
    name: str
    actions: list[str] = strawberry.field(
        description="Actions this partner may record; anything else is FORBIDDEN."
    )
    monthly_budget: int | None = strawberry.field(
        description="Points it may award per calendar month (program time zone); null = "
        "unlimited. Over it, interactions are REJECTED with reason PARTNER_BUDGET."
    )
    awarded_this_month: int = strawberry.field(
        description="Points awarded through this partner this month."
    )
    active: bool

    @classmethod
    def from_model(cls, partner: PartnerModel, awarded: int) -> Partner:
        """`awarded`: the partner's total for the current month, read with the others'."""
        budget = partner.monthly_budget
        return cls(
            key=partner.key,
            name=partner.name,
            actions=[str(action) for action in partner.actions or []],
            monthly_budget=None if budget is None else int(budget),
            awarded_this_month=as_graphql_int(awarded, f"partner {partner.key}'s monthly total"),
            active=partner.active,
        )
