from __future__ import annotations

from datetime import date

import strawberry

from domain.goals.progress import StreakStanding


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

    @classmethod
    def from_standing(cls, standing: StreakStanding, today: date) -> Streak:
        streak = standing.streak
        last = streak.last_active_on
        return cls(
            action=standing.action,
            current=streak.current(today),
            longest=streak.longest,
            last_active_on=last.isoformat() if last else None,
        )
