from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from api.badges.types import Badge
from api.badges.visibility import may_see
from api.context import Info
from api.goals.types import Goal, GoalProgress
from domain.goals import challenges
from domain.goals.progress import Participation
from domain.models import Challenge as ChallengeModel
from gamification.challenges import Recurrence as RecurrenceRule


@strawberry.enum(name="ChallengeStatus")
class ChallengeStatus(Enum):
    SCHEDULED = strawberry.enum_value(
        "SCHEDULED", description="Defined, not yet open (startsAt in the future)."
    )
    ACTIVE = "ACTIVE"
    ENDED = "ENDED"
    ARCHIVED = "ARCHIVED"


Recurrence = strawberry.enum(RecurrenceRule, name="Recurrence")


@strawberry.type
class Challenge:
    key: str
    name: str
    description: str
    starts_at: datetime
    ends_at: datetime
    goals: list[Goal] = strawberry.field(
        description="All goals must be completed, within [startsAt, endsAt)."
    )
    reward_points: int
    requires_enrollment: bool = strawberry.field(
        description="When true only interactions after the member enrols count."
    )
    max_participants: int | None = strawberry.field(
        description="Null = unlimited. Enrolment beyond it fails with CHALLENGE_FULL."
    )
    participants: int = strawberry.field(
        description="Members taking part (in any round of a repeating challenge)."
    )
    completions: int = strawberry.field(
        description="Completions, every round of a repeating challenge counted."
    )
    recurrence: Recurrence = strawberry.field(  # type: ignore[valid-type]
        description="A repeating challenge opens a fresh round each period (program time "
        "zone); progress starts at 0 each round."
    )
    hidden: bool = strawberry.field(
        description="A hidden challenge is invisible to members until they complete it (then "
        "it shows as completed)."
    )
    _model: strawberry.Private[ChallengeModel]

    @classmethod
    def from_model(cls, challenge: ChallengeModel) -> Challenge:
        return cls(
            key=challenge.key,
            name=challenge.name,
            description=challenge.description,
            starts_at=challenge.starts_at,
            ends_at=challenge.ends_at,
            goals=[Goal.from_rule(goal) for goal in challenges.goals_of(challenge)],
            reward_points=challenge.reward_points,
            requires_enrollment=challenge.requires_enrollment,
            max_participants=challenge.max_participants,
            participants=challenge.participants,
            completions=challenge.completions,
            recurrence=RecurrenceRule(challenge.recurrence),
            hidden=challenge.hidden,
            _model=challenge,
        )

    @strawberry.field(description="On the clock: SCHEDULED, ACTIVE, ENDED, or ARCHIVED by admin.")
    def status(self, info: Info) -> ChallengeStatus:
        return ChallengeStatus[challenges.status(self._model, info.context.now).name]

    @strawberry.field(
        description="Earned on completion, besides `rewardPoints`. Null for a secret badge "
        "the caller has not earned (admins see it)."
    )
    async def reward_badge(self, info: Info) -> Badge | None:
        key = self._model.reward_badge_key
        if not key:
            return None
        badge = await info.context.badges.by_key.load(key)
        if badge is None or not await may_see(info, badge):
            return None  # a secret badge stays hidden from those who may not see it
        return Badge.of_catalog(badge)


@strawberry.type
class ChallengeProgress:
    challenge: Challenge
    enrolled: bool
    enrolled_at: datetime | None
    progress: list[GoalProgress]
    completed: bool
    completed_at: datetime | None

    @classmethod
    def from_participation(cls, participation: Participation) -> ChallengeProgress:
        return cls(
            challenge=Challenge.from_model(participation.challenge),
            enrolled=participation.enrolled_at is not None,
            enrolled_at=participation.enrolled_at,
            progress=[GoalProgress.from_rule(p) for p in participation.progress],
            completed=participation.completed,
            completed_at=participation.completed_at,
        )
