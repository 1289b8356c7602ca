"""The GraphQL face of referrals: a member's `ReferralStatus` and the `ReferralProgram`."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.int_bounds import as_graphql_int
from api.members.public import PublicMember, public_member
from domain.community.referrals import ReferralStanding
from gamification.referrals import ReferralRules


@strawberry.type(description="A member's side of the referral program.")
class ReferralStatus:
    code: str = strawberry.field(
        description="The member's own code to share: 8+ characters from an unambiguous "
        "alphabet (no 0/O, 1/I/L)."
    )
    invited: int = strawberry.field(description="Members who applied this member's code.")
    converted: int = strawberry.field(description="Of those, members who converted.")
    points_earned: int = strawberry.field(description="Points this member earned from referrals.")
    _referrer_id: strawberry.Private[str | None]

    @classmethod
    def of(cls, standing: ReferralStanding) -> ReferralStatus:
        return cls(
            code=standing.code,
            invited=standing.invited,
            converted=standing.converted,
            points_earned=as_graphql_int(standing.points_earned, "referral points"),
            _referrer_id=standing.referrer_id,
        )

    @strawberry.field(description="Who referred this member, when anyone did.")
    async def referred_by(self, info: Info) -> PublicMember | None:
        if self._referrer_id is None:
            return None
        return await public_member(info, self._referrer_id)


@strawberry.type(description="The program's referral rules (ADMIN may change them).")
class ReferralProgram:
    referrer_points: int = strawberry.field(
        description="Points to the referrer when a referee converts."
    )
    referee_points: int = strawberry.field(description="Points to the referee when they convert.")
    conversion_action: str = strawberry.field(
        description="The referee converts on their first AWARDED interaction of this action "
        "(empty until an admin sets it: nothing converts before)."
    )
    apply_within_days: int = strawberry.field(
        description="A code can only be applied within this many days of the referee joining."
    )
    monthly_cap: int | None = strawberry.field(
        description="Most conversions rewarded per referrer per calendar month; null = unlimited."
    )

    @classmethod
    def of(cls, rules: ReferralRules) -> ReferralProgram:
        return cls(
            referrer_points=rules.referrer_points,
            referee_points=rules.referee_points,
            conversion_action=rules.conversion_action,
            apply_within_days=rules.apply_within_days,
            monthly_cap=rules.monthly_cap,
        )
