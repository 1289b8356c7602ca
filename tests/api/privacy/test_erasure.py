"""Erasure (`eraseMember`, GDPR Art. 17): afterwards no table and no Redis key holds the member's
id or any name they went by (the MEMBER_ERASED message, whose job is to announce the former id,
excepted); the program's totals are what they were; a token with the same subject is a
brand-new member; and erasing again changes nothing."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from tortoise import connections

from domain.goals import badges
from domain.infra.db import dialect
from domain.leaderboards import scores
from domain.members.members import default_display_name
from domain.models import (
    AuditRecord,
    Challenge,
    ChallengeParticipant,
    Content,
    Interaction,
    LedgerEntry,
    Member,
    MemberBadge,
    Redemption,
    Referral,
)
from domain.privacy import erasure
from domain.privacy.holdings import HOLDINGS
from domain.runtime import Runtime
from tests.api.badges.test_badges import badge, goal
from tests.api.privacy.world import ADA, ADA_NAME, BOB, CY, rich_member
from tests.conftest import ADMIN, member
from tests.helpers import codes, every_row, table_sums, tables_changed

ERASE = """
mutation Erase($id: ID!) { eraseMember(memberId: $id) { erased errors { code message field } } }
"""
ME = "{ me { id displayName points { balance lifetime } referral { code invited converted } } }"
EXPORT = "query Export($id: ID!) { memberExport(memberId: $id) { memberId data } }"


async def erase(gql: Any, member_id: str) -> dict[str, Any]:
    body = await gql(ERASE, {"id": member_id}, as_=ADMIN)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["eraseMember"]
    return payload


# --- looking everywhere ----------------------------------------------------------------------


def announces_the_erasure(table: str, row: dict[str, Any]) -> bool:
    """The MEMBER_ERASED message and its deliveries carry the former id: that is their job."""
    return table in ("webhook_message", "webhook_delivery") and row.get("event") == "MEMBER_ERASED"


async def left_in_tables(needles: list[str]) -> list[str]:
    found = []
    for table, rows in (await every_row()).items():
        for row in rows:
            text = json.dumps(row, default=str, ensure_ascii=False)
            for needle in needles:
                if needle in text and not announces_the_erasure(table, row):
                    found.append(f"{table}: {needle!r} in {text[:300]}")
    return found


async def left_in_redis(runtime: Runtime, needles: list[str]) -> list[str]:
    """Every key of the Redis database (SCAN), its name and its value, whatever its type."""
    redis = runtime.redis
    found = []
    async for raw in redis.scan_iter(count=1000):
        key = raw.decode(errors="replace")
        kind = (await redis.type(raw)).decode()
        value: Any = None
        if kind == "string":
            value = await redis.get(raw)
        elif kind == "hash":
            value = await redis.hgetall(raw)
        elif kind == "zset":
            value = await redis.zrange(raw, 0, -1, withscores=True)
        elif kind == "set":
            value = await redis.smembers(raw)
        elif kind == "list":
            value = await redis.lrange(raw, 0, -1)
        text = key + " " + repr(value)
        found += [f"{key}: {needle!r}" for needle in needles if needle in text]
    return found


async def holding_rows(member_id: str) -> dict[str, int]:
    """For each holding, how many rows name the member (by value, or inside JSON or text)."""
    connection = connections.get("default")
    counted = {}
    for holding in HOLDINGS:
        column = holding.column
        if dialect() == "postgres":
            column = f"CAST({column} AS TEXT)"
        rows = await connection.execute_query_dict(f"SELECT {column} AS value FROM {holding.table}")
        counted[f"{holding.table}.{holding.column}"] = sum(
            1 for row in rows if row["value"] is not None and member_id in str(row["value"])
        )
    return counted


async def aggregates() -> dict[str, Any]:
    """The program's totals that erasure must leave as they were."""
    interactions = Counter(
        (str(action), str(status))
        for action, status in await Interaction.all().values_list("action_key", "status")
    )
    return {
        "points issued and spent": sum(
            int(amount) for amount in await LedgerEntry.all().values_list("amount", flat=True)
        ),
        "ledger entries": await LedgerEntry.all().count(),
        "balances": sum(int(b) for b in await Member.all().values_list("balance", flat=True)),
        "interactions by action and status": interactions,
        "badges earned": Counter(await MemberBadge.all().values_list("badge_id", flat=True)),
        "challenge rows": await ChallengeParticipant.all().count(),
        "challenge counters": sorted(
            await Challenge.all().values_list("key", "participants", "completions")
        ),
        "redemptions": Counter(await Redemption.all().values_list("reward_id", "status")),
        "content and votes": sorted(
            await Content.all().values_list("id", "upvotes", "downvotes", "score")
        ),
        "converted referrals": await Referral.filter(converted_at__isnull=False).count(),
    }


# --- the tests -------------------------------------------------------------------------------


async def test_nothing_of_an_erased_member_is_left_in_any_table_or_redis_key(
    gql, drain, runtime, monkeypatch
):
    world = await rich_member(gql, drain, runtime, monkeypatch)
    needles = [ADA, *world.names, "Quorrinsky", "adelheid.png"]
    # The world really puts the member everywhere: in every holding, and in Redis.
    held = await holding_rows(ADA)
    assert [name for name, count in held.items() if count == 0] == []
    assert await left_in_redis(runtime, [ADA]) != []
    totals = await aggregates()

    assert await erase(gql, ADA) == {"erased": True, "errors": []}

    assert await left_in_tables(needles) == []
    assert await left_in_redis(runtime, needles) == []
    assert await aggregates() == totals
    # Rebuilding every board from the database does not bring them back.
    await scores.rebuild(runtime.leaderboards, datetime.now(UTC), runtime.settings.tz)
    assert await left_in_redis(runtime, needles) == []


async def test_the_erasure_is_audited_announced_and_leaves_anonymous_totals(
    gql, drain, runtime, monkeypatch
):
    await rich_member(gql, drain, runtime, monkeypatch)
    ada = await Member.get(id=ADA)
    assert (await erase(gql, ADA))["erased"] is True

    [record] = await AuditRecord.filter(operation="eraseMember")
    anonymous_id = record.after["anonymousId"]
    assert record.actor == ADMIN[0]
    assert record.target == f"member:{anonymous_id}"
    assert anonymous_id.startswith("erased:")
    digest = record.after["memberIdDigest"]
    assert digest == erasure.id_digest(ADA, digest.split(":")[1])
    assert record.after["rows"]["ledger_entry"] > 0
    # The anonymous row holds the totals of the rows now under its id, nothing personal.
    anonymous = await Member.get(id=anonymous_id)
    assert (anonymous.display_name, anonymous.avatar_url, anonymous.tier_key) == (
        erasure.ERASED_NAME,
        None,
        None,
    )
    assert (anonymous.balance, anonymous.lifetime) == (ada.balance, ada.lifetime)
    entries = await LedgerEntry.filter(member_id=anonymous_id)
    assert sum(entry.amount for entry in entries) == anonymous.balance
    # The message to the brand's systems carries the former id, and only that.
    rows = await connections.get("default").execute_query_dict(
        "SELECT body FROM webhook_message WHERE event = 'MEMBER_ERASED'"
    )
    [body] = [json.loads(row["body"]) for row in rows]
    assert (body["type"], body["data"]) == ("MEMBER_ERASED", {"memberId": ADA})
    # The member they invited who has not converted has no referrer; the others keep theirs.
    assert not await Referral.filter(referrer_id=anonymous_id, converted_at__isnull=True).exists()
    assert (await Referral.get(referee_id=BOB)).referrer_id == anonymous_id
    assert (await Referral.get(referee_id=anonymous_id)).referrer_id == CY
    # An erased member's content leaves every list, its votes kept.
    assert await Content.filter(author_id=anonymous_id, status="APPROVED").count() == 0


async def test_a_returning_subject_is_a_brand_new_member(gql, drain, runtime, monkeypatch):
    await rich_member(gql, drain, runtime, monkeypatch)
    before = (await gql(ME, as_=member(ADA)))["data"]["me"]
    assert (await erase(gql, ADA))["erased"] is True

    me = (await gql(ME, as_=member(ADA)))["data"]["me"]
    assert me["id"] == ADA
    assert me["displayName"] == default_display_name(ADA)
    assert me["points"] == {"balance": 0, "lifetime": 0}
    assert me["referral"]["code"] != before["referral"]["code"]
    assert (me["referral"]["invited"], me["referral"]["converted"]) == (0, 0)
    body = await gql(EXPORT, {"id": ADA}, as_=member(ADA))
    data = body["data"]["memberExport"]["data"]
    assert [data[key] for key in ("interactions", "ledger", "badges", "content", "events")] == [
        [],
        [],
        [],
        [],
        [],
    ]
    assert data["referrals"] == {"referredBy": None, "invited": []}
    # The idempotency keys and sources the old member used are free for the new one.
    again = await gql(
        'mutation { recordInteraction(input: {action: "review.posted", '
        'idempotencyKey: "ada-review-0"}) { interaction { status } errors { code } } }',
        as_=member(ADA),
    )
    assert again["data"]["recordInteraction"]["errors"] == []
    await drain()
    assert await Interaction.filter(member_id=ADA, status="AWARDED").count() == 1
    assert await MemberBadge.filter(member_id=ADA, badge_id="first.review").exists()


async def test_erasing_again_or_erasing_nobody_changes_nothing_and_answers_erased(
    gql, drain, runtime, monkeypatch
):
    await rich_member(gql, drain, runtime, monkeypatch)
    assert (await erase(gql, ADA))["erased"] is True
    before = await table_sums()
    assert await erase(gql, ADA) == {"erased": True, "errors": []}
    assert await erase(gql, "never-a-member") == {"erased": True, "errors": []}
    anonymous_id = (await AuditRecord.get(operation="eraseMember")).after["anonymousId"]
    assert await erase(gql, anonymous_id) == {"erased": True, "errors": []}
    assert tables_changed(before, await table_sums()) == []


async def test_a_bad_id_is_refused_and_only_admins_erase(gql):
    refused = await erase(gql, "x" * 129)
    assert refused["erased"] is False
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("INVALID_INPUT", ["memberId"])]
    assert codes(await gql(ERASE, {"id": ADA}, as_=member(ADA))) == ["FORBIDDEN"]
    assert codes(await gql(ERASE, {"id": ADA})) == ["UNAUTHENTICATED"]


async def test_no_token_reaches_an_erased_members_anonymous_rows(gql, drain, runtime, monkeypatch):
    await rich_member(gql, drain, runtime, monkeypatch)
    assert (await erase(gql, ADA))["erased"] is True
    anonymous_id = (await AuditRecord.get(operation="eraseMember")).after["anonymousId"]
    assert codes(await gql(ME, as_=member(anonymous_id))) == ["UNAUTHENTICATED"]
    body = await gql(EXPORT, {"id": anonymous_id}, as_=ADMIN)
    assert body["data"]["memberExport"] is None
    assert ADA_NAME not in json.dumps(body)


async def test_the_anonymous_rows_earn_nothing_afterwards(gql, drain, runtime, monkeypatch):
    await rich_member(gql, drain, runtime, monkeypatch)
    assert (await erase(gql, ADA))["erased"] is True
    anonymous_id = (await AuditRecord.get(operation="eraseMember")).after["anonymousId"]
    await badge(gql, "earner", [goal("POINTS_EARNED", 1)], rewardPoints=7)
    awarded = await badges.backfill(runtime, "earner")
    holders = set(await MemberBadge.filter(badge_id="earner").values_list("member_id", flat=True))
    assert anonymous_id not in holders
    assert awarded == len(holders) > 0
