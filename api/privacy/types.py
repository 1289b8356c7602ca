from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from api.errors import UserError
from domain.privacy.export import MemberExport as Export


@strawberry.type(
    description="Everything Plaudit holds about one member, as JSON documents a person can read."
)
class MemberExport:
    member_id: strawberry.ID
    generated_at: datetime
    data: JSON = strawberry.field(
        description=(
            "Profile, interactions, ledger, redemptions, badges, challenges, streaks, referrals, "
            "content, votes, member events, insight rows: one key per kind."
        )
    )

    @classmethod
    def from_export(cls, export: Export) -> MemberExport:
        return cls(
            member_id=strawberry.ID(export.member_id),
            generated_at=export.generated_at,
            data=cast(JSON, export.data),
        )


@strawberry.type
class EraseMemberPayload:
    erased: bool = strawberry.field(
        default=False,
        description=(
            "True once every personal datum of the member is gone (also when it already was)."
        ),
    )
    errors: list[UserError] = strawberry.field(default_factory=list)
