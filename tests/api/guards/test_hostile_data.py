"""Hostile data that passes the type checks: totals beyond GraphQL's Int, idempotency keys
reused for another request, secret badges reached through a challenge, keys longer than any
key, and goals naming actions that do not exist. Each is answered with a stable code and
changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from domain.models import (
    AuditRecord,
    Badge,
    Challenge,
    Interaction,
    LedgerEntry,
    Member,
    Redemption,
)
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import LEADERBOARD, ME, RECORD, define

INT_MAX = 2**31 - 1

ADJUST = """mutation($i: AdjustPointsInput!) {
  adjustPoints(input: $i) { entry { id amount balanceAfter } errors { code message field } } }"""
RECORD_MANY = """mutation($i: [RecordInteractionInput!]!) {
  recordInteractions(inputs: $i) {
    accepted refused results { index interaction { id action } errors { code field } } } }"""
UPSERT_REWARD = """mutation($i: UpsertRewardInput!) {
  upsertReward(input: $i) { errors { code } } }"""
REDEEM = """mutation($i: RedeemRewardInput!) {
  redeemReward(input: $i) { redemption { id } errors { code message field } } }"""
UPSERT_BADGE = """mutation($i: UpsertBadgeInput!) {
  upsertBadge(input: $i) { badge { key } errors { code message field } } }"""
UPSERT_CHALLENGE = """mutation($i: UpsertChallengeInput!) {
  upsertChallenge(input: $i) { challenge { key } errors { code message field } } }"""
AWARD = """mutation($m: ID!, $b: String!) {
  awardBadge(memberId: $m, badgeKey: $b) { errors { code } } }"""
ENROLL = "mutation($k: String!) { enrollInChallenge(challengeKey: $k) { errors { code } } }"
BOARD = "query($k: String!) { leaderboard(board: $k, period: ALL_TIME) { size } }"
UPSERT_TIER = """mutation($i: UpsertTierInput!) {
  upsertTier(input: $i) { errors { code field } } }"""
CHALLENGES = "{ challenges { key rewardBadge { key secret } } }"
MY_CHALLENGES = "{ me { challenges { challenge { key rewardBadge { key } } } } }"


def adjustment(amount: int, key: str = "a1", reason: str = "goodwill") -> dict[str, Any]:
    return {"i": {"memberId": "ada", "amount": amount, "reason": reason, "idempotencyKey": key}}


def payload(body: dict[str, Any], mutation: str) -> dict[str, Any]:
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][mutation]
    return result


def codes_of(result: dict[str, Any]) -> list[str]:
    return [error["code"] for error in result["errors"]]


async def enrolled(gql, who: str = "ada") -> None:
    assert "errors" not in await gql(ME, as_=member(who))


# --- Points beyond 32 bits -----------------------------------------------------------------


async def test_a_credit_that_would_overflow_the_balance_is_refused_and_changes_nothing(gql):
    await enrolled(gql)
    first = payload(await gql(ADJUST, adjustment(INT_MAX, "one"), as_=ADMIN), "adjustPoints")
    assert first["errors"] == [] and first["entry"]["balanceAfter"] == INT_MAX

    second = payload(await gql(ADJUST, adjustment(INT_MAX, "two"), as_=ADMIN), "adjustPoints")
    assert second["entry"] is None
    [error] = second["errors"]
    assert (error["code"], error["field"]) == ("POINTS_OVERFLOW", ["input", "amount"])
    assert "2,147,483,647" in error["message"]
    one_more = payload(await gql(ADJUST, adjustment(1, "three"), as_=ADMIN), "adjustPoints")
    assert codes_of(one_more) == ["POINTS_OVERFLOW"]

    assert await LedgerEntry.filter(member_id="ada").count() == 1
    assert await AuditRecord.filter(operation="adjustPoints").count() == 1
    me = await gql(ME, as_=member("ada"))
    assert me["data"]["me"]["points"] == {"balance": INT_MAX, "lifetime": INT_MAX}
    board = await gql(LEADERBOARD, {"period": "ALL_TIME"})
    assert "errors" not in board, board
    [entry] = board["data"]["leaderboard"]["entries"]["edges"]
    assert entry["node"]["score"] == INT_MAX


async def test_a_debit_after_the_maximum_still_works(gql):
    await enrolled(gql)
    await gql(ADJUST, adjustment(INT_MAX, "one"), as_=ADMIN)
    debit = payload(await gql(ADJUST, adjustment(-INT_MAX, "two"), as_=ADMIN), "adjustPoints")
    assert debit["errors"] == [] and debit["entry"]["balanceAfter"] == 0
    # Lifetime points stay at the maximum: a further earned credit would overflow them.
    again = payload(await gql(ADJUST, adjustment(1, "three"), as_=ADMIN), "adjustPoints")
    assert codes_of(again) == ["POINTS_OVERFLOW"]


async def test_an_interaction_award_is_capped_at_the_maximum_and_says_so(gql, drain):
    await define(gql, "app.open", 10)
    await enrolled(gql)
    await gql(ADJUST, adjustment(INT_MAX - 4, "near"), as_=ADMIN)
    record = {"input": {"action": "app.open", "idempotencyKey": "r1"}}
    assert "errors" not in await gql(RECORD, record, as_=member("ada"))

    assert await drain() == 1

    [interaction] = await Interaction.filter(member_id="ada")
    assert (interaction.status, interaction.points_awarded) == ("AWARDED", 4)
    entry = await LedgerEntry.filter(member_id="ada", reason="ACTION").get()
    assert entry.amount == 4 and "6 points over the maximum total" in entry.description
    me = await gql(ME, as_=member("ada"))
    assert me["data"]["me"]["points"] == {"balance": INT_MAX, "lifetime": INT_MAX}


async def test_a_total_stored_beyond_the_int_is_read_clamped_and_the_board_still_answers(
    gql, caplog
):
    """Rows written before the bound existed must not break anybody's read."""
    await enrolled(gql)
    await enrolled(gql, "bob")
    goals = [{"metric": "POINTS_EARNED", "target": 100}]
    body = await gql(
        UPSERT_BADGE, {"i": {"key": "rich", "name": "Rich", "goals": goals}}, as_=ADMIN
    )
    assert payload(body, "upsertBadge")["errors"] == []
    await Member.filter(id="ada").update(balance=2 * INT_MAX, lifetime=2 * INT_MAX)
    me = await gql(ME, as_=member("ada"))
    assert "errors" not in me, me
    assert me["data"]["me"]["points"] == {"balance": INT_MAX, "lifetime": INT_MAX}
    progress = await gql("{ me { badges { progress { current } } } }", as_=member("ada"))
    assert progress["data"]["me"]["badges"] == [{"progress": [{"current": INT_MAX}]}]
    assert any("beyond GraphQL's Int" in r.getMessage() for r in caplog.records)
    board = await gql(LEADERBOARD, {"period": "ALL_TIME"}, as_=member("bob"))
    assert "errors" not in board, board


# --- Idempotency keys reused with another request ------------------------------------------


async def test_an_adjustment_key_reused_with_another_amount_is_refused(gql):
    await enrolled(gql)
    first = payload(await gql(ADJUST, adjustment(50, "same"), as_=ADMIN), "adjustPoints")
    replay = payload(await gql(ADJUST, adjustment(50, "same"), as_=ADMIN), "adjustPoints")
    assert replay == first  # an identical replay answers with the first entry

    for changed in (adjustment(999, "same"), adjustment(50, "same", reason="other")):
        reused = payload(await gql(ADJUST, changed, as_=ADMIN), "adjustPoints")
        assert reused["entry"] is None
        [error] = reused["errors"]
        assert (error["code"], error["field"]) == (
            "IDEMPOTENCY_KEY_REUSED",
            ["input", "idempotencyKey"],
        )
    assert (await Member.get(id="ada")).balance == 50
    assert await AuditRecord.filter(operation="adjustPoints").count() == 1


async def test_an_interaction_key_reused_with_another_action_is_refused(gql):
    await define(gql, "app.open")
    await define(gql, "app.share")
    ada = member("ada")
    sent = {"action": "app.open", "idempotencyKey": "k", "properties": {"screen": "home"}}
    first = payload(await gql(RECORD, {"input": sent}, as_=ada), "recordInteraction")
    replay = payload(await gql(RECORD, {"input": sent}, as_=ada), "recordInteraction")
    assert replay["interaction"]["id"] == first["interaction"]["id"]

    for changed in ({"action": "app.share"}, {"properties": {"screen": "cart"}}):
        body = await gql(RECORD, {"input": sent | changed}, as_=ada)
        reused = payload(body, "recordInteraction")
        assert reused["interaction"] is None
        assert [(e["code"], e["field"]) for e in reused["errors"]] == [
            ("IDEMPOTENCY_KEY_REUSED", ["input", "idempotencyKey"])
        ]
    assert await Interaction.all().count() == 1


async def test_a_bulk_item_reusing_a_key_for_another_action_is_refused_alone(gql):
    await define(gql, "app.open")
    await define(gql, "app.share")
    stored = {
        "action": "app.open",
        "idempotencyKey": "k1",
        "memberId": "ada",
        "properties": {"n": 1.5, "tags": ["a", "é"], "nested": {"x": None}},
    }
    payload(await gql(RECORD_MANY, {"i": [stored]}, as_=SERVICE), "recordInteractions")
    items = [
        stored,  # an identical replay of the earlier call
        stored | {"action": "app.share"},  # the earlier call's key, another action
        stored | {"properties": {"n": 2}},  # the earlier call's key, other properties
        {"action": "app.open", "idempotencyKey": "k2", "memberId": "ada"},
        {"action": "app.share", "idempotencyKey": "k2", "memberId": "ada"},  # same call
    ]
    result = payload(await gql(RECORD_MANY, {"i": items}, as_=SERVICE), "recordInteractions")
    assert (result["accepted"], result["refused"]) == (2, 3)
    outcome = [
        (r["interaction"] or {}).get("action") or r["errors"][0]["code"] for r in result["results"]
    ]
    reused = "IDEMPOTENCY_KEY_REUSED"
    assert outcome == ["app.open", reused, reused, "app.open", reused]
    assert result["results"][1]["errors"][0]["field"] == ["inputs", "1", "idempotencyKey"]
    assert await Interaction.all().count() == 2


async def test_a_redemption_key_reused_for_another_reward_is_refused(gql):
    await enrolled(gql)
    await gql(ADJUST, adjustment(500), as_=ADMIN)
    for key in ("mug", "cap"):
        reward = {"key": key, "name": key.title(), "cost": 100}
        assert (
            payload(await gql(UPSERT_REWARD, {"i": reward}, as_=ADMIN), "upsertReward")["errors"]
            == []
        )
    ada = member("ada")
    mug = {"i": {"rewardKey": "mug", "idempotencyKey": "r1"}}
    first = payload(await gql(REDEEM, mug, as_=ada), "redeemReward")
    assert payload(await gql(REDEEM, mug, as_=ada), "redeemReward") == first

    cap = {"i": {"rewardKey": "cap", "idempotencyKey": "r1"}}
    reused = payload(await gql(REDEEM, cap, as_=ada), "redeemReward")
    assert reused["redemption"] is None
    assert [(e["code"], e["field"]) for e in reused["errors"]] == [
        ("IDEMPOTENCY_KEY_REUSED", ["input", "idempotencyKey"])
    ]
    assert await Redemption.all().count() == 1
    assert (await Member.get(id="ada")).balance == 400


# --- Keys longer than any key --------------------------------------------------------------


async def test_keys_longer_than_any_key_are_not_found_not_unexpected(gql):
    await enrolled(gql)
    long_key = "k" * 300  # longer than any key (100), within the text bound
    body = await gql(
        REDEEM, {"i": {"rewardKey": long_key, "idempotencyKey": "r"}}, as_=member("ada")
    )
    assert [(e["code"], e["field"]) for e in payload(body, "redeemReward")["errors"]] == [
        ("NOT_FOUND", ["input", "rewardKey"])
    ]
    sent = {"action": long_key, "idempotencyKey": "k", "memberId": "ada"}
    body = await gql(RECORD, {"input": sent}, as_=SERVICE)
    result = payload(body, "recordInteraction")
    assert result["errors"] == [] and result["interaction"]["reason"] == "UNKNOWN_ACTION"
    body = await gql(AWARD, {"m": "ada", "b": long_key}, as_=ADMIN)
    assert codes_of(payload(body, "awardBadge")) == ["NOT_FOUND"]
    body = await gql(ENROLL, {"k": long_key}, as_=member("ada"))
    assert codes_of(payload(body, "enrollInChallenge")) == ["NOT_FOUND"]
    board = await gql(BOARD, {"k": long_key})
    assert [e["extensions"]["code"] for e in board["errors"]] == ["NOT_FOUND"]
    # A definition with such a key is refused by validation, naming the key.
    tier = {"key": long_key, "name": "Gold", "threshold": 100}
    body = await gql(UPSERT_TIER, {"i": tier}, as_=ADMIN)
    assert [(e["code"], e["field"]) for e in payload(body, "upsertTier")["errors"]] == [
        ("INVALID_INPUT", ["input", "key"])
    ]


# --- Goals naming actions that do not exist ------------------------------------------------


async def test_a_badge_goal_naming_an_unknown_action_is_not_found(gql):
    await define(gql, "app.open")
    goals = [
        {"metric": "ACTION_COUNT", "action": "app.open", "target": 1},
        {"metric": "STREAK_DAYS", "action": "app.opne", "target": 3},
    ]
    body = await gql(UPSERT_BADGE, {"i": {"key": "b", "name": "B", "goals": goals}}, as_=ADMIN)
    result = payload(body, "upsertBadge")
    assert result["badge"] is None
    [error] = result["errors"]
    assert (error["code"], error["field"]) == ("NOT_FOUND", ["input", "goals", "1", "action"])
    assert "app.opne" in error["message"]
    assert await Badge.all().count() == 0


async def test_a_challenge_goal_naming_an_unknown_action_is_not_found(gql):
    now = datetime.now(UTC)
    challenge = {
        "key": "sprint",
        "name": "Sprint",
        "startsAt": now.isoformat(),
        "endsAt": (now + timedelta(days=1)).isoformat(),
        "goals": [{"metric": "ACTION_COUNT", "action": "nothing.here", "target": 2}],
    }
    result = payload(await gql(UPSERT_CHALLENGE, {"i": challenge}, as_=ADMIN), "upsertChallenge")
    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("NOT_FOUND", ["input", "goals", "0", "action"])
    ]
    assert await Challenge.all().count() == 0


# --- Secret badges -------------------------------------------------------------------------


async def secret_reward_challenge(gql) -> None:
    await define(gql, "app.open")
    badge = {"key": "night.owl", "name": "Night owl", "secret": True}
    assert payload(await gql(UPSERT_BADGE, {"i": badge}, as_=ADMIN), "upsertBadge")["errors"] == []
    now = datetime.now(UTC)
    challenge = {
        "key": "sprint",
        "name": "Sprint",
        "startsAt": (now - timedelta(hours=1)).isoformat(),
        "endsAt": (now + timedelta(days=1)).isoformat(),
        "goals": [{"metric": "ACTION_COUNT", "action": "app.open", "target": 5}],
        "rewardBadgeKey": "night.owl",
    }
    result = payload(await gql(UPSERT_CHALLENGE, {"i": challenge}, as_=ADMIN), "upsertChallenge")
    assert result["errors"] == []


async def test_a_secret_reward_badge_is_hidden_from_anonymous_callers_and_members(gql):
    await secret_reward_challenge(gql)
    for who in (None, member("ada"), SERVICE):
        body = await gql(CHALLENGES, as_=who)
        assert body["data"]["challenges"] == [{"key": "sprint", "rewardBadge": None}], who
    mine = await gql(MY_CHALLENGES, as_=member("ada"))
    assert "night.owl" not in str(mine)


async def test_a_secret_reward_badge_shows_to_a_member_who_earned_it_and_to_admins(gql):
    await secret_reward_challenge(gql)
    await enrolled(gql)
    assert (
        payload(await gql(AWARD, {"m": "ada", "b": "night.owl"}, as_=ADMIN), "awardBadge")["errors"]
        == []
    )
    shown = [{"key": "sprint", "rewardBadge": {"key": "night.owl", "secret": True}}]
    assert (await gql(CHALLENGES, as_=member("ada")))["data"]["challenges"] == shown
    assert (await gql(CHALLENGES, as_=ADMIN))["data"]["challenges"] == shown
    hidden = [{"key": "sprint", "rewardBadge": None}]
    assert (await gql(CHALLENGES, as_=member("bob")))["data"]["challenges"] == hidden
