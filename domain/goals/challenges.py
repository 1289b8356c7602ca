"""Challenges: define them and enrol members (within the cap).

Progress lives on the member's `ChallengeParticipant` row as one small state per goal, advanced
by each fact that falls in the window (and after enrolment when that is required); nothing is
recounted from history. The award chain advances and completes them
(`domain.pipeline.chain.Chain.advance_challenges`). The participant cap is a conditional update
on the challenge's counter, so concurrent enrolments never exceed it. The challenge's
leaderboard (`challenge:<key>`) is an ordinary board whose score is the summed capped progress.

A repeating challenge (`recurrence` DAILY, WEEKLY or MONTHLY) keeps progress per round: a row per
(challenge, member, round), beside the member's series row (round "") that holds their enrolment
and place for every round; its board is a periodic board whose period key is the round. A hidden
challenge is counted like any other; the API shows it to a member once they completed it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from domain.errors import (
    DomainError,
    ErrorCode,
    invalid_input,
    not_found,
    reject_invalid,
    utc_instant,
)
from domain.goals import badges
from domain.goals.goal_actions import check_goal_actions
from domain.infra.db import find_by_key, param, transaction
from domain.members.members import enrol, lock_member
from domain.models import Challenge, ChallengeParticipant
from domain.program import audit, definitions
from gamification.challenges import (
    SERIES,
    ChallengeDefinition,
    ChallengeStatus,
    Recurrence,
    Window,
    status_of,
    validate_challenge,
)
from gamification.goals import (
    Goal,
    goals_from_json,
    initial_state,
)

log = logging.getLogger("plaudit.challenges")

OPEN_FOR_ENROLMENT = (ChallengeStatus.SCHEDULED, ChallengeStatus.ACTIVE)


def goals_of(challenge: Challenge) -> tuple[Goal, ...]:
    return goals_from_json(challenge.goals)


def window_of(challenge: Challenge) -> Window:
    return Window(challenge.starts_at, challenge.ends_at)


def status(challenge: Challenge, now: datetime | None = None) -> ChallengeStatus:
    return status_of(window_of(challenge), challenge.archived, now or datetime.now(UTC))


async def find(key: str, connection: BaseDBAsyncClient | None = None) -> Challenge | None:
    return await find_by_key(Challenge, key, connection)


def snapshot(challenge: Challenge) -> dict[str, Any]:
    return {
        "key": challenge.key,
        "name": challenge.name,
        "description": challenge.description,
        "startsAt": challenge.starts_at.isoformat(),
        "endsAt": challenge.ends_at.isoformat(),
        "goals": challenge.goals,
        "rewardPoints": challenge.reward_points,
        "rewardBadgeKey": challenge.reward_badge_key,
        "requiresEnrollment": challenge.requires_enrollment,
        "maxParticipants": challenge.max_participants,
        "archived": challenge.archived,
        "recurrence": challenge.recurrence,
        "hidden": challenge.hidden,
    }


async def upsert_challenge(
    actor: str,
    definition: ChallengeDefinition,
    *,
    description: str = "",
    reward_badge_key: str | None = None,
    requires_enrollment: bool = False,
    archived: bool = False,
    now: datetime | None = None,
) -> Challenge:
    """Create or redefine a challenge; audited. Once started, its goals, start and recurrence
    stay fixed (progress already counted against them, rounds already run); its end, rewards,
    texts and whether it is hidden may still change."""
    now = now or datetime.now(UTC)
    definition = replace(definition, requires_enrollment=requires_enrollment)
    # A window stored without an offset would fail every status check made of it, in the
    # award path too: checked (and put in UTC) before anything is read or written.
    definition = replace(
        definition,
        window=Window(
            utc_instant(definition.window.starts_at, "input", "startsAt"),
            utc_instant(definition.window.ends_at, "input", "endsAt"),
        ),
    )
    async with transaction() as connection:
        stored = await find(definition.key, connection)
        started = stored if stored is not None and stored.starts_at <= now else None
        reject_invalid(
            validate_challenge(definition, started_goals=goals_of(started) if started else None)
        )
        if started is not None and started.starts_at != definition.window.starts_at:
            raise invalid_input(
                "the start of a challenge that has started cannot change", "input", "startsAt"
            )
        if started is not None and started.recurrence != definition.recurrence.value:
            raise invalid_input(
                "the recurrence of a challenge that has started cannot change",
                "input",
                "recurrence",
            )
        await check_goal_actions(connection, definition.goals, "input", "goals")
        if reward_badge_key and await badges.find(reward_badge_key, connection) is None:
            raise not_found(f"no badge {reward_badge_key[:100]!r}", "input", "rewardBadgeKey")
        if len(description) > 2000:
            raise invalid_input("description is at most 2000 characters", "input", "description")
        values = {
            "name": definition.name.strip(),
            "description": description,
            "starts_at": definition.window.starts_at,
            "ends_at": definition.window.ends_at,
            "goals": [goal.as_json() for goal in definition.goals],
            "reward_points": definition.reward_points,
            "reward_badge_key": reward_badge_key or None,
            "requires_enrollment": requires_enrollment,
            "max_participants": definition.max_participants,
            "archived": archived,
            "recurrence": definition.recurrence.value,
            "hidden": definition.hidden,
        }
        challenge = await audit.upsert_by_key(
            connection,
            Challenge,
            definition.key,
            values,
            actor=actor,
            operation="upsertChallenge",
            snapshot=snapshot,
        )
        await definitions.changed(connection)
    return challenge


async def list_challenges(
    challenge_status: ChallengeStatus | None,
    now: datetime | None = None,
    *,
    include_hidden: bool = True,
    revealed: Collection[str] = (),
) -> list[Challenge]:
    """Soonest ending first; filtered on the status the clock gives them. Hidden challenges
    only when `include_hidden` (admins), or those in `revealed` (a member's completed ones)."""
    now = now or datetime.now(UTC)
    query = Challenge.all()
    if not include_hidden:
        query = query.filter(Q(hidden=False) | Q(key__in=sorted(revealed)))
    if challenge_status is ChallengeStatus.ARCHIVED:
        query = query.filter(archived=True)
    elif challenge_status is ChallengeStatus.SCHEDULED:
        query = query.filter(archived=False, starts_at__gt=now)
    elif challenge_status is ChallengeStatus.ACTIVE:
        query = query.filter(archived=False, starts_at__lte=now, ends_at__gt=now)
    elif challenge_status is ChallengeStatus.ENDED:
        query = query.filter(archived=False, ends_at__lte=now)
    return await query.order_by("ends_at", "key")


@dataclass(frozen=True)
class Enrollment:
    challenge: Challenge
    # The member's rows of the challenge: the series row first, then any rounds' rows.
    rows: list[ChallengeParticipant]
    already: bool  # the member was enrolled before this call


async def enroll(member_id: str, challenge_key: str, now: datetime | None = None) -> Enrollment:
    """Enrol the member (a scheduled or active challenge, within its cap).

    Errors: NOT_FOUND (also for a hidden challenge: members cannot see it, so cannot enrol),
    NOT_ACTIVE (ended or archived), CHALLENGE_FULL. Enrolling twice is not an error here:
    `already` says so, with the member's progress. Enrolling in a repeating challenge enrols
    the member in the series (its series row, which takes their place): every round from then
    on counts, each from 0.
    """
    now = now or datetime.now(UTC)
    await enrol(member_id)
    async with transaction() as connection:
        await lock_member(connection, member_id)
        challenge = await find(challenge_key, connection)
        if challenge is None or challenge.hidden:
            raise not_found(f"no challenge {challenge_key[:100]!r}", "challengeKey")
        rows = list(
            await ChallengeParticipant.filter(challenge_id=challenge.key, member_id=member_id)
            .using_db(connection)
            .order_by("round_key")
        )
        row = rows[0] if rows and rows[0].round_key == SERIES else None
        if row is not None and row.enrolled_at is not None:
            return Enrollment(challenge, rows, already=True)
        if status(challenge, now) not in OPEN_FOR_ENROLMENT:
            raise DomainError(ErrorCode.NOT_ACTIVE, "this challenge is not open for enrolment")
        if row is None:
            if not await _take_place(connection, challenge.key):
                raise DomainError(ErrorCode.CHALLENGE_FULL, "this challenge has no places left")
            challenge.participants += 1
            repeating = challenge.recurrence != Recurrence.NONE.value
            row = await ChallengeParticipant.create(
                challenge_id=challenge.key,
                member_id=member_id,
                round_key=SERIES,
                enrolled_at=now,
                # A series row holds no progress: each round's row does.
                progress=[] if repeating else [initial_state(g) for g in goals_of(challenge)],
                using_db=connection,
            )
            rows.insert(0, row)
        else:
            # Progress counted before enrolment (no enrolment required) stays.
            row.enrolled_at = now
            await row.save(using_db=connection, update_fields=["enrolled_at"])
    return Enrollment(challenge, rows, already=False)


async def _take_place(connection: BaseDBAsyncClient, challenge_key: str) -> bool:
    """Count one more participant if the cap allows: one conditional update, race-free."""
    sql = (
        "UPDATE challenge SET participants = participants + 1 "
        f"WHERE key = {param(1)} "
        "AND (max_participants IS NULL OR participants < max_participants) RETURNING key"
    )
    return bool(await connection.execute_query_dict(sql, [challenge_key]))
