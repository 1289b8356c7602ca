from __future__ import annotations

import strawberry

from api.referrals.types import ReferralProgram
from domain.community import referrals


@strawberry.type
class ReferralQueries:
    @strawberry.field(description="The program's referral rules; anyone may read them.")
    async def referral_program(self) -> ReferralProgram:
        return ReferralProgram.of(await referrals.rules())
