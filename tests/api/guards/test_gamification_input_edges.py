"""Whatever a client sends to the gamification API gets an answer, never an unexpected error:
strings no key or member id can be, far dates, oversized numbers and lists."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ADMIN, member

UPSERT_BADGE = """mutation($i: UpsertBadgeInput!) {
  upsertBadge(input: $i) { badge { key } errors { code field } } }"""
UPSERT_CHALLENGE = """mutation($i: UpsertChallengeInput!) {
  upsertChallenge(input: $i) { challenge { key } errors { code field } } }"""
ENROLL = "mutation($k: String!) { enrollInChallenge(challengeKey: $k) { errors { code } } }"
AWARD = """mutation($m: ID!, $b: String!) {
  awardBadge(memberId: $m, badgeKey: $b) { errors { code field } } }"""
GOAL = {"metric": "ACTION_COUNT", "action": "a.b", "target": 1}
DAY, NEXT_DAY = "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"


def challenge(**extra: Any) -> dict[str, Any]:
    return {"key": "c", "name": "n", "startsAt": DAY, "endsAt": NEXT_DAY, "goals": [GOAL]} | extra


def unexpected(body: dict[str, Any]) -> bool:
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    return "INTERNAL_SERVER_ERROR" in codes


@pytest.mark.parametrize(
    "badge",
    [
        {"key": "x" * 500, "name": "n"},
        {"key": "ok", "name": "n", "rewardPoints": 2**31 - 1},
        {"key": "ok", "name": "n", "goals": [GOAL] * 50},
        {"key": "ok", "name": "n", "goals": [{"metric": "POINTS_EARNED", "target": 0}]},
        {
            "key": "ok",
            "name": "n",
            "goals": [{"metric": "ACTIVE_DAYS", "action": "é\0", "target": 1}],
        },
        {"key": "ok", "name": "n", "imageUrl": "javascript:alert(1)"},
        {"key": "ok", "name": "n", "description": "d" * 100_000},
    ],
)
async def test_an_invalid_badge_is_invalid_input(gql, badge):
    body = await gql(UPSERT_BADGE, {"i": badge}, as_=ADMIN)
    [error] = body["data"]["upsertBadge"]["errors"]
    assert error["code"] == "INVALID_INPUT"


@pytest.mark.parametrize(
    ("definition", "code"),
    [
        (challenge(key="k" * 300), "INVALID_INPUT"),
        (challenge(startsAt=NEXT_DAY, endsAt=DAY), "INVALID_INPUT"),
        (challenge(endsAt="2029-01-01T00:00:00Z"), "INVALID_INPUT"),
        (challenge(goals=[]), "INVALID_INPUT"),
        (challenge(maxParticipants=0), "INVALID_INPUT"),
        (challenge(rewardBadgeKey="nope"), "NOT_FOUND"),
        (challenge(rewardBadgeKey="b" * 300), "NOT_FOUND"),
    ],
)
async def test_an_invalid_challenge_is_refused_with_a_code(gql, definition, code):
    body = await gql(UPSERT_CHALLENGE, {"i": definition}, as_=ADMIN)
    [error] = body["data"]["upsertChallenge"]["errors"]
    assert error["code"] == code


@pytest.mark.parametrize(
    "definition",
    [
        challenge(startsAt="2026-01-01T00:00:00"),
        challenge(startsAt="0001-01-01T00:00:00Z", endsAt="9999-12-31T23:59:59Z"),
    ],
)
async def test_a_date_the_program_cannot_use_is_refused_before_the_resolver(gql, definition):
    body = await gql(UPSERT_CHALLENGE, {"i": definition}, as_=ADMIN)
    assert body.get("data") is None
    assert {error["extensions"]["code"] for error in body["errors"]} == {
        "GRAPHQL_VALIDATION_FAILED"
    }


@pytest.mark.parametrize(
    ("query", "variables", "who"),
    [
        (ENROLL, {"k": "x" * 10_000}, member("ada")),
        (AWARD, {"m": "m" * 500, "b": "x" * 500}, ADMIN),
        (AWARD, {"m": "ada", "b": "x" * 500}, ADMIN),
        ('{ leaderboard(board: "challenge:' + "x" * 5000 + '") { size } }', {}, ADMIN),
        ('{ leaderboard(board: "challenge:") { size } }', {}, ADMIN),
        ("query($m: ID!) { member(id: $m) { id badges { earned } } }", {"m": "m" * 500}, ADMIN),
        (
            '{ me { events(first: -5, after: "garbage") { edges { node { id } } } } }',
            {},
            member("a"),
        ),
    ],
)
async def test_strings_no_key_or_id_can_be_are_answered_not_crashed_on(gql, query, variables, who):
    body = await gql(query, variables, as_=who)
    assert not unexpected(body), body
