"""`LeaderboardVisibility`: how a member appears on leaderboards to others. The values are the
rules' (`gamification.leaderboards.Visibility`, what the boards read); this is their GraphQL face,
with the contract's descriptions."""

from __future__ import annotations

from enum import Enum

import strawberry

from gamification.leaderboards import Visibility


@strawberry.enum(name="LeaderboardVisibility")
class LeaderboardVisibility(Enum):
    PUBLIC = strawberry.enum_value(
        Visibility.PUBLIC.value, description="Shown with display name and avatar (the default)."
    )
    ANONYMOUS = strawberry.enum_value(
        Visibility.ANONYMOUS.value,
        description='Shown as an anonymous entry ("Member #<rank>"), no id, name or avatar.',
    )
    HIDDEN = strawberry.enum_value(
        Visibility.HIDDEN.value,
        description="Not shown on any board to others; the member still sees their own rank.",
    )

    @property
    def rule(self) -> Visibility:
        return Visibility(str(self.value))

    @classmethod
    def of(cls, visibility: Visibility) -> LeaderboardVisibility:
        return cls(visibility.value)
