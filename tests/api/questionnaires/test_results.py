"""Results from members' latest answers: counts per option, mean and NPS, overall and by tier or
RFM segment."""

from __future__ import annotations

from datetime import date

from domain.models import Member, MemberInsight
from tests.api.questionnaires.common import RESULTS, answers, submit, upsert
from tests.api.read_cache.common import Clock
from tests.conftest import ADMIN, member

TIER = """
mutation Upsert($input: UpsertTierInput!) { upsertTier(input: $input) { errors { code } } }
"""


async def results(gql, **variables):
    body = await gql(RESULTS, {"key": "bike.profile", **variables}, as_=ADMIN)
    assert "errors" not in body, body
    return body["data"]["questionnaireResults"]


def by_question(found):
    return {q["question"]: q for q in found["questions"]}


async def three_members_answer(gql):
    await upsert(gql)
    await submit(gql, member("ada"), answers("road", ("repair", "fitting"), 10, wish="gels"))
    await submit(gql, member("bob"), answers("road", ("repair",), 7))
    await submit(gql, member("cy"), answers("city", ("rental",), 3))


async def test_counts_mean_and_nps(gql):
    await three_members_answer(gql)
    found = await results(gql)
    assert found["questionnaire"]["key"] == "bike.profile"
    assert found["respondents"] == 3
    questions = by_question(found)
    assert questions["riding"]["responses"] == 3
    assert questions["riding"]["counts"] == [
        {"option": "road", "count": 2},
        {"option": "mountain", "count": 0},
        {"option": "city", "count": 1},
    ]
    assert questions["services"]["counts"] == [
        {"option": "repair", "count": 2},
        {"option": "fitting", "count": 1},
        {"option": "rental", "count": 1},
    ]
    recommend = questions["recommend"]
    assert recommend["responses"] == 3
    assert recommend["mean"] == 20 / 3
    # One promoter (10), one passive (7), one detractor (3): 33 % - 33 % = 0.
    assert recommend["nps"] == 0
    assert recommend["counts"] == []
    # Text answers are counted, never shown in results.
    assert questions["wish"] == {
        "question": "wish",
        "responses": 1,
        "counts": [],
        "mean": None,
        "nps": None,
    }


async def test_only_the_latest_answers_count(gql, clock: Clock):
    await upsert(gql, repeatEveryDays=1)
    await submit(gql, member("ada"), answers("road", recommend=2))
    clock.advance(days=1)
    await submit(gql, member("ada"), answers("mountain", recommend=9), key="s2")
    found = await results(gql)
    assert found["respondents"] == 1
    questions = by_question(found)
    assert questions["riding"]["counts"][:2] == [
        {"option": "road", "count": 0},
        {"option": "mountain", "count": 1},
    ]
    assert questions["recommend"]["nps"] == 100


async def test_results_by_tier(gql):
    await three_members_answer(gql)
    body = await gql(TIER, {"input": {"key": "gold", "name": "Gold", "threshold": 1000}}, as_=ADMIN)
    assert body["data"]["upsertTier"]["errors"] == []
    await Member.filter(id="ada").update(tier_key="gold")

    gold = await results(gql, tier="gold")
    assert gold["respondents"] == 1
    assert by_question(gold)["recommend"]["nps"] == 100
    base = await results(gql, tier="base")
    assert base["respondents"] == 2
    assert by_question(base)["recommend"]["mean"] == 5.0
    nobody = await results(gql, tier="platinum")
    assert nobody["respondents"] == 0
    assert by_question(nobody)["recommend"]["mean"] is None


async def test_results_by_rfm_segment_of_the_latest_refresh(gql):
    await three_members_answer(gql)
    for who, segment, as_of in [
        ("ada", "LOST", date(2026, 1, 1)),  # an older refresh: not read
        ("ada", "CHAMPIONS", date(2026, 2, 1)),
        ("bob", "CHAMPIONS", date(2026, 2, 1)),
        ("cy", "LOST", date(2026, 2, 1)),
    ]:
        await MemberInsight.create(
            member_id=who,
            as_of=as_of.isoformat(),
            recency=1,
            frequency=1,
            monetary=1,
            r=5,
            f=5,
            m=5,
            segment=segment,
            repeat_days=1,
            weeks_to_last=1.0,
            weeks_observed=1.0,
        )
    champions = await results(gql, segment="CHAMPIONS")
    assert champions["respondents"] == 2
    assert by_question(champions)["recommend"]["mean"] == 8.5
    lost = await results(gql, segment="LOST")
    assert lost["respondents"] == 1
    assert by_question(lost)["recommend"]["nps"] == -100

    # Both: the tier's members within the segment.
    body = await gql(TIER, {"input": {"key": "gold", "name": "Gold", "threshold": 1000}}, as_=ADMIN)
    assert body["data"]["upsertTier"]["errors"] == []
    await Member.filter(id="ada").update(tier_key="gold")
    gold_champions = await results(gql, tier="gold", segment="CHAMPIONS")
    assert gold_champions["respondents"] == 1
    assert by_question(gold_champions)["recommend"]["mean"] == 10.0


async def test_results_are_for_admins_and_null_for_an_unknown_key(gql):
    await upsert(gql)
    body = await gql(RESULTS, {"key": "bike.profile"}, as_=member("ada"))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await gql(RESULTS, {"key": "nope"}, as_=ADMIN)
    assert body["data"]["questionnaireResults"] is None
