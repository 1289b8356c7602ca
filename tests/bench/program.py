"""The gamification program the ingestion benchmark runs under: 50 badges and 10 active
challenges, all moved by the benchmark's action, so every interaction goes through the goals
engine (counters, badge checks, challenge progress and boards) as a busy program would.

Two shapes: by default the targets climb the way a real program's do (1, 5, 10, 25… actions), so
a member with a handful of interactions earns a badge or two and completes no challenge: the
cost measured is evaluating goals. `award_heavy` puts half the targets within a few
interactions, so every interaction also earns about five badges (each a ledger credit, an event
and board scores) and completes a challenge now and then: the cost of awarding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.bench.graphql import call, token
from tests.helpers import UPSERT_ACTION, action_input

UPSERT_BADGE = """
mutation B($input: UpsertBadgeInput!) { upsertBadge(input: $input) { errors { code message } } }
"""
UPSERT_CHALLENGE = """
mutation C($input: UpsertChallengeInput!) {
  upsertChallenge(input: $input) { errors { code message } }
}
"""
BADGES = 50
CHALLENGES = 10


LADDER = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500]


def badge_goals(index: int, action: str, award_heavy: bool) -> list[dict[str, Any]]:
    kind, step = index % 5, index // 5
    if award_heavy:
        count, points, days = 1 + step, 10 * (1 + step), 2 + step // 2
    else:
        count, points, days = LADDER[step], 100 * LADDER[step], 2 + step
    if kind == 0:
        return [{"metric": "ACTION_COUNT", "action": action, "target": count}]
    if kind == 1:
        return [{"metric": "POINTS_EARNED", "target": points}]
    if kind == 2:
        return [{"metric": "ACTIVE_DAYS", "action": action, "target": days}]
    if kind == 3:
        return [{"metric": "STREAK_DAYS", "target": days}]
    return [
        {"metric": "ACTION_COUNT", "action": action, "target": count + 1},
        {"metric": "POINTS_EARNED", "target": 2 * points},
    ]


def define(url: str, admin: str, action: str, *, award_heavy: bool = False) -> dict[str, Any]:
    for index in range(BADGES):
        badge = {
            "key": f"bench.badge{index}",
            "name": f"Bench badge {index}",
            "secret": index % 10 == 9,
            "goals": badge_goals(index, action, award_heavy),
            "rewardPoints": 5 if index % 2 else 0,
        }
        _check(call(url, UPSERT_BADGE, {"input": badge}, admin)["upsertBadge"])
    now = datetime.now(UTC)
    for index in range(CHALLENGES):
        challenge = {
            "key": f"bench.challenge{index}",
            "name": f"Bench challenge {index}",
            "startsAt": (now - timedelta(hours=1)).isoformat(),
            "endsAt": (now + timedelta(days=7)).isoformat(),
            "goals": [
                {
                    "metric": "ACTION_COUNT",
                    "action": action,
                    "target": 2 + index if award_heavy else 10 * (1 + index),
                },
                {"metric": "ACTIVE_DAYS", "target": 1},
            ],
            "rewardPoints": 20,
            "rewardBadgeKey": f"bench.badge{index}" if index < 3 else None,
        }
        _check(call(url, UPSERT_CHALLENGE, {"input": challenge}, admin)["upsertChallenge"])
    shape = "award-heavy" if award_heavy else "climbing targets"
    return {"badges": BADGES, "challenges": CHALLENGES, "shape": shape}


def _check(payload: dict[str, Any]) -> None:
    if payload["errors"]:
        raise RuntimeError(f"defining the bench program failed: {payload['errors']}")


def prepare(
    url: str, secret: str, action: str, *, gamification: bool, award_heavy: bool
) -> tuple[str, dict[str, Any] | str]:
    """Define the bench action (10 points, no limits or cooldown) and, unless `gamification`
    is off, the program on it. Returns a SERVICE token and what was defined."""
    admin = token(secret, "bench-admin", "admin")
    definition = action_input(action, 10, limits=[], cooldownSeconds=0, memberReportable=False)
    call(url, UPSERT_ACTION, {"input": definition}, admin)
    defined: dict[str, Any] | str = "no badges or challenges"
    if gamification:
        defined = define(url, admin, action, award_heavy=award_heavy)
    return token(secret, "bench-service", "service"), defined
