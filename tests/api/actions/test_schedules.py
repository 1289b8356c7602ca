"""Points schedules: the nth award of an action in a period earns its step's points."""

from __future__ import annotations

from tests.conftest import ADMIN, SERVICE
from tests.helpers import UPSERT_ACTION, action_input, define, record

SCHEDULE = {
    "period": "MONTH",
    "steps": [{"upTo": 1, "points": 100}, {"upTo": 5, "points": 50}, {"upTo": None, "points": 10}],
}

UPSERT_TIER = """
mutation Upsert($input: UpsertTierInput!) {
  upsertTier(input: $input) { errors { code } }
}
"""

WITH_SCHEDULE = """
mutation Upsert($input: UpsertActionInput!) {
  upsertAction(input: $input) {
    action { key points schedule { period steps { upTo points } } }
    errors { code message field }
  }
}
"""


async def award_points(gql, drain, count: int, start: int = 0) -> list[int]:
    for i in range(start, start + count):
        await record(gql, SERVICE, action="review.posted", memberId="ada", key=f"r{i}")
    await drain()
    body = await gql(
        '{ member(id: "ada") { history(first: 50) { edges { node { amount description } } } } }',
        as_=ADMIN,
    )
    edges = body["data"]["member"]["history"]["edges"]
    return [e["node"]["amount"] for e in reversed(edges) if e["node"]["description"] != "Grant"]


async def scheduled(gql) -> dict:
    body = await gql(WITH_SCHEDULE, {"input": action_input(points=0, schedule=SCHEDULE)}, as_=ADMIN)
    payload = body["data"]["upsertAction"]
    assert payload["errors"] == [], payload
    return payload["action"]


async def test_an_action_takes_and_shows_a_schedule(gql):
    action = await scheduled(gql)
    assert action["schedule"] == SCHEDULE
    plain = await gql(WITH_SCHEDULE, {"input": action_input("plain.one")}, as_=ADMIN)
    assert plain["data"]["upsertAction"]["action"]["schedule"] is None


async def test_invalid_schedules_name_the_step(gql):
    bad = {"period": "MONTH", "steps": [{"upTo": 5, "points": 10}, {"upTo": 3, "points": 5}]}
    body = await gql(UPSERT_ACTION, {"input": action_input(schedule=bad)}, as_=ADMIN)
    errors = body["data"]["upsertAction"]["errors"]
    assert errors[0]["code"] == "INVALID_INPUT"
    assert errors[0]["field"][:4] == ["input", "schedule", "steps", "1"]


async def test_steps_pay_by_rank_in_the_period(gql, drain):
    await scheduled(gql)
    amounts = await award_points(gql, drain, 7)
    assert amounts == [100, 50, 50, 50, 50, 10, 10]


async def test_the_tier_multiplier_applies_on_top_of_the_step(gql, drain):
    await gql(
        UPSERT_TIER,
        {"input": {"key": "gold", "name": "Gold", "threshold": 100, "multiplier": 1.5}},
        as_=ADMIN,
    )
    await scheduled(gql)
    # 1st: 100 (base, x1) crosses 100 -> gold; then 50 x1.5 = 75; later ones 10 x1.5 = 15.
    amounts = await award_points(gql, drain, 7)
    assert amounts == [100, 75, 75, 75, 75, 15, 15]


async def test_a_flat_action_is_unchanged(gql, drain):
    await define(gql, "review.posted", 15, memberReportable=False)
    assert await award_points(gql, drain, 2) == [15, 15]
