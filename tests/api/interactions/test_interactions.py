"""Recording interactions, and what the worker makes of them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from domain.models import Interaction, LedgerEntry, Member
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import INTERACTION, ME, RECORD, ago, codes, counting, define, record


async def test_a_recorded_interaction_is_pending_then_awarded_by_the_worker(gql, drain):
    await define(gql, points=10)
    payload = await record(gql, member("ada"), properties={"screen": "home"})
    interaction = payload["interaction"]
    assert payload["errors"] == []
    assert interaction["status"] == "PENDING"
    assert interaction["memberId"] == "ada"
    assert interaction["pointsAwarded"] == 0
    assert interaction["properties"] == {"screen": "home"}

    assert await drain() == 1

    done = await gql(INTERACTION, {"id": interaction["id"]}, as_=member("ada"))
    assert done["data"]["interaction"] == {
        "id": interaction["id"],
        "status": "AWARDED",
        "reason": None,
        "pointsAwarded": 10,
    }
    me = (await gql(ME, as_=member("ada")))["data"]["me"]
    assert me["points"] == {"balance": 10, "lifetime": 10}
    [edge] = me["history"]["edges"]
    assert edge["node"]["amount"] == 10
    assert edge["node"]["reason"] == "ACTION"
    assert edge["node"]["balanceAfter"] == 10


async def test_the_same_idempotency_key_returns_the_first_interaction_and_credits_once(gql, drain):
    await define(gql, points=10)
    first = await record(gql, member("ada"), key="same")
    await drain()
    again = await record(gql, member("ada"), key="same")
    await drain()
    assert again["interaction"]["id"] == first["interaction"]["id"]
    assert again["interaction"]["status"] == "AWARDED"
    assert await LedgerEntry.filter(member_id="ada").count() == 1
    assert (await Member.get(id="ada")).balance == 10


async def test_twenty_concurrent_duplicates_award_exactly_once(gql, drain):
    await define(gql, points=7)
    payloads = await asyncio.gather(*(record(gql, member("ada"), key="burst") for _ in range(20)))
    assert len({p["interaction"]["id"] for p in payloads}) == 1
    await drain()
    assert await Interaction.filter(member_id="ada").count() == 1
    assert await LedgerEntry.filter(member_id="ada").count() == 1
    assert (await Member.get(id="ada")).balance == 7


async def test_recording_for_a_known_member_is_two_statements_the_action_and_the_insert(gql):
    """The idempotency check is the insert's own (ON CONFLICT DO NOTHING): no read before it.
    A replay costs one more read, to answer with what was stored."""
    await define(gql, points=5)
    await record(gql, member("ada"), key="first")  # enrols ada in this process
    with counting() as fresh:
        payload = await record(gql, member("ada"), key="second")
    assert payload["interaction"]["status"] == "PENDING"
    assert [s.split()[0].upper() for s in fresh.statements] == ["SELECT", "INSERT"], (
        fresh.statements
    )
    with counting() as replay:
        again = await record(gql, member("ada"), key="second")
    assert again["interaction"]["id"] == payload["interaction"]["id"]
    assert len(replay.statements) == 3, replay.statements


async def test_a_replay_is_answered_even_after_its_action_stopped_being_member_reportable(gql):
    await define(gql, "survey.completed", memberReportable=True)
    first = await record(gql, member("ada"), action="survey.completed", key="k")
    await define(gql, "survey.completed", memberReportable=False)
    again = await record(gql, member("ada"), action="survey.completed", key="k")
    assert again["interaction"]["id"] == first["interaction"]["id"], again
    fresh = await record(gql, member("ada"), action="survey.completed", key="other")
    assert [e["code"] for e in fresh["errors"]] == ["FORBIDDEN"]
    assert await Interaction.all().count() == 1


async def test_replaying_a_processed_job_credits_nothing_more(gql, drain, runtime):
    from domain.interactions.record import process_interaction

    await define(gql, points=5)
    payload = await record(gql, member("ada"))
    await drain()
    interaction_id = int(payload["interaction"]["id"])
    for _ in range(3):
        await process_interaction(runtime, interaction_id)
    assert (await Member.get(id="ada")).balance == 5
    assert await LedgerEntry.filter(member_id="ada").count() == 1


async def test_a_member_cannot_record_for_another_member(gql):
    await define(gql)
    payload = await record(gql, member("ada"), memberId="grace")
    assert payload["interaction"] is None
    assert payload["errors"][0]["code"] == "FORBIDDEN"
    assert payload["errors"][0]["field"] == ["input", "memberId"]
    assert await Interaction.all().count() == 0


async def test_a_member_cannot_record_an_action_that_is_not_member_reportable(gql):
    await define(gql, "survey.completed", memberReportable=False)
    payload = await record(gql, member("ada"), action="survey.completed")
    assert payload["interaction"] is None
    assert payload["errors"][0]["code"] == "FORBIDDEN"
    assert await Interaction.all().count() == 0


async def test_a_service_records_for_any_member_and_must_name_one(gql, drain):
    await define(gql, "survey.completed", points=30, memberReportable=False)
    missing = await record(gql, SERVICE, action="survey.completed")
    assert missing["errors"][0]["code"] == "INVALID_INPUT"
    assert missing["errors"][0]["field"] == ["input", "memberId"]
    payload = await record(gql, SERVICE, action="survey.completed", memberId="newcomer")
    assert payload["interaction"]["memberId"] == "newcomer"
    await drain()
    assert (await Member.get(id="newcomer")).balance == 30  # enrolled on first contact


async def test_admins_may_not_record_interactions(gql):
    await define(gql)
    body = await gql(
        RECORD, {"input": {"action": "app.daily_open", "idempotencyKey": "x"}}, as_=ADMIN
    )
    assert codes(body) == ["FORBIDDEN"]


async def test_unknown_and_inactive_actions_are_rejected_at_once(gql):
    await define(gql, "old.action", active=False)
    unknown = await record(gql, SERVICE, action="no.such", memberId="ada", key="a")
    inactive = await record(gql, SERVICE, action="old.action", memberId="ada", key="b")
    assert unknown["interaction"]["status"] == "REJECTED"
    assert unknown["interaction"]["reason"] == "UNKNOWN_ACTION"
    assert inactive["interaction"]["status"] == "REJECTED"
    assert inactive["interaction"]["reason"] == "INACTIVE_ACTION"


async def test_an_action_deactivated_before_processing_is_rejected_by_the_worker(gql, drain):
    await define(gql, points=10)
    payload = await record(gql, member("ada"))
    await define(gql, points=10, active=False)
    await drain()
    done = await gql(INTERACTION, {"id": payload["interaction"]["id"]}, as_=member("ada"))
    assert done["data"]["interaction"]["status"] == "REJECTED"
    assert done["data"]["interaction"]["reason"] == "INACTIVE_ACTION"
    assert (await Member.get(id="ada")).balance == 0


async def test_timestamps_far_in_the_future_are_rejected(gql):
    await define(gql)
    soon = (datetime.now(UTC) + timedelta(minutes=4)).isoformat()
    later = (datetime.now(UTC) + timedelta(minutes=6)).isoformat()
    ok = await record(gql, member("ada"), key="soon", occurredAt=soon)
    bad = await record(gql, member("ada"), key="later", occurredAt=later)
    assert ok["interaction"]["status"] == "PENDING"
    assert bad["interaction"]["status"] == "REJECTED"
    assert bad["interaction"]["reason"] == "FUTURE_TIMESTAMP"


async def test_members_may_backdate_within_the_window_and_services_beyond_it(gql, drain):
    await define(gql, points=10)
    recent = await record(gql, member("ada"), key="a", occurredAt=ago(hours=23))
    old = await record(gql, member("ada"), key="b", occurredAt=ago(hours=25))
    imported = await record(gql, SERVICE, key="c", memberId="ada", occurredAt=ago(days=30))
    assert recent["interaction"]["status"] == "PENDING"
    assert old["interaction"]["status"] == "REJECTED"
    assert old["interaction"]["reason"] == "BACKDATED"
    assert imported["interaction"]["status"] == "PENDING"
    await drain()
    assert (await Member.get(id="ada")).balance == 20


async def test_a_daily_limit_caps_the_third_interaction_of_the_day(gql, drain):
    await define(gql, points=10, limits=[{"period": "DAY", "max": 2}])
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    if today > datetime.now(UTC):
        today -= timedelta(days=1)
    for index in range(3):
        at = (today - timedelta(minutes=index)).isoformat()
        await record(gql, SERVICE, key=f"t{index}", memberId="ada", occurredAt=at)
    yesterday = (today - timedelta(days=1)).isoformat()
    await record(gql, SERVICE, key="y", memberId="ada", occurredAt=yesterday)
    await drain()
    statuses = {
        i.idempotency_key: (i.status.value, i.reason)
        for i in await Interaction.filter(member_id="ada")
    }
    assert sorted(statuses.values()) == [
        ("AWARDED", None),
        ("AWARDED", None),
        ("AWARDED", None),
        ("CAPPED", "LIMIT_REACHED"),
    ]
    assert statuses["y"] == ("AWARDED", None)
    assert (await Member.get(id="ada")).balance == 30


async def test_a_cooldown_caps_an_interaction_too_close_to_an_awarded_one(gql, drain):
    await define(gql, points=10, cooldownSeconds=3600)
    await record(gql, SERVICE, key="a", memberId="ada", occurredAt=ago(hours=3))
    await drain()
    close = await record(gql, SERVICE, key="b", memberId="ada", occurredAt=ago(hours=2, minutes=1))
    far = await record(gql, SERVICE, key="c", memberId="ada", occurredAt=ago(hours=1))
    await drain()
    result = await gql(INTERACTION, {"id": close["interaction"]["id"]}, as_=ADMIN)
    assert result["data"]["interaction"]["status"] == "CAPPED"
    assert result["data"]["interaction"]["reason"] == "COOLDOWN"
    result = await gql(INTERACTION, {"id": far["interaction"]["id"]}, as_=ADMIN)
    assert result["data"]["interaction"]["status"] == "AWARDED"


async def test_oversized_properties_and_bad_keys_are_invalid_input(gql):
    await define(gql)
    big = await record(gql, member("ada"), key="big", properties={"x": "y" * 9000})
    empty_key = await record(gql, member("ada"), key="")
    assert big["errors"][0]["field"] == ["input", "properties"]
    assert empty_key["errors"][0]["field"] == ["input", "idempotencyKey"]
    assert await Interaction.all().count() == 0


async def test_members_see_only_their_own_interactions(gql):
    await define(gql)
    payload = await record(gql, member("ada"))
    interaction_id = payload["interaction"]["id"]
    theirs = await gql(INTERACTION, {"id": interaction_id}, as_=member("grace"))
    unknown = await gql(INTERACTION, {"id": "999999"}, as_=ADMIN)
    garbage = await gql(INTERACTION, {"id": "not-a-number"}, as_=ADMIN)
    assert theirs["data"]["interaction"] is None
    assert unknown["data"]["interaction"] is None
    assert garbage["data"]["interaction"] is None


async def test_history_pages_newest_first_with_cursors(gql, drain):
    await define(gql, points=1)
    for index in range(5):
        await record(gql, SERVICE, key=f"k{index}", memberId="ada", occurredAt=ago(minutes=index))
    await drain()
    first = (await gql(ME, {"first": 2}, as_=member("ada")))["data"]["me"]["history"]
    assert [e["node"]["balanceAfter"] for e in first["edges"]] == [5, 4]
    assert first["pageInfo"]["hasNextPage"] is True
    second = (
        await gql(ME, {"first": 10, "after": first["pageInfo"]["endCursor"]}, as_=member("ada"))
    )["data"]["me"]["history"]
    assert [e["node"]["balanceAfter"] for e in second["edges"]] == [3, 2, 1]
    assert second["pageInfo"]["hasNextPage"] is False
    assert second["pageInfo"]["hasPreviousPage"] is True
    bad = await gql(ME, {"after": "garbage"}, as_=member("ada"))
    assert codes(bad) == ["INVALID_CURSOR"]
