"""Tiers: defined by admins, climbed at once, multiplied points, left only after retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.models import AuditRecord, Member
from domain.points.tiers import reevaluate_due_tiers
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import define, record

UPSERT_TIER = """
mutation Upsert($input: UpsertTierInput!) {
  upsertTier(input: $input) {
    tier { key name threshold multiplier benefits }
    errors { code message field }
  }
}
"""

TIERS = "{ tiers { key name threshold multiplier benefits } }"

MY_TIER = """
{ me { points { balance lifetime }
       tier { current { key multiplier } next { key threshold } qualifyingPoints pointsToNext
              since retainUntil } } }
"""


async def tier(gql, key, threshold, multiplier=1.0, **extra) -> dict:
    body = await gql(
        UPSERT_TIER,
        {
            "input": {
                "key": key,
                "name": key.title(),
                "threshold": threshold,
                "multiplier": multiplier,
                **extra,
            }
        },
        as_=ADMIN,
    )
    payload = body["data"]["upsertTier"]
    assert payload["errors"] == [], payload
    return payload["tier"]


async def ladder(gql) -> None:
    await tier(gql, "bronze", 0)
    await tier(gql, "silver", 500, 1.25)
    await tier(gql, "gold", 2000, 1.5, benefits=["Free shipping"])


async def earn(gql, drain, who: str, points: int, key: str) -> dict:
    await define(gql, f"grant.p{points}", points, memberReportable=False)
    payload = await record(gql, SERVICE, action=f"grant.p{points}", memberId=who, key=key)
    await drain()
    return payload


async def my_tier(gql, who: str = "ada") -> dict:
    body = await gql(MY_TIER, as_=member(who))
    assert "errors" not in body, body
    return body["data"]["me"]["tier"]


async def test_the_base_tier_shows_until_a_threshold_zero_tier_exists(gql):
    assert (await gql(TIERS))["data"]["tiers"] == [
        {"key": "base", "name": "Base", "threshold": 0, "multiplier": 1.0, "benefits": []}
    ]
    status = await my_tier(gql)
    assert status["current"]["key"] == "base"
    assert status["next"] is None and status["pointsToNext"] is None
    assert status["retainUntil"] is None
    await tier(gql, "gold", 2000, 1.5, benefits=["Lounge"])
    await tier(gql, "silver", 500, 1.25)
    keys = [t["key"] for t in (await gql(TIERS))["data"]["tiers"]]
    assert keys == ["base", "silver", "gold"]
    await tier(gql, "bronze", 0)
    keys = [t["key"] for t in (await gql(TIERS))["data"]["tiers"]]
    assert keys == ["bronze", "silver", "gold"]
    assert await AuditRecord.filter(target="tier:gold").count() == 1


async def test_invalid_tiers_are_user_errors_and_admin_only(gql):
    await tier(gql, "silver", 500)
    cases = [
        ({"key": "Bad Key", "threshold": 1}, ["input", "key"]),
        ({"key": "gold", "threshold": 500}, ["input", "threshold"]),
        ({"key": "gold", "threshold": -1}, ["input", "threshold"]),
        ({"key": "gold", "threshold": 10, "multiplier": 0}, ["input", "multiplier"]),
        ({"key": "base", "threshold": 10}, ["input", "key"]),
    ]
    for extra, field in cases:
        body = await gql(UPSERT_TIER, {"input": {"name": "X", **extra}}, as_=ADMIN)
        errors = body["data"]["upsertTier"]["errors"]
        assert errors and errors[0]["field"] == field, (extra, errors)
    as_member = await gql(
        UPSERT_TIER, {"input": {"key": "x", "name": "X", "threshold": 1}}, as_=member("ada")
    )
    assert as_member["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_archiving_takes_a_tier_off_the_ladder(gql):
    await ladder(gql)
    await tier(gql, "gold", 2000, 1.5, archived=True)
    keys = [t["key"] for t in (await gql(TIERS))["data"]["tiers"]]
    assert keys == ["bronze", "silver"]
    await tier(gql, "platinum", 2000, 2.0)  # the threshold is free again


async def test_a_credit_upgrades_at_once_across_several_tiers(gql, drain):
    await ladder(gql)
    await earn(gql, drain, "ada", 100, "a")
    status = await my_tier(gql)
    assert status["current"]["key"] == "bronze"
    assert (status["qualifyingPoints"], status["pointsToNext"]) == (100, 400)
    assert status["next"] == {"key": "silver", "threshold": 500}
    await earn(gql, drain, "ada", 2500, "b")
    status = await my_tier(gql)
    assert status["current"] == {"key": "gold", "multiplier": 1.5}
    assert status["next"] is None and status["pointsToNext"] is None
    assert status["qualifyingPoints"] == 2600
    since = datetime.fromisoformat(status["since"])
    retain = datetime.fromisoformat(status["retainUntil"])
    assert abs((retain - since) - timedelta(days=365)) < timedelta(seconds=5)
    assert datetime.now(UTC) - since < timedelta(minutes=1)


async def test_action_points_are_multiplied_by_the_tier_rounded_down(gql, drain):
    await ladder(gql)
    await earn(gql, drain, "ada", 2000, "a")  # gold, x1.5 (the crossing credit is x1)
    await define(gql, "review.posted", 15, memberReportable=False)
    payload = await record(gql, SERVICE, action="review.posted", memberId="ada", key="r")
    await drain()
    body = await gql(
        "query($id: ID!) { interaction(id: $id) { pointsAwarded } }",
        {"id": payload["interaction"]["id"]},
        as_=ADMIN,
    )
    assert body["data"]["interaction"]["pointsAwarded"] == 22
    assert (await Member.get(id="ada")).balance == 2022


async def test_spending_does_not_lower_qualifying_points(gql, drain):
    await ladder(gql)
    await earn(gql, drain, "ada", 600, "a")
    upsert = (
        'mutation { upsertReward(input: {key: "mug", name: "Mug", cost: 500}) { errors { code } } }'
    )
    assert (await gql(upsert, as_=ADMIN))["data"]["upsertReward"]["errors"] == []
    redeem = (
        'mutation { redeemReward(input: {rewardKey: "mug", idempotencyKey: "k"}) '
        "{ errors { code } } }"
    )
    assert (await gql(redeem, as_=member("ada")))["data"]["redeemReward"]["errors"] == []
    assert (await Member.get(id="ada")).balance == 100
    status = await my_tier(gql)
    assert status["current"]["key"] == "silver"
    assert status["qualifyingPoints"] == 600


async def test_reevaluation_downgrades_only_after_retention(gql, drain, runtime):
    await ladder(gql)
    await earn(gql, drain, "ada", 2000, "a")  # gold
    assert await reevaluate_due_tiers(runtime, datetime.now(UTC)) == 0
    # Age the credit out of the window and the retention out of date.
    from domain.models import LedgerEntry

    old = datetime.now(UTC) - timedelta(days=400)
    await LedgerEntry.filter(member_id="ada").update(effective_at=old)
    ada = await Member.get(id="ada")
    ada.tier_retain_until = datetime.now(UTC) + timedelta(days=1)
    await ada.save()
    assert await reevaluate_due_tiers(runtime, datetime.now(UTC)) == 0
    assert (await my_tier(gql))["current"]["key"] == "gold"
    ada.tier_retain_until = datetime.now(UTC) - timedelta(minutes=1)
    await ada.save()
    assert await reevaluate_due_tiers(runtime, datetime.now(UTC)) == 1
    status = await my_tier(gql)
    assert status["current"]["key"] == "bronze"
    assert status["retainUntil"] is None
    assert status["qualifyingPoints"] == 0


async def test_reevaluation_extends_a_tier_that_still_qualifies(gql, drain, runtime):
    await ladder(gql)
    await earn(gql, drain, "ada", 700, "a")  # silver
    ada = await Member.get(id="ada")
    since = ada.tier_since
    ada.tier_retain_until = datetime.now(UTC) - timedelta(minutes=1)
    await ada.save()
    now = datetime.now(UTC)
    assert await reevaluate_due_tiers(runtime, now) == 1
    ada = await Member.get(id="ada")
    assert ada.tier_key == "silver"
    assert ada.tier_since == since
    assert abs(ada.tier_retain_until - (now + timedelta(days=365))) < timedelta(seconds=1)


async def test_reevaluation_moves_base_members_onto_a_new_threshold_zero_tier(gql, drain, runtime):
    await tier(gql, "silver", 500, 1.25)
    await earn(gql, drain, "ada", 100, "a")  # base (no threshold-0 tier yet)
    assert (await Member.get(id="ada")).tier_key is None
    await tier(gql, "bronze", 0)
    assert await reevaluate_due_tiers(runtime, datetime.now(UTC)) == 1
    assert (await Member.get(id="ada")).tier_key == "bronze"
    assert (await my_tier(gql))["current"]["key"] == "bronze"
