"""Campaigns that target members by what they answered: beside segments, churn bands and tiers,
`target.answers` asks for members whose latest answers meet every condition. `campaignAudience`
counts who a target reaches before launch; `upsertCampaign` says how many it reaches and warns
when that is nobody; `apply_campaigns` draws exactly those members. The set-based SQL agrees
with the pure rule (`gamification.campaigns.matches`) on a random population."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.insight import campaigns
from domain.insight import refresh as insight
from domain.models import CampaignMember, MemberInsight
from gamification.campaigns import Target, matches
from gamification.offers import AnswerCondition, LatestAnswer
from tests.api.interactions.test_bulk_ingest import record_many
from tests.api.offers.common import answers, condition, profile, submit
from tests.conftest import ADMIN, member
from tests.helpers import ago, codes, define, table_sums, tables_changed

AUDIENCE = "query($target: CampaignTargetInput!) { campaignAudience(target: $target) }"
UPSERT = """
mutation($input: UpsertCampaignInput!) {
  upsertCampaign(input: $input) {
    campaign { key target { segments churnRisks tiers
                            answers { questionnaire question choice min max } } }
    audience warnings
    errors { code message field }
  }
}
"""
NOW = datetime.now(UTC).replace(microsecond=0)


def campaign_input(key: str, target: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": key,
        "name": "Road riders",
        "message": "A free road service on us",
        "target": target,
        "offer": {"bonusPoints": 100},
        "startsAt": (NOW - timedelta(days=1)).isoformat(),
        "endsAt": (NOW + timedelta(days=30)).isoformat(),
        "holdoutPercent": 0,
    }


async def measured(gql: Any, drain: Any, runtime: Any, ids: list[str]) -> None:
    """Each member active yesterday, then an insight refresh as of today: all of them are in
    the latest refresh, which is what campaigns target."""
    await define(gql, "visit", 10, limits=[], cooldownSeconds=0, memberReportable=False)
    items = [
        {
            "action": "visit",
            "memberId": who,
            "idempotencyKey": f"{who}-v",
            "occurredAt": ago(days=1),
        }
        for who in ids
    ]
    assert (await record_many(gql, items))["refused"] == 0
    await drain()
    assert (await insight.refresh(runtime.settings, NOW.date())).members == len(ids)


async def audience(gql: Any, target: dict[str, Any]) -> int:
    body = await gql(AUDIENCE, {"target": target}, as_=ADMIN)
    assert "errors" not in body, body
    reached: int = body["data"]["campaignAudience"]
    return reached


async def test_a_campaign_targets_members_by_their_latest_answers(gql, drain, runtime, clock):
    await profile(gql, repeatEveryDays=1)
    await measured(gql, drain, runtime, ["ada", "bob", "cid", "dan", "eve"])
    given = {
        "ada": answers(riding="road", services=("repair",), recommend=9),
        "bob": answers(riding="mountain", services=("repair", "fitting"), recommend=5),
        "cid": answers(riding="city", services=("rental",), recommend=10),
        "dan": answers(riding="road", services=("fitting",), recommend=2),
    }  # eve never answered
    for who, theirs in given.items():
        await submit(gql, member(who), theirs)

    road = {"answers": [condition("riding", choice="road")]}
    assert await audience(gql, road) == 2  # ada, dan
    assert await audience(gql, {"answers": [condition("services", choice="repair")]}) == 2
    assert await audience(gql, {"answers": [condition("recommend", min=9)]}) == 2  # ada, cid
    assert await audience(gql, {"answers": [condition("recommend", max=5)]}) == 2  # bob, dan
    assert await audience(gql, {"answers": [condition("recommend", min=5, max=5)]}) == 1
    # Every condition must hold, and every other non-empty list must match too.
    both = [condition("riding", choice="road"), condition("recommend", min=9)]
    assert await audience(gql, {"answers": both}) == 1  # ada
    segment = (await MemberInsight.get(member_id="ada")).segment
    other = "CHAMPIONS" if segment != "CHAMPIONS" else "LOST"
    assert await audience(gql, {"answers": both, "segments": [segment]}) == 1
    assert await audience(gql, {"answers": both, "segments": [other]}) == 0
    assert await audience(gql, {"answers": both, "tiers": ["base"]}) == 1
    assert await audience(gql, {}) == 5  # no answer asked: everyone in the refresh

    # The latest answer counts: dan rides the city now, his road answer is history.
    clock.advance(days=1)
    await submit(gql, member("dan"), answers(riding="city", recommend=2), key="again")
    assert await audience(gql, road) == 1

    body = await gql(UPSERT, {"input": campaign_input("roadies", road)}, as_=ADMIN)
    payload = body["data"]["upsertCampaign"]
    assert payload["errors"] == [] and payload["warnings"] == []
    assert payload["audience"] == 1
    assert payload["campaign"]["target"]["answers"] == [
        {
            "questionnaire": "bike.profile",
            "question": "riding",
            "choice": "road",
            "min": None,
            "max": None,
        }
    ]
    # A range is stored with both ends, and a started campaign's target stays comparable.
    fans = {"answers": [condition("recommend", min=9)]}
    body = await gql(UPSERT, {"input": campaign_input("fans", fans)}, as_=ADMIN)
    assert body["data"]["upsertCampaign"]["campaign"]["target"]["answers"][0]["max"] == 10
    again = await gql(UPSERT, {"input": campaign_input("fans", fans) | {"name": "Fans"}}, as_=ADMIN)
    assert again["data"]["upsertCampaign"]["errors"] == []

    assert await campaigns.apply_running(runtime, NOW) == 3
    drawn = await CampaignMember.all().values_list("campaign__key", "member_id")
    assert sorted(drawn) == [("fans", "ada"), ("fans", "cid"), ("roadies", "ada")]
    assert await campaigns.apply_running(runtime, NOW) == 0


async def test_upsert_campaign_warns_when_the_campaign_would_reach_nobody(gql, drain, runtime):
    await profile(gql)
    nobody = {"answers": [condition("riding", choice="city"), condition("recommend", max=3)]}
    body = await gql(UPSERT, {"input": campaign_input("early", nobody)}, as_=ADMIN)
    payload = body["data"]["upsertCampaign"]
    # Saved all the same (no error), with the reason it reaches nobody yet.
    assert payload["errors"] == [] and payload["audience"] == 0
    assert ["no insight refresh" in warning for warning in payload["warnings"]] == [True]
    assert await audience(gql, nobody) == 0

    await measured(gql, drain, runtime, ["ada", "bob"])
    await submit(gql, member("ada"), answers(riding="city", recommend=9))
    body = await gql(UPSERT, {"input": campaign_input("nobody", nobody)}, as_=ADMIN)
    payload = body["data"]["upsertCampaign"]
    assert payload["errors"] == [] and payload["audience"] == 0
    assert ["reaches nobody now" in warning for warning in payload["warnings"]] == [True]
    assert payload["campaign"]["target"]["answers"][1]["min"] == 0


async def test_invalid_answer_conditions_are_refused_and_change_nothing(gql):
    await profile(gql)
    before = await table_sums()
    for answer, field in (
        (condition("riding"), ["target", "answers", "0"]),
        (condition("riding", choice="road", max=3), ["target", "answers", "0"]),
        (
            {"questionnaire": "nope", "question": "riding", "choice": "road"},
            ["target", "answers", "0", "questionnaire"],
        ),
        (condition("colour", choice="red"), ["target", "answers", "0", "question"]),
        (condition("riding", choice="gravel"), ["target", "answers", "0", "choice"]),
        (condition("recommend", choice="9"), ["target", "answers", "0", "choice"]),
        (condition("services", min=1), ["target", "answers", "0", "min"]),
        (condition("wish", min=1), ["target", "answers", "0", "min"]),
        (condition("recommend", max=12), ["target", "answers", "0", "max"]),
        (condition("recommend", min=7, max=6), ["target", "answers", "0", "max"]),
    ):
        target = {"answers": [answer]}
        body = await gql(UPSERT, {"input": campaign_input("bad", target)}, as_=ADMIN)
        errors = body["data"]["upsertCampaign"]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [("INVALID_INPUT", field)], answer
        refused = await gql(AUDIENCE, {"target": target}, as_=ADMIN)
        assert codes(refused) == ["INVALID_INPUT"], answer
    too_many = {"answers": [condition("riding", choice="road")] * 11}
    body = await gql(UPSERT, {"input": campaign_input("bad", too_many)}, as_=ADMIN)
    assert [e["code"] for e in body["data"]["upsertCampaign"]["errors"]] == ["INVALID_INPUT"]
    assert tables_changed(before, await table_sums()) == []
    forbidden = await gql(AUDIENCE, {"target": {}}, as_=member("ada"))
    assert codes(forbidden) == ["FORBIDDEN"]


def _random_condition(rng: random.Random) -> dict[str, Any]:
    question = rng.choice(["riding", "services", "recommend"])
    if question == "riding":
        return condition(question, choice=rng.choice(["road", "mountain", "city"]))
    if question == "services":
        return condition(question, choice=rng.choice(["repair", "fitting", "rental"]))
    low = rng.randint(0, 10)
    bounds = rng.choice([{"min": low}, {"max": low}, {"min": low, "max": rng.randint(low, 10)}])
    return condition(question, **bounds)


async def test_targeting_in_sql_agrees_with_the_pure_rule_on_a_random_population(
    gql, drain, runtime
):
    rng = random.Random(24)
    ids = [f"m{n:02d}" for n in range(24)]
    await profile(gql)
    await measured(gql, drain, runtime, ids)
    latest: dict[str, dict[tuple[str, str], LatestAnswer]] = {}
    for who in ids[:20]:  # four never answer
        riding = rng.choice(["road", "mountain", "city"])
        services = tuple(rng.sample(["repair", "fitting", "rental"], rng.randint(1, 3)))
        recommend = rng.randint(0, 10)
        await submit(gql, member(who), answers(riding, services, recommend))
        latest[who] = {
            ("bike.profile", "riding"): LatestAnswer(frozenset([riding])),
            ("bike.profile", "services"): LatestAnswer(frozenset(services)),
            ("bike.profile", "recommend"): LatestAnswer(value=recommend),
        }
    segments = dict(await MemberInsight.all().values_list("member_id", "segment"))
    reached = set()
    for _ in range(25):
        given = [_random_condition(rng) for _ in range(rng.randint(1, 3))]
        target = Target(answers=tuple(AnswerCondition(**item) for item in given))
        expected = sum(matches(target, segments[who], None, None, latest.get(who)) for who in ids)
        assert await audience(gql, {"answers": given}) == expected, given
        reached.add(expected)
    assert len(reached) > 3  # the targets reached populations of many sizes
