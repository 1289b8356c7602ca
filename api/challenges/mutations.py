from __future__ import annotations

from datetime import datetime

import strawberry

from api.atomic import Atomic
from api.auth import Role
from api.challenges.types import Challenge, ChallengeProgress, Recurrence
from api.context import Info
from api.errors import UserError
from api.goals.types import GoalInput, goals_from_input
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer
from domain.errors import ErrorCode
from domain.goals import challenges
from domain.goals.progress import ChallengeRows
from gamification.challenges import ChallengeDefinition, Window
from gamification.challenges import Recurrence as RecurrenceRule


@strawberry.input
class UpsertChallengeInput:
    key: str
    name: str
    description: str | None = ""
    starts_at: datetime
    ends_at: datetime
    goals: list[GoalInput]
    reward_points: int | None = 0
    reward_badge_key: str | None = None
    requires_enrollment: bool | None = False
    max_participants: int | None = None
    archived: bool | None = strawberry.field(
        default=False,
        description="Takes the challenge out of play (status ARCHIVED): no enrolment, no more "
        "progress. Challenges are never deleted; upsert with false to bring one back.",
    )
    recurrence: Recurrence | None = strawberry.field(  # type: ignore[valid-type]
        default=RecurrenceRule.NONE,
        description="DAILY, WEEKLY or MONTHLY: a fresh round each period (program time zone), "
        "inside [startsAt, endsAt). Fixed once the challenge has started.",
    )
    hidden: bool | None = strawberry.field(
        default=False,
        description="Invisible to members until they complete it. Cannot require enrolment.",
    )


@strawberry.type
class ChallengePayload:
    challenge: Challenge | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EnrollPayload:
    progress: ChallengeProgress | None = None
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Errors: NOT_FOUND, NOT_ACTIVE, CHALLENGE_FULL, ALREADY_ENROLLED (with "
        "progress still returned).",
    )


@strawberry.type
class ChallengeMutations:
    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="Goals of a challenge that has started may not be changed (INVALID_INPUT).",
    )
    async def upsert_challenge(self, info: Info, input: UpsertChallengeInput) -> ChallengePayload:
        viewer = checked_viewer(info)
        definition = ChallengeDefinition(
            key=input.key,
            name=input.name,
            window=Window(input.starts_at, input.ends_at),
            goals=goals_from_input(input.goals),
            reward_points=input.reward_points or 0,
            max_participants=input.max_participants,
            recurrence=RecurrenceRule(input.recurrence or RecurrenceRule.NONE),
            hidden=bool(input.hidden),
        )
        challenge = await challenges.upsert_challenge(
            viewer.subject,
            definition,
            description=input.description or "",
            reward_badge_key=input.reward_badge_key or None,
            requires_enrollment=bool(input.requires_enrollment),
            archived=bool(input.archived),
        )
        return ChallengePayload(challenge=Challenge.from_model(challenge))

    @strawberry.mutation(
        extensions=[UserErrors(), Requires(Role.MEMBER)],
        description="Open while the challenge is SCHEDULED or ACTIVE; within `maxParticipants` "
        "even under concurrent enrolments.",
    )
    async def enroll_in_challenge(self, info: Info, challenge_key: str) -> EnrollPayload:
        viewer = checked_viewer(info)
        enrollment = await challenges.enroll(viewer.subject, challenge_key)
        rows = ChallengeRows(enrollment.challenge, enrollment.rows)
        progress = ChallengeProgress.from_participation(
            rows.at(info.context.now, info.context.runtime.settings.tz)
        )
        if enrollment.already:
            already = UserError(
                code=ErrorCode.ALREADY_ENROLLED,
                message="you are already enrolled in this challenge",
                field=["challengeKey"],
            )
            return EnrollPayload(progress=progress, errors=[already])
        return EnrollPayload(progress=progress)
