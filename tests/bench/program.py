"""The gamification program the ingestion benchmark runs under: 50 badges and 10 active
challenges, all moved by the benchmark's action, so every interaction goes through the goals
engine (counters, candidate lookup, badge checks, challenge progress) as a busy program would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.bench.graphql import call

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


def badge_goals(index: int, action: str) -> list[dict[str, Any]]:
    """A spread of goals: counts and points that members reach during the run, and days and
    streaks that they do not (a run lasts one day)."""
    kind = index % 5
    if kind == 0:
        return [{"metric": "ACTION_COUNT", "action": action, "target": 1 + index // 5}]
    if kind == 1:
        return [{"metric": "POINTS_EARNED", "target": 10 * (1 + index // 5)}]
    if kind == 2:
        return [{"metric": "ACTIVE_DAYS", "action": action, "target": 2 + index // 10}]
    if kind == 3:
        return [{"metric": "STREAK_DAYS", "target": 2 + index // 10}]
    return [
        {"metric": "ACTION_COUNT", "action": action, "target": 2 + index // 10},
        {"metric": "POINTS_EARNED", "target": 20 * (1 + index // 10)},
    ]


def define(url: str, admin: str, action: str) -> dict[str, int]:
    for index in range(BADGES):
        badge = {
            "key": f"bench.badge{index}",
            "name": f"Bench badge {index}",
            "secret": index % 10 == 9,
            "goals": badge_goals(index, action),
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
                {"metric": "ACTION_COUNT", "action": action, "target": 2 + index},
                {"metric": "ACTIVE_DAYS", "target": 1},
            ],
            "rewardPoints": 20,
            "rewardBadgeKey": f"bench.badge{index}" if index < 3 else None,
        }
        _check(call(url, UPSERT_CHALLENGE, {"input": challenge}, admin)["upsertChallenge"])
    return {"badges": BADGES, "challenges": CHALLENGES}


def _check(payload: dict[str, Any]) -> None:
    if payload["errors"]:
        raise RuntimeError(f"defining the bench program failed: {payload['errors']}")
