from __future__ import annotations

from datetime import datetime

import strawberry

from gamification.tiers import TierRule


@strawberry.type(
    description="A level of the program. Members qualify by points credited within the "
    "qualifying window."
)
class Tier:
    key: str
    name: str
    threshold: int = strawberry.field(
        description="Qualifying points needed to reach this tier. The lowest tier has threshold 0."
    )
    multiplier: float = strawberry.field(
        description="Applied to action points earned while in this tier (rounded down), e.g. 1.5."
    )
    benefits: list[str]
    archived: bool = strawberry.field(
        default=False, description="Archived tiers are off the ladder; members keep history."
    )

    @classmethod
    def from_rule(cls, rule: TierRule) -> Tier:
        return cls(
            key=rule.key,
            name=rule.name,
            threshold=rule.threshold,
            multiplier=rule.multiplier,
            benefits=list(rule.benefits),
            archived=rule.archived,
        )


@strawberry.type
class TierStatus:
    current: Tier
    next: Tier | None = strawberry.field(description="Null at the top tier.")
    qualifying_points: int = strawberry.field(
        description="Points credited within the qualifying window (the program's rolling "
        "window, 365 days unless configured)."
    )
    points_to_next: int | None = strawberry.field(
        description="Qualifying points still needed for `next`; null at the top tier."
    )
    since: datetime = strawberry.field(description="When the current tier was reached.")
    retain_until: datetime | None = strawberry.field(
        description="The date on which the current tier is next re-evaluated for a downgrade; "
        "null for the lowest tier."
    )
