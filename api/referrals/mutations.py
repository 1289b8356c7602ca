from __future__ import annotations

from typing import Any

import strawberry

from api.atomic import Atomic
from api.auth import Role
from api.context import Info
from api.errors import UserError
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer
from api.referrals.types import ReferralProgram, ReferralStatus
from domain.community import referrals
from domain.members.members import enrol
from domain.models import Member


@strawberry.input
class UpdateReferralProgramInput:
    """Fields left out keep their value; `monthlyCap: null` lifts the cap."""

    referrer_points: int | None = strawberry.UNSET
    referee_points: int | None = strawberry.UNSET
    conversion_action: str | None = strawberry.UNSET
    apply_within_days: int | None = strawberry.UNSET
    monthly_cap: int | None = strawberry.UNSET


@strawberry.type
class ReferralProgramPayload:
    program: ReferralProgram | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ApplyReferralPayload:
    referral: ReferralStatus | None = None
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Errors: NOT_FOUND, SELF_REFERRAL, ALREADY_REFERRED, TOO_LATE, "
        "REFERRAL_CYCLE (the code's owner was referred, directly or through a chain, by the "
        "viewer), RATE_LIMITED (too many failed attempts; says nothing about whether the code "
        "exists).",
    )


# Input fields that may not be null when given (only monthlyCap's null means something).
_REQUIRED_WHEN_GIVEN = (
    "referrer_points",
    "referee_points",
    "conversion_action",
    "apply_within_days",
)


def _changes(input: UpdateReferralProgramInput) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in (*_REQUIRED_WHEN_GIVEN, "monthly_cap"):
        value = getattr(input, name)
        if value is strawberry.UNSET:
            continue
        if value is None and name in _REQUIRED_WHEN_GIVEN:
            continue  # null means "leave it": the contract types these fields nullable
        changes[name] = value
    return changes


@strawberry.type
class ReferralMutations:
    @strawberry.mutation(
        extensions=[UserErrors(), Requires(Role.MEMBER)],
        description="Attaches the viewer to the referrer who owns `code`. Applying the code of "
        "one's referrer again changes nothing.",
    )
    async def apply_referral_code(self, info: Info, code: str) -> ApplyReferralPayload:
        viewer = checked_viewer(info)
        await enrol(viewer.subject)
        await referrals.apply_code(viewer.subject, code)
        member = await Member.get(id=viewer.subject)
        standing = await info.context.referrals.standings.load(member)
        return ApplyReferralPayload(referral=ReferralStatus.of(standing))

    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="Audited. Fields left out keep their value; `monthlyCap: null` lifts the cap.",
    )
    async def update_referral_program(
        self, info: Info, input: UpdateReferralProgramInput
    ) -> ReferralProgramPayload:
        viewer = checked_viewer(info)
        rules = await referrals.update_rules(viewer.subject, _changes(input))
        return ReferralProgramPayload(program=ReferralProgram.of(rules))
