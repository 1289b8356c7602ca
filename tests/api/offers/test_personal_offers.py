"""Personal offers: a reward with an `audience` of answer conditions is seen and redeemed only by
members whose latest answers meet every condition; anyone else is refused FORBIDDEN. What a
member sees follows their answers at once, through the read cache, and the catalogue costs the
same statements however many personal offers it holds."""

from __future__ import annotations

from typing import Any

from domain.models import Reward
from tests.api.offers.common import answers, condition, profile, submit
from tests.api.read_cache.common import lookups
from tests.api.rewards.test_rewards import earn, redeem
from tests.conftest import ADMIN, member, token
from tests.helpers import counting, table_sums, tables_changed

UPSERT_REWARD = """
mutation Upsert($input: UpsertRewardInput!) {
  upsertReward(input: $input) {
    reward { key cost active audience { questionnaire question choice min max } }
    errors { code message field }
  }
}
"""
CATALOGUE = "{ rewards { key } }"

ROAD = [condition("riding", choice="road")]
LOYAL_ROAD = [condition("riding", choice="road"), condition("recommend", min=9)]


async def offer(gql: Any, key: str, audience: list[dict[str, Any]], cost: int = 50) -> dict:
    body = await gql(
        UPSERT_REWARD,
        {"input": {"key": key, "name": key.title(), "cost": cost, "audience": audience}},
        as_=ADMIN,
    )
    payload: dict[str, Any] = body["data"]["upsertReward"]
    assert payload["errors"] == [], payload
    return payload["reward"]


async def seen_by(gql: Any, who: tuple[str, str] | None, **headers: str) -> list[str]:
    body = await gql(CATALOGUE, as_=who, headers=headers or None)
    assert "errors" not in body, body
    return sorted(reward["key"] for reward in body["data"]["rewards"])


async def test_a_reward_with_an_audience_is_seen_only_by_members_whose_answers_meet_it(gql):
    await profile(gql)
    await offer(gql, "mug", [])
    created = await offer(gql, "road.service", ROAD)
    assert created["audience"] == [
        {
            "questionnaire": "bike.profile",
            "question": "riding",
            "choice": "road",
            "min": None,
            "max": None,
        }
    ]
    # A range shows both ends: a missing one is the end of the scale.
    fans = await offer(gql, "fan.kit", [condition("recommend", min=9)])
    assert fans["audience"] == [condition("recommend", choice=None, min=9, max=10)]
    await offer(gql, "loyal.road", LOYAL_ROAD)

    await submit(gql, member("ada"), answers(riding="road", recommend=9))
    await submit(gql, member("bob"), answers(riding="mountain", recommend=10))
    await submit(gql, member("cid"), answers(riding="road", recommend=3))

    assert await seen_by(gql, member("ada")) == ["fan.kit", "loyal.road", "mug", "road.service"]
    assert await seen_by(gql, member("bob")) == ["fan.kit", "mug"]
    assert await seen_by(gql, member("cid")) == ["mug", "road.service"]
    # Nobody's answers, nobody's offers: a member who never answered, and anonymous readers.
    assert await seen_by(gql, member("dan")) == ["mug"]
    assert await seen_by(gql, None) == ["mug"]
    # Admins see the whole catalogue.
    assert await seen_by(gql, ADMIN) == ["fan.kit", "loyal.road", "mug", "road.service"]


async def test_only_the_audience_may_redeem_a_personal_offer(gql, drain):
    await profile(gql)
    await offer(gql, "loyal.road", LOYAL_ROAD)
    await submit(gql, member("ada"), answers(riding="road", recommend=9))
    await submit(gql, member("cid"), answers(riding="road", recommend=3))
    for who in ("ada", "cid", "dan"):
        await earn(gql, drain, who, 100, key=f"grant-{who}")

    redeemed = await redeem(gql, "ada", "r1", reward_key="loyal.road")
    assert redeemed["errors"] == [] and redeemed["redemption"]["cost"] == 50
    for who in ("cid", "dan"):  # one condition of two; no answers at all
        before = await table_sums()
        refused = await redeem(gql, who, "r1", reward_key="loyal.road")
        assert [(e["code"], e["field"]) for e in refused["errors"]] == [
            ("FORBIDDEN", ["input", "rewardKey"])
        ]
        assert tables_changed(before, await table_sums()) == []


async def test_what_a_member_sees_follows_their_latest_answers_through_the_read_cache(gql, clock):
    await profile(gql, repeatEveryDays=1)
    await offer(gql, "road.service", ROAD)
    await submit(gql, member("bob"), answers(riding="mountain"), key="first")
    assert await seen_by(gql, member("bob")) == []
    hits = lookups("hit")
    assert await seen_by(gql, member("bob")) == []
    assert lookups("hit") == hits + 1  # the catalogue is cached for bob...

    clock.advance(days=1)
    await submit(gql, member("bob"), answers(riding="road"), key="second")
    # ...and his new answers drop it at once: his submission touched him.
    assert await seen_by(gql, member("bob")) == ["road.service"]
    # A new personal offer (a definition: the program's version) reaches cached catalogues too.
    await offer(gql, "mountain.service", [condition("riding", choice="mountain")])
    await offer(gql, "any.road", [condition("services", choice="repair")])
    assert await seen_by(gql, member("bob")) == ["any.road", "road.service"]
    # The earlier answer is history: it matches nothing any more.
    assert (await redeem(gql, "bob", "r1", reward_key="mountain.service"))["errors"][0][
        "code"
    ] == "FORBIDDEN"


async def test_the_catalogue_costs_the_same_statements_however_many_offers_it_holds(gql):
    await profile(gql)
    await submit(gql, member("ada"), answers(riding="road", recommend=9))

    async def statements() -> tuple[int, int]:
        with counting() as counter:
            seen = await seen_by(gql, member("ada"), **{"cache-control": "no-store"})
        return len(seen), len(counter.statements)

    for n in range(2):
        await offer(gql, f"offer.n{n}", LOYAL_ROAD if n % 2 else ROAD)
    shown, few = await statements()
    assert shown == 2
    for n in range(2, 12):
        await offer(gql, f"offer.n{n}", LOYAL_ROAD if n % 2 else ROAD)
    shown, many = await statements()
    assert shown == 12 and many == few <= 3


async def test_an_invalid_audience_is_refused_and_changes_nothing(gql):
    await profile(gql)
    await offer(gql, "mug", [])
    before = await table_sums()
    for audience, field in (
        ([condition("riding")], ["input", "audience", "0"]),
        ([condition("riding", choice="road", min=1)], ["input", "audience", "0"]),
        (
            [{"questionnaire": "nope", "question": "riding", "choice": "road"}],
            ["input", "audience", "0", "questionnaire"],
        ),
        ([condition("colour", choice="red")], ["input", "audience", "0", "question"]),
        ([condition("riding", choice="gravel")], ["input", "audience", "0", "choice"]),
        ([condition("recommend", choice="9")], ["input", "audience", "0", "choice"]),
        ([condition("riding", min=1)], ["input", "audience", "0", "min"]),
        ([condition("wish", max=3)], ["input", "audience", "0", "max"]),
        ([condition("recommend", min=11)], ["input", "audience", "0", "min"]),
        ([condition("recommend", min=-1, max=5)], ["input", "audience", "0", "min"]),
        ([condition("recommend", min=8, max=3)], ["input", "audience", "0", "max"]),
        ([*ROAD, condition("riding", choice="x")], ["input", "audience", "1", "choice"]),
        (ROAD * 11, ["input", "audience"]),
    ):
        body = await gql(
            UPSERT_REWARD,
            {"input": {"key": "mug", "name": "Mug", "cost": 9, "audience": audience}},
            as_=ADMIN,
        )
        errors = body["data"]["upsertReward"]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [("INVALID_INPUT", field)], audience
    assert tables_changed(before, await table_sums()) == []
    assert (await Reward.get(key="mug")).cost == 50


async def test_a_catalogue_with_personal_offers_is_never_shared_between_viewers(
    gql, client, settings
):
    await profile(gql)
    await offer(gql, "road.service", ROAD)
    await submit(gql, member("ada"), answers(riding="road"))
    query = {"query": CATALOGUE}
    bearer = {"authorization": f"Bearer {token(settings, 'ada')}"}
    mine = await client.get("/graphql", params=query, headers=bearer)
    assert mine.json()["data"]["rewards"] == [{"key": "road.service"}]
    assert mine.headers["cache-control"] == "private, no-cache"
    assert "Authorization" in mine.headers["vary"]
    # Without a token the answer is everyone's (shared caches may keep it): no personal offer.
    anyone = await client.get("/graphql", params=query)
    assert anyone.json()["data"]["rewards"] == []
    assert anyone.headers["cache-control"] == "public, no-cache"
