from __future__ import annotations

import strawberry

from api.auth import Role
from api.context import Info
from api.partners.types import Partner
from api.permissions import Requires
from domain.models import Partner as PartnerModel
from domain.partners import partners


async def partners_with_totals(info: Info, rows: list[PartnerModel]) -> list[Partner]:
    """`rows` as GraphQL partners, with this month's totals read for all of them at once."""
    month = partners.current_month(info.context.now, info.context.runtime.settings.tz)
    totals = await partners.awarded_in(month, [row.key for row in rows])
    return [Partner.from_model(row, totals[row.key]) for row in rows]


@strawberry.type
class PartnerQueries:
    @strawberry.field(extensions=[Requires(Role.ADMIN)])
    async def partners(self, info: Info) -> list[Partner]:
        return await partners_with_totals(info, await partners.list_partners())
