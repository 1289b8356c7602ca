"""Text no database can store (a NUL byte, a lone surrogate) and oversized free text are
refused with INVALID_INPUT naming the field, whatever argument carries them, on every storage;
nothing is stored and nothing is masked as an unexpected error."""

from __future__ import annotations

import json
from typing import Any

import pytest

from domain.models import Action, Interaction, Member, Reward
from tests.conftest import ADMIN, SERVICE, GraphQL, member, token
from tests.helpers import ME, RECORD, UPSERT_ACTION, action_input, define

NUL, SURROGATE = "bad\x00text", "bad\ud800text"

UPSERT_REWARD = """mutation($i: UpsertRewardInput!) {
  upsertReward(input: $i) { reward { key } errors { code message field } } }"""
UPSERT_BADGE = """mutation($i: UpsertBadgeInput!) {
  upsertBadge(input: $i) { badge { key } errors { code message field } } }"""
UPDATE_PROFILE = """mutation($i: UpdateProfileInput!) {
  updateProfile(input: $i) { member { displayName } errors { code message field } } }"""
RECORD_MANY = """mutation($i: [RecordInteractionInput!]!) {
  recordInteractions(inputs: $i) {
    accepted errors { code field } results { index errors { code field } } } }"""


async def send(
    gql: GraphQL, query: str, variables: dict[str, Any] | None = None, *, as_: tuple[str, str]
) -> dict[str, Any]:
    """Post as `gql` would, but as ASCII JSON: a lone surrogate travels as a `\\ud800` escape,
    the way a client's JSON encoder sends one."""
    headers = {
        "content-type": "application/json",
        "authorization": f"Bearer {token(gql.settings, *as_)}",
    }
    body = json.dumps({"query": query, "variables": variables or {}})
    response = await gql.http.post("/graphql", content=body, headers=headers)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def error_of(body: dict[str, Any], mutation: str) -> dict[str, Any]:
    assert "errors" not in body, body
    [error] = body["data"][mutation]["errors"]
    return error


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
async def test_an_action_key_with_unstorable_text_is_refused(gql, bad):
    body = await send(
        gql, RECORD, {"input": {"action": bad, "idempotencyKey": "k"}}, as_=member("ada")
    )
    error = error_of(body, "recordInteraction")
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", "action"])
    assert await Interaction.all().count() == 0


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
@pytest.mark.parametrize("where", ["value", "key", "nested"])
async def test_properties_with_unstorable_text_are_refused(gql, bad, where):
    await define(gql)
    properties = {
        "value": {"comment": bad},
        "key": {bad: 1},
        "nested": {"a": [{"b": [bad]}]},
    }[where]
    variables = {
        "input": {"action": "app.daily_open", "idempotencyKey": "k", "properties": properties}
    }
    error = error_of(await send(gql, RECORD, variables, as_=member("ada")), "recordInteraction")
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", "properties"])
    assert await Interaction.all().count() == 0


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
@pytest.mark.parametrize("field", ["action", "memberId", "idempotencyKey", "properties"])
async def test_a_bulk_item_with_unstorable_text_is_refused_on_its_own(gql, bad, field):
    value: Any = {"note": bad} if field == "properties" else bad
    items = [
        {"action": "a.b", "idempotencyKey": "k1", "memberId": "ada"},
        {"action": "a.b", "idempotencyKey": "k2", "memberId": "ada", field: value},
    ]
    body = await send(gql, RECORD_MANY, {"i": items}, as_=SERVICE)
    result = body["data"]["recordInteractions"]
    assert (result["accepted"], result["errors"]) == (1, [])
    [error] = result["results"][1]["errors"]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["inputs", "1", field])
    assert await Interaction.all().count() == 1


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
async def test_a_display_name_with_unstorable_text_is_refused(gql, bad):
    assert "errors" not in await send(gql, ME, as_=member("ada"))
    body = await send(gql, UPDATE_PROFILE, {"i": {"displayName": bad}}, as_=member("ada"))
    error = error_of(body, "updateProfile")
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", "displayName"])
    assert "\x00" not in (await Member.get(id="ada")).display_name


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
@pytest.mark.parametrize("field", ["key", "name", "description"])
async def test_definitions_with_unstorable_text_are_refused(gql, bad, field):
    reward = {"key": "mug", "name": "Mug", "cost": 10, field: bad}
    error = error_of(await send(gql, UPSERT_REWARD, {"i": reward}, as_=ADMIN), "upsertReward")
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", field])
    action = action_input("a.b") | {field: bad}
    error = error_of(await send(gql, UPSERT_ACTION, {"input": action}, as_=ADMIN), "upsertAction")
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", field])
    assert await Reward.all().count() == await Action.all().count() == 0


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ("query($v: ID!) { member(id: $v) { id } }", "id"),
        ("query($v: String!) { leaderboard(board: $v, period: ALL_TIME) { size } }", "board"),
    ],
    ids=["member id", "board key"],
)
async def test_a_query_argument_with_unstorable_text_is_an_invalid_input_error(
    gql, bad, query, argument
):
    body = await send(gql, query, {"v": bad}, as_=ADMIN)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["extensions"]["field"] == [argument]


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
async def test_a_challenge_key_with_unstorable_text_is_refused(gql, bad):
    enroll = (
        "mutation($k: String!) { enrollInChallenge(challengeKey: $k) { errors { code field } } }"
    )
    body = await send(gql, enroll, {"k": bad}, as_=member("ada"))
    assert body["data"]["enrollInChallenge"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["challengeKey"]}
    ]


async def test_a_literal_string_is_checked_like_a_variable(gql):
    body = await send(
        gql,
        'mutation { upsertReward(input: {key: "mug", name: "M\\u0000g", cost: 1}) '
        "{ errors { code field } } }",
        as_=ADMIN,
    )
    assert body["data"]["upsertReward"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "name"]}
    ]


async def test_an_oversized_description_is_refused_saying_how_long_it_may_be(gql):
    badge = {"key": "reviewer", "name": "Reviewer", "description": "d" * 900_000}
    error = error_of(await send(gql, UPSERT_BADGE, {"i": badge}, as_=ADMIN), "upsertBadge")
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", "description"])
    assert "at most 2,000 characters" in error["message"]


async def test_an_oversized_image_url_is_refused_as_too_long_not_as_a_bad_url(gql):
    badge = {
        "key": "reviewer",
        "name": "Reviewer",
        "imageUrl": "https://cdn.example.com/" + "a" * 100_000,
    }
    error = error_of(await send(gql, UPSERT_BADGE, {"i": badge}, as_=ADMIN), "upsertBadge")
    assert error["field"] == ["input", "imageUrl"]
    assert "too long" in error["message"]
