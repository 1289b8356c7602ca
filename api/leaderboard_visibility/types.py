"""`LeaderboardVisibility`: how a member appears on leaderboards to others (the enum lives in
`gamification.leaderboards`, where the boards' rules read it)."""

from __future__ import annotations

import strawberry

from gamification.leaderboards import Visibility

LeaderboardVisibility = strawberry.enum(
    Visibility,
    name="LeaderboardVisibility",
    description="How a member appears on leaderboards to others. PUBLIC: with display name "
    'and avatar (the default). ANONYMOUS: as an anonymous entry ("Member #<rank>"), no id, '
    "name or avatar. HIDDEN: not shown on any board to others; the member still sees their "
    "own rank.",
)
