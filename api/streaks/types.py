from __future__ import annotations

from datetime import date

import strawberry

from api.plain_values import plain
from domain.goals.progress import StreakStanding
from gamification.streaks import FreezePolicy


@plain
@strawberry.type
class Streak:
    action: str | None = strawberry.field(description="Null = any action.")
    current: int = strawberry.field(
        description="Consecutive days up to today or yesterday (program time zone); 0 when broken."
    )
    longest: int
    last_active_on: str | None = strawberry.field(
        description="The last active day (program time zone), as an ISO date."
    )
    freezes: int = strawberry.field(
        description="Freezes the member holds: a missed day uses one automatically instead of "
        "breaking the streak."
    )

    @classmethod
    def from_standing(cls, standing: StreakStanding, today: date) -> Streak:
        streak = standing.streak
        last = streak.last_active_on
        return cls(
            action=standing.action,
            current=streak.current(today),
            longest=streak.longest,
            last_active_on=last.isoformat() if last else None,
            # The freezes the days missed up to today have used are gone (only the any-action
            # streak holds any).
            freezes=streak.freezes_left(today),
        )


@strawberry.type
class StreakFreezePolicy:
    earn_every_days: int = strawberry.field(
        description="Freezes granted for each N days of streak (0 = none earned)."
    )
    max_held: int = strawberry.field(description="Most a member may hold.")

    @classmethod
    def of(cls, policy: FreezePolicy) -> StreakFreezePolicy:
        return cls(earn_every_days=policy.earn_every_days, max_held=policy.max_held)


@strawberry.input
class StreakFreezePolicyInput:
    earn_every_days: int
    max_held: int
