"""A board's neighbourhood answered without executing (`api.leaderboards.direct`): for every
document, variables and credentials, the answer (errors and status included) is the one the
executed document gives, and a recognised read is one Redis round trip."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.routing import Route

from api.leaderboards.direct import DirectReads
from tests.api.challenges.test_challenges import challenge
from tests.conftest import SERVICE, member
from tests.domain.leaderboards.round_trips import counted_store, counting
from tests.helpers import define, record

ENTRY = "__typename rank score member { __typename id displayName avatarUrl }"
NEIGHBOURS = f"""
query Around($memberId: ID!) {{
  leaderboard(board: "points", period: ALL_TIME) {{
    around(memberId: $memberId, radius: 5) {{ {ENTRY} }}
  }}
}}"""
ALIASED = """
query Mine($r: Int) {
  __typename
  a: leaderboard(board: "points") {
    __typename b: board p: period n: size
    mine: around(radius: $r) { r: rank s: score m: member { n: displayName id } }
    e: entry(memberId: "bob") { rank }
    none: entry(memberId: "nobody") { rank }
  }
  d: leaderboard(period: DAILY) { size entry { score } }
}"""
BY_VARIABLES = """
query Board($b: String!, $p: LeaderboardPeriod!, $m: ID, $r: Int = 2) {
  leaderboard(board: $b, period: $p) { board period around(memberId: $m, radius: $r) { rank } }
}"""
LITERAL_ID = "{ leaderboard { entry(memberId: 42) { score member { id } } } }"
WITH_FRAGMENT = """
query { leaderboard { around(memberId: "ada", radius: 1) { ...Entry } } }
fragment Entry on LeaderboardEntry { rank member { id } }"""
WITH_PAGE = """
{ leaderboard { entries(first: 2) { edges { node { rank } } } entry(memberId: "ada") { rank } } }"""

# (document, variables, who): `who` is a member's subject, None (no token) or "bad" (a token
# that does not verify). The first group is recognised and answered directly.
DIRECT = [
    (NEIGHBOURS, {"memberId": "cy"}, "bob"),
    (NEIGHBOURS, {"memberId": "nobody"}, None),
    (ALIASED, {"r": 1}, "ada"),
    (ALIASED, {"r": None}, "dee"),
    (ALIASED, {"r": 500}, None),
    (ALIASED, {"r": -3}, "zed"),
    (BY_VARIABLES, {"b": "points", "p": "WEEKLY", "m": "ada"}, None),
    (BY_VARIABLES, {"b": "challenge:sprint", "p": "ALL_TIME", "m": "bob", "r": 0}, None),
    (BY_VARIABLES, {"b": "referrals", "p": "MONTHLY"}, "ada"),
    (LITERAL_ID, {}, None),
]
EXECUTED = [
    (BY_VARIABLES, {"b": "nope", "p": "ALL_TIME", "m": "ada"}, None),  # NOT_FOUND
    (BY_VARIABLES, {"b": "challenge:sprint", "p": "WEEKLY", "m": "ada"}, None),  # INVALID_INPUT
    (BY_VARIABLES, {"b": "points", "p": "ALL_TIME", "m": "a\x00da"}, None),  # INVALID_INPUT
    (BY_VARIABLES, {"b": "points", "p": "SOMETIMES"}, None),  # the variable does not coerce
    (BY_VARIABLES, {"p": "ALL_TIME"}, None),  # a required variable left out
    (NEIGHBOURS, {"memberId": "ada"}, "bad"),  # UNAUTHENTICATED
    (WITH_FRAGMENT, {}, None),
    (WITH_PAGE, {}, "ada"),
]


@pytest.fixture
async def board(gql, drain) -> None:
    """ada 30 (chose a name and an avatar), bob 20, cy 20 (after bob), dee 10, "42" 10; bob and
    cy on the sprint challenge's board; a referral-less referrals board."""
    await define(gql, "review.posted", 10, memberReportable=False)
    await challenge(gql, "sprint")
    for who, times in (("ada", 3), ("bob", 2), ("cy", 2), ("dee", 1), ("42", 1)):
        for index in range(times):
            await record(gql, SERVICE, action="review.posted", memberId=who, key=f"{who}{index}")
        await drain()
    rename = "mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { errors { code } } }"
    profile = {"displayName": "Ada « Lovelace »", "avatarUrl": "https://cdn.example/ada.png"}
    await gql(rename, {"i": profile}, as_=member("ada"))


def schema_of(server: Any) -> Any:
    [route] = [r for r in server.app.routes if isinstance(r, Route) and r.path == "/graphql"]
    return route.endpoint.view.schema


async def ask(client: Any, settings: Any, query: str, variables: dict[str, Any], who: Any) -> Any:
    from tests.conftest import token

    headers = {"accept": "application/graphql-response+json"}
    if who == "bad":
        headers["authorization"] = "Bearer not-a-token"
    elif who is not None:
        headers["authorization"] = f"Bearer {token(settings, who)}"
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    return response.status_code, response.json()


@pytest.mark.parametrize(("query", "variables", "who"), DIRECT + EXECUTED)
async def test_the_answer_is_the_executed_answer(
    board, server, client, settings, monkeypatch, query, variables, who
):
    schema = schema_of(server)
    answered: list[bool] = []
    real = DirectReads.answer

    async def spied(self: DirectReads, *args: Any) -> Any:
        result = await real(self, *args)
        answered.append(result is not None)
        return result

    monkeypatch.setattr(DirectReads, "answer", spied)
    direct = await ask(client, settings, query, variables, who)
    assert answered == [(query, variables, who) in DIRECT]
    monkeypatch.setattr(schema, "direct_reads", None)
    executed = await ask(client, settings, query, variables, who)

    assert direct == executed


async def test_the_answer_is_the_boards_own_order_and_names(board, gql):
    body = await gql(NEIGHBOURS, {"memberId": "cy"})
    around = body["data"]["leaderboard"]["around"]
    assert [(e["rank"], e["score"], e["member"]["id"]) for e in around] == [
        (1, 30, "ada"),
        (2, 20, "bob"),
        (3, 20, "cy"),
        (4, 10, "dee"),
        (5, 10, "42"),
    ]
    assert around[0]["member"]["displayName"] == "Ada « Lovelace »"
    assert around[1]["member"]["displayName"].startswith("Member ")


async def test_a_recognised_read_is_one_redis_round_trip(board, gql, runtime):
    async with counted_store(runtime) as sent:
        await gql(NEIGHBOURS, {"memberId": "cy"})  # warm
        with counting(sent):
            body = await gql(NEIGHBOURS, {"memberId": "cy"}, as_=member("bob"))
        assert "errors" not in body
        assert sent.round_trips == 1
        with counting(sent):
            await gql(ALIASED, {"r": 2}, as_=member("ada"))
        assert sent.round_trips == 2  # two boards (all time, today): one script each


async def test_an_executed_read_of_a_board_is_one_redis_round_trip_too(board, gql, runtime):
    query = """
    query($m: ID) { leaderboard { size around(memberId: $m, radius: 1) { rank }
      ...More } }
    fragment More on Leaderboard { entry(memberId: "bob") { rank } mine: entry { score } }
    """
    async with counted_store(runtime) as sent:
        await gql(query, {"m": "cy"}, as_=member("ada"))
        with counting(sent):
            body = await gql(query, {"m": "cy"}, as_=member("ada"))
    assert "errors" not in body, body
    assert body["data"]["leaderboard"]["mine"] == {"score": 30}
    assert sent.round_trips == 1
