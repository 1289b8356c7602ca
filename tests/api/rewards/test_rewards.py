"""The reward catalog and redemptions: atomic, idempotent, refunded once on cancel."""

from __future__ import annotations

import asyncio

from domain.models import AuditRecord, LedgerEntry, Member, Reward
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import define, record

UPSERT_REWARD = """
mutation Upsert($input: UpsertRewardInput!) {
  upsertReward(input: $input) {
    reward { key name description cost stock perMemberLimit requiredTier active }
    errors { code message field }
  }
}
"""

UPSERT_TIER = """
mutation Upsert($input: UpsertTierInput!) {
  upsertTier(input: $input) { tier { key } errors { code message field } }
}
"""

REDEEM = """
mutation Redeem($input: RedeemRewardInput!) {
  redeemReward(input: $input) {
    redemption { id cost status createdAt reward { key stock } }
    errors { code message field }
  }
}
"""

CANCEL = """
mutation Cancel($input: CancelRedemptionInput!) {
  cancelRedemption(input: $input) {
    redemption { id status reward { key stock } }
    errors { code message field }
  }
}
"""

REWARDS = "{ rewards { key active stock } }"

MY_REDEMPTIONS = """
query Mine($first: Int, $after: String) {
  me {
    points { balance lifetime }
    redemptions(first: $first, after: $after) {
      edges { cursor node { id cost status reward { key } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


async def reward(gql, key="mug", cost=100, **extra) -> dict:
    body = await gql(
        UPSERT_REWARD,
        {"input": {"key": key, "name": key.title(), "cost": cost, **extra}},
        as_=ADMIN,
    )
    payload = body["data"]["upsertReward"]
    assert payload["errors"] == [], payload
    return payload["reward"]


async def earn(gql, drain, who: str, points: int, key: str = "grant") -> None:
    """Credit `who` with `points` through a SERVICE-recorded action and the real worker."""
    await define(gql, f"grant.p{points}", points, memberReportable=False)
    await record(gql, SERVICE, action=f"grant.p{points}", memberId=who, key=key)
    await drain()


async def redeem(gql, who: str, key: str, reward_key: str = "mug") -> dict:
    body = await gql(
        REDEEM, {"input": {"rewardKey": reward_key, "idempotencyKey": key}}, as_=member(who)
    )
    assert "errors" not in body, body
    return body["data"]["redeemReward"]


async def assert_ledger_invariants(member_ids: list[str]) -> None:
    for member_id in member_ids:
        m = await Member.get(id=member_id)
        total = sum(e.amount for e in await LedgerEntry.filter(member_id=member_id))
        assert total == m.balance, member_id
        assert m.balance >= 0
    for r in await Reward.all():
        assert r.stock is None or r.stock >= 0


async def test_an_admin_defines_rewards_and_members_see_the_active_ones(gql):
    created = await reward(gql, "mug", 100, stock=10, perMemberLimit=2, description="A mug")
    assert created == {
        "key": "mug",
        "name": "Mug",
        "description": "A mug",
        "cost": 100,
        "stock": 10,
        "perMemberLimit": 2,
        "requiredTier": None,
        "active": True,
    }
    await reward(gql, "old", 50, active=False)
    as_member = await gql(REWARDS, as_=member("ada"))
    as_admin = await gql(REWARDS, as_=ADMIN)
    assert [r["key"] for r in as_member["data"]["rewards"]] == ["mug"]
    assert sorted(r["key"] for r in as_admin["data"]["rewards"]) == ["mug", "old"]
    assert await AuditRecord.filter(target="reward:mug").count() == 1


async def test_invalid_rewards_are_user_errors(gql):
    cases = [
        ({"cost": 0}, ["input", "cost"]),
        ({"stock": -1}, ["input", "stock"]),
        ({"perMemberLimit": 0}, ["input", "perMemberLimit"]),
        ({"requiredTier": "gold"}, ["input", "requiredTier"]),
    ]
    for extra, field in cases:
        base = {"key": "mug", "name": "Mug", "cost": 10}
        body = await gql(UPSERT_REWARD, {"input": {**base, **extra}}, as_=ADMIN)
        errors = body["data"]["upsertReward"]["errors"]
        assert errors and errors[0]["code"] == "INVALID_INPUT" and errors[0]["field"] == field
    forbidden = await gql(
        UPSERT_REWARD, {"input": {"key": "m", "name": "M", "cost": 1}}, as_=member("ada")
    )
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_redemption_spends_points_takes_stock_and_is_listed(gql, drain):
    await earn(gql, drain, "ada", 250)
    await reward(gql, "mug", 100, stock=3)
    payload = await redeem(gql, "ada", "r1")
    assert payload["errors"] == []
    redemption = payload["redemption"]
    assert (redemption["cost"], redemption["status"]) == (100, "COMPLETED")
    assert redemption["reward"] == {"key": "mug", "stock": 2}
    me = (await gql(MY_REDEMPTIONS, as_=member("ada")))["data"]["me"]
    assert me["points"] == {"balance": 150, "lifetime": 250}
    assert [e["node"]["id"] for e in me["redemptions"]["edges"]] == [redemption["id"]]
    entry = await LedgerEntry.get(source_key=f"redemption:{redemption['id']}")
    assert (entry.amount, entry.reason) == (-100, "REDEMPTION")


async def test_redemptions_page_newest_first(gql, drain):
    await earn(gql, drain, "ada", 500)
    await reward(gql, "mug", 100)
    ids = [(await redeem(gql, "ada", f"r{i}"))["redemption"]["id"] for i in range(3)]
    first = (await gql(MY_REDEMPTIONS, {"first": 2}, as_=member("ada")))["data"]["me"]
    page = first["redemptions"]
    assert [e["node"]["id"] for e in page["edges"]] == ids[::-1][:2]
    assert page["pageInfo"]["hasNextPage"] is True
    after = page["pageInfo"]["endCursor"]
    rest = (await gql(MY_REDEMPTIONS, {"first": 2, "after": after}, as_=member("ada")))["data"]
    assert [e["node"]["id"] for e in rest["me"]["redemptions"]["edges"]] == [ids[0]]
    assert rest["me"]["redemptions"]["pageInfo"]["hasNextPage"] is False


async def test_refusals_have_stable_codes(gql, drain):
    await earn(gql, drain, "ada", 150)
    await reward(gql, "mug", 100, perMemberLimit=1)
    await reward(gql, "tv", 1000)
    await reward(gql, "gone", 10, stock=0)
    await reward(gql, "old", 10, active=False)
    assert (await redeem(gql, "ada", "a", "nope"))["errors"][0]["code"] == "NOT_FOUND"
    assert (await redeem(gql, "ada", "b", "tv"))["errors"][0]["code"] == "INSUFFICIENT_POINTS"
    assert (await redeem(gql, "ada", "c", "gone"))["errors"][0]["code"] == "OUT_OF_STOCK"
    assert (await redeem(gql, "ada", "d", "old"))["errors"][0]["code"] == "INACTIVE"
    assert (await redeem(gql, "ada", "e", "mug"))["errors"] == []
    assert (await redeem(gql, "ada", "f", "mug"))["errors"][0]["code"] == "LIMIT_REACHED"
    me = (await gql(MY_REDEMPTIONS, as_=member("ada")))["data"]["me"]
    assert me["points"]["balance"] == 50
    assert len(me["redemptions"]["edges"]) == 1


async def test_a_reward_requiring_a_tier_is_refused_below_it(gql, drain):
    tier = {"key": "silver", "name": "Silver", "threshold": 500}
    assert (await gql(UPSERT_TIER, {"input": tier}, as_=ADMIN))["data"]["upsertTier"][
        "errors"
    ] == []
    await reward(gql, "lounge", 100, requiredTier="silver")
    await earn(gql, drain, "ada", 300)
    assert (await redeem(gql, "ada", "a", "lounge"))["errors"][0]["code"] == "TIER_REQUIRED"
    await earn(gql, drain, "ada", 200, key="more")  # 500 qualifying: silver at once
    assert (await redeem(gql, "ada", "b", "lounge"))["errors"] == []


async def test_the_same_idempotency_key_spends_once(gql, drain):
    await earn(gql, drain, "ada", 300)
    await reward(gql, "mug", 100, stock=5)
    first = await redeem(gql, "ada", "same")
    again = await redeem(gql, "ada", "same")
    assert again["redemption"]["id"] == first["redemption"]["id"]
    racing = await asyncio.gather(*(redeem(gql, "ada", "race") for _ in range(10)))
    assert len({r["redemption"]["id"] for r in racing}) == 1
    me = (await gql(MY_REDEMPTIONS, as_=member("ada")))["data"]["me"]
    assert me["points"]["balance"] == 100
    assert (await Reward.get(key="mug")).stock == 3
    await assert_ledger_invariants(["ada"])


async def test_fifty_concurrent_redemptions_spend_only_what_the_balance_allows(gql, drain):
    await earn(gql, drain, "ada", 300)
    await reward(gql, "mug", 100)
    results = await asyncio.gather(*(redeem(gql, "ada", f"k{i}") for i in range(50)))
    succeeded = [r for r in results if not r["errors"]]
    refused = {r["errors"][0]["code"] for r in results if r["errors"]}
    assert len(succeeded) == 3
    assert refused == {"INSUFFICIENT_POINTS"}
    assert (await Member.get(id="ada")).balance == 0
    await assert_ledger_invariants(["ada"])


async def test_fifty_members_race_for_a_stock_of_five(gql, drain):
    names = [f"m{i:02d}" for i in range(50)]
    await define(gql, "grant.p100", 100, memberReportable=False)
    for name in names:
        await record(gql, SERVICE, action="grant.p100", memberId=name, key="g")
    await drain()
    await reward(gql, "mug", 100, stock=5)
    results = await asyncio.gather(*(redeem(gql, name, "k") for name in names))
    succeeded = [r for r in results if not r["errors"]]
    refused = {r["errors"][0]["code"] for r in results if r["errors"]}
    assert len(succeeded) == 5
    assert refused == {"OUT_OF_STOCK"}
    assert (await Reward.get(key="mug")).stock == 0
    await assert_ledger_invariants(names)


async def test_cancelling_refunds_once_and_restores_stock(gql, drain):
    await earn(gql, drain, "ada", 100)
    await reward(gql, "mug", 100, stock=1)
    redemption_id = (await redeem(gql, "ada", "r1"))["redemption"]["id"]
    cancel = {"input": {"redemptionId": redemption_id, "reason": "damaged in transit"}}
    first = (await gql(CANCEL, cancel, as_=ADMIN))["data"]["cancelRedemption"]
    assert first["errors"] == []
    assert first["redemption"]["status"] == "CANCELLED"
    assert first["redemption"]["reward"]["stock"] == 1
    second = (await gql(CANCEL, cancel, as_=ADMIN))["data"]["cancelRedemption"]
    assert second["errors"][0]["code"] == "ALREADY_CANCELLED"
    assert second["redemption"]["status"] == "CANCELLED"
    member_row = await Member.get(id="ada")
    assert member_row.balance == 100
    assert member_row.lifetime == 100  # a refund is not earned
    assert (await Reward.get(key="mug")).stock == 1
    refund = await LedgerEntry.get(source_key=f"redemption-cancel:{redemption_id}")
    assert (refund.amount, refund.reason) == (100, "REVERSAL")
    assert await AuditRecord.filter(target=f"redemption:{redemption_id}").count() == 1
    # The cancelled one no longer counts towards the member's limit or the stock.
    assert (await redeem(gql, "ada", "r2"))["errors"] == []
    missing = {"input": {"redemptionId": "999999", "reason": "x"}}
    assert (await gql(CANCEL, missing, as_=ADMIN))["data"]["cancelRedemption"]["errors"][0][
        "code"
    ] == "NOT_FOUND"
    as_member = await gql(CANCEL, cancel, as_=member("ada"))
    assert as_member["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await assert_ledger_invariants(["ada"])
