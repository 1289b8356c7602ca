"""Retention campaigns through the API: defined by an admin, applied once per targeted member
by the worker job (treated or held out, deterministically), and measured against the holdout
on populations where the surprise reward does and does not bring members back."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from domain.insight import campaigns
from domain.insight import refresh as insight
from domain.models import CampaignMember, LedgerEntry, MemberEvent
from tests.api.interactions.test_bulk_ingest import record_many
from tests.conftest import ADMIN, member
from tests.helpers import define

UPSERT = """
mutation($input: UpsertCampaignInput!) {
  upsertCampaign(input: $input) {
    campaign {
      key name message status holdoutPercent treated heldOut startsAt endsAt
      target { segments churnRisks tiers }
      offer { bonusPoints badge { key } }
    }
    errors { code message field }
  }
}
"""
RESULTS = """
query($key: String!) {
  campaign(key: $key) {
    treated heldOut
    results {
      treated { members activeWithin7Days activeWithin30Days pointsEarnedPerMember }
      holdout { members activeWithin7Days activeWithin30Days pointsEarnedPerMember }
      uplift upliftLow upliftHigh
    }
  }
}
"""

NOW = datetime.now(UTC).replace(microsecond=0)
DRAWN_AT = NOW - timedelta(days=40)  # the job ran then; the weeks since show the effect


def campaign_input(key: str = "winback", **changes):
    fields = {
        "key": key,
        "name": "Win back",
        "message": "We miss you: 200 points on us",
        "target": {"churnRisks": ["HIGH"]},
        "offer": {"bonusPoints": 200},
        "startsAt": (DRAWN_AT - timedelta(days=1)).isoformat(),
        "endsAt": (NOW + timedelta(days=30)).isoformat(),
        "holdoutPercent": 30,
    }
    return fields | changes


def occurred(days_before_draw: float) -> str:
    return (DRAWN_AT - timedelta(days=days_before_draw)).isoformat()


async def lapsed_population(gql, drain, runtime, size: int) -> list[str]:
    """`size` members who came every 2 to 4 days for two months, then stopped 45 to 49 days
    before the draw: all of them HIGH risk."""
    await define(gql, "visit", 10, limits=[], cooldownSeconds=0, memberReportable=False)
    ids = [f"lapsed{n:03d}" for n in range(size)]
    items = [
        {
            "action": "visit",
            "memberId": who,
            "idempotencyKey": f"{who}-before-{day}",
            "occurredAt": occurred(45 + n % 5 + day),
        }
        for n, who in enumerate(ids)
        for day in range(0, 60, 2 + n % 3)
    ]
    for first in range(0, len(items), 1000):
        assert (await record_many(gql, items[first : first + 1000]))["refused"] == 0
    await drain()
    refreshed = await insight.refresh(runtime.settings, (DRAWN_AT - timedelta(days=1)).date())
    assert refreshed.members == size
    return ids


async def come_back(gql, drain, member_ids: list[str]) -> None:
    """Each of these members is active 3 days after the draw (and earns 10 points)."""
    items = [
        {
            "action": "visit",
            "memberId": who,
            "idempotencyKey": f"{who}-after",
            "occurredAt": occurred(-3),
        }
        for who in member_ids
    ]
    for first in range(0, len(items), 1000):
        assert (await record_many(gql, items[first : first + 1000]))["refused"] == 0
    await drain()


async def test_an_admin_defines_a_campaign_and_bad_input_changes_nothing(gql):
    body = await gql(UPSERT, {"input": campaign_input()}, as_=ADMIN)
    payload = body["data"]["upsertCampaign"]
    assert payload["errors"] == []
    created = payload["campaign"]
    assert created["status"] == "RUNNING" and created["holdoutPercent"] == 30
    assert created["target"] == {"segments": [], "churnRisks": ["HIGH"], "tiers": []}
    assert created["offer"] == {"bonusPoints": 200, "badge": None}

    for bad, code in (
        ({"holdoutPercent": 60}, "INVALID_INPUT"),
        ({"endsAt": (DRAWN_AT - timedelta(days=2)).isoformat()}, "INVALID_INPUT"),
        ({"offer": {"bonusPoints": 0}}, "INVALID_INPUT"),
        ({"offer": {"badgeKey": "nope"}}, "NOT_FOUND"),
        ({"target": {"tiers": ["nope"]}}, "NOT_FOUND"),
        ({"offer": {"bonusPoints": 500}}, "TOO_LATE"),  # started: the offer is fixed
    ):
        body = await gql(UPSERT, {"input": campaign_input(**bad)}, as_=ADMIN)
        assert [e["code"] for e in body["data"]["upsertCampaign"]["errors"]] == [code], bad
    renamed = await gql(UPSERT, {"input": campaign_input(name="Come back")}, as_=ADMIN)
    assert renamed["data"]["upsertCampaign"]["campaign"]["name"] == "Come back"
    listed = await gql("{ campaigns { key offer { bonusPoints } } }", as_=ADMIN)
    assert listed["data"]["campaigns"] == [{"key": "winback", "offer": {"bonusPoints": 200}}]
    refused = await gql(UPSERT, {"input": campaign_input(key="x")}, as_=member("ada"))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_campaign_applies_once_per_member_even_with_racing_workers(gql, drain, runtime):
    ids = await lapsed_population(gql, drain, runtime, 40)
    await gql(UPSERT, {"input": campaign_input()}, as_=ADMIN)
    drawn = await asyncio.gather(
        campaigns.apply_running(runtime, DRAWN_AT), campaigns.apply_running(runtime, DRAWN_AT)
    )
    assert sum(drawn) == 40
    assert await campaigns.apply_running(runtime, DRAWN_AT) == 0

    held_out = set(await CampaignMember.filter(held_out=True).values_list("member_id", flat=True))
    treated = set(ids) - held_out
    assert 0 < len(held_out) < 40
    bonuses = await LedgerEntry.filter(reason="BONUS").values_list("member_id", "amount")
    assert sorted(bonuses) == sorted((m, 200) for m in treated)
    messages = await MemberEvent.filter(kind="CAMPAIGN_OFFER").values_list("member_id", "message")
    assert sorted(messages) == sorted((m, "We miss you: 200 points on us") for m in treated)
    body = await gql(RESULTS, {"key": "winback"}, as_=ADMIN)
    assert body["data"]["campaign"]["treated"] == len(treated)
    assert body["data"]["campaign"]["heldOut"] == len(held_out)


async def test_results_show_an_uplift_when_the_reward_brings_members_back(gql, drain, runtime):
    ids = await lapsed_population(gql, drain, runtime, 200)
    await gql(UPSERT, {"input": campaign_input(holdoutPercent=50)}, as_=ADMIN)
    await campaigns.apply_running(runtime, DRAWN_AT)
    held_out = set(await CampaignMember.filter(held_out=True).values_list("member_id", flat=True))
    treated = sorted(set(ids) - held_out)
    # Treatment helps: 60 % of the treated come back, 10 % of the holdout.
    back = treated[: len(treated) * 6 // 10] + sorted(held_out)[: len(held_out) // 10]
    await come_back(gql, drain, back)

    results = (await gql(RESULTS, {"key": "winback"}, as_=ADMIN))["data"]["campaign"]["results"]
    assert results["treated"]["activeWithin7Days"] == results["treated"]["activeWithin30Days"]
    assert 0.55 < results["treated"]["activeWithin30Days"] <= 0.6
    assert 0.05 < results["holdout"]["activeWithin30Days"] <= 0.1
    assert results["upliftLow"] > 0.3 and results["upliftLow"] < results["uplift"]
    assert results["uplift"] < results["upliftHigh"]
    # The 200-point bonus is not counted as earned: only the visit's 10 points are.
    assert 5 < results["treated"]["pointsEarnedPerMember"] <= 6


async def test_results_show_no_uplift_when_the_reward_changes_nothing(gql, drain, runtime):
    ids = await lapsed_population(gql, drain, runtime, 200)
    await gql(UPSERT, {"input": campaign_input(holdoutPercent=50)}, as_=ADMIN)
    await campaigns.apply_running(runtime, DRAWN_AT)
    # A quarter of each group comes back: being treated changes nothing.
    held_out = set(await CampaignMember.filter(held_out=True).values_list("member_id", flat=True))
    treated = sorted(set(ids) - held_out)
    await come_back(gql, drain, treated[::4] + sorted(held_out)[::4])

    results = (await gql(RESULTS, {"key": "winback"}, as_=ADMIN))["data"]["campaign"]["results"]
    assert results["upliftLow"] < 0 < results["upliftHigh"]
    assert abs(results["uplift"]) < 0.15
