"""Admin mutations of streak freezes. Their contract answers the changed object itself, not a
payload with `errors`: a refusal (INVALID_INPUT, NOT_FOUND) is a GraphQL error carrying its code
in `extensions.code`, as a query's is (`UserErrors`), and nothing is changed (`Atomic`)."""

from __future__ import annotations

import strawberry

from api.atomic import Atomic
from api.auth import Role
from api.context import Info
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer
from api.streaks.types import Streak, StreakFreezePolicy, StreakFreezePolicyInput
from domain.goals.progress import StreakStanding
from domain.streaks import freezes
from gamification.periods import local_date
from gamification.streaks import FreezePolicy


@strawberry.type
class StreakMutations:
    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="Audited. Members keep freezes held above a lowered `maxHeld`.",
    )
    async def set_streak_freeze_policy(
        self, info: Info, input: StreakFreezePolicyInput
    ) -> StreakFreezePolicy:
        viewer = checked_viewer(info)
        wanted = FreezePolicy(input.earn_every_days, input.max_held)
        policy = await freezes.set_policy(viewer.subject, wanted)
        return StreakFreezePolicy.of(policy)

    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="Grant freezes by hand (capped at maxHeld). Audited. count > 0 and a known "
        "member, or INVALID_INPUT / NOT_FOUND with nothing changed. Returns the member's "
        "any-action streak.",
    )
    async def grant_streak_freezes(
        self, info: Info, member_id: strawberry.ID, count: int
    ) -> Streak:
        viewer = checked_viewer(info)
        context = info.context
        tz = context.runtime.settings.tz
        streak = await freezes.grant_freezes(viewer.subject, str(member_id), count, context.now, tz)
        return Streak.from_standing(StreakStanding(None, streak), local_date(context.now, tz))
