"""Referrals over GraphQL: every member has a code; applying one is guarded against self-referral,
second referrers, late application, cycles, guessing and races; a conversion credits both sides
once, respects the referrer's monthly cap, and feeds goals, the `referrals` board and events."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from domain.community import referrals
from domain.interactions.record import process_interaction
from domain.models import (
    AuditRecord,
    Interaction,
    LedgerEntry,
    LedgerReason,
    Member,
    MemberAttempt,
    Referral,
)
from gamification.referrals import CODE_ALPHABET, LEGACY_CODE_LENGTH, legacy_code
from tests.api.badges.test_badges import badge, goal, my_badges
from tests.conftest import ADMIN, member
from tests.helpers import UPSERT_ACTION, action_input, counting, define, record
from workers.tasks import sweep_pending

STATUS = "referral { code invited converted pointsEarned referredBy { id displayName } }"
ME = f"query {{ me {{ points {{ balance }} {STATUS} }} }}"
APPLY = f"""
mutation Apply($code: String!) {{
  applyReferralCode(code: $code) {{ {STATUS} errors {{ code message field }} }}
}}
"""
PROGRAM_FIELDS = "referrerPoints refereePoints conversionAction applyWithinDays monthlyCap"
PROGRAM = f"query {{ referralProgram {{ {PROGRAM_FIELDS} }} }}"
UPDATE = f"""
mutation Update($input: UpdateReferralProgramInput!) {{
  updateReferralProgram(input: $input) {{
    program {{ {PROGRAM_FIELDS} }} errors {{ code message field }}
  }}
}}
"""
BOARD = """
query { leaderboard(board: "referrals", period: ALL_TIME) {
  entries { edges { node { rank score member { id } } } }
} }
"""
EVENTS = "query { me { events { edges { node { kind message points subject } } } } }"


async def status(gql, who: str) -> dict:
    response = await gql(ME, as_=member(who))
    assert "errors" not in response, response
    me: dict = response["data"]["me"]
    return me


async def code_of(gql, who: str) -> str:
    return str((await status(gql, who))["referral"]["code"])


async def apply(gql, who: str, code: str) -> dict:
    response = await gql(APPLY, {"code": code}, as_=member(who))
    assert "errors" not in response, response
    payload: dict = response["data"]["applyReferralCode"]
    return payload


async def refused(gql, who: str, code: str) -> str:
    payload = await apply(gql, who, code)
    assert payload["referral"] is None, payload
    assert payload["errors"][0]["field"] == ["code"]
    return str(payload["errors"][0]["code"])


async def refer(gql, referrer: str, referee: str) -> None:
    payload = await apply(gql, referee, await code_of(gql, referrer))
    assert payload["errors"] == [], payload
    assert payload["referral"]["referredBy"]["id"] == referrer


async def program(gql, **changes) -> dict:
    response = await gql(UPDATE, {"input": changes}, as_=ADMIN)
    assert "errors" not in response, response
    payload: dict = response["data"]["updateReferralProgram"]
    return payload


async def converting_on(gql, action: str = "order.first", **changes) -> None:
    await define(gql, action, 10)
    payload = await program(gql, conversionAction=action, **changes)
    assert payload["errors"] == [], payload


async def convert(gql, drain, who: str, key: str = "o1", action: str = "order.first") -> None:
    payload = await record(gql, member(who), action=action, key=key)
    assert payload["errors"] == [], payload
    await drain()


# --- codes -----------------------------------------------------------------------------------


async def test_every_member_has_a_unique_code_from_the_unambiguous_alphabet(gql):
    codes = [await code_of(gql, who) for who in ("ada", "bob", "cy")]
    assert len(set(codes)) == 3
    for code in codes:
        assert len(code) >= 8 and set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("0O1IL")
    assert await code_of(gql, "ada") == codes[0]  # stable


async def test_a_member_enrolled_before_codes_existed_is_shown_a_code_that_works(gql):
    """Reading never writes: the code shown is derived from the member's id, the same on every
    read, and the first application of such a code stores it."""
    await Member.create(id="legacy", display_name="Legacy")
    # More than one statement's batch of them.
    await Member.bulk_create([Member(id=f"legacy-{n:03}", display_name="L") for n in range(400)])
    code = await code_of(gql, "legacy")
    assert len(code) == LEGACY_CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert await code_of(gql, "legacy") == code
    assert (await Member.get(id="legacy")).referral_code is None  # shown, not stored

    payload = await apply(gql, "newcomer", code.lower())

    assert payload["errors"] == [], payload
    assert payload["referral"]["referredBy"]["id"] == "legacy"
    stored = dict(await Member.filter(id__startswith="legacy").values_list("id", "referral_code"))
    assert len(stored) == 401 and stored["legacy"] == code
    assert stored["legacy-399"] == await code_of(gql, "legacy-399")
    assert all(stored[member_id] == legacy_code(member_id) for member_id in stored)


async def test_a_derived_code_that_another_member_holds_is_replaced_not_shared(gql):
    await Member.create(id="holder", display_name="H", referral_code=legacy_code("legacy"))
    await Member.create(id="legacy", display_name="Legacy")

    # Any miss of a derived-length code stores the derived codes first.
    assert await refused(gql, "newcomer", "Z" * LEGACY_CODE_LENGTH) == "NOT_FOUND"

    replaced = (await Member.get(id="legacy")).referral_code
    assert replaced is not None and len(replaced) == 10
    assert await code_of(gql, "legacy") == replaced


async def test_a_code_is_case_insensitive_and_forgives_spaces_and_hyphens(gql):
    code = await code_of(gql, "ada")
    typed = f" {code[:5].lower()}-{code[5:]} "
    payload = await apply(gql, "bob", typed)
    assert payload["errors"] == []
    assert payload["referral"]["referredBy"]["id"] == "ada"
    ada = await status(gql, "ada")
    assert (ada["referral"]["invited"], ada["referral"]["converted"]) == (1, 0)


# --- refusals --------------------------------------------------------------------------------


async def test_own_code_second_referrer_and_unknown_code_are_refused(gql):
    ada_code = await code_of(gql, "ada")
    assert await refused(gql, "ada", ada_code) == "SELF_REFERRAL"
    assert await refused(gql, "bob", "NOSUCHCODE") == "NOT_FOUND"
    assert await refused(gql, "bob", "short") == "NOT_FOUND"
    await refer(gql, "ada", "bob")
    # The same code again changes nothing and is no error; another referrer is refused.
    assert (await apply(gql, "bob", ada_code))["errors"] == []
    assert await refused(gql, "bob", await code_of(gql, "cy")) == "ALREADY_REFERRED"
    assert await Referral.filter(referee_id="bob").count() == 1


async def test_a_code_is_refused_after_the_window(gql):
    await program(gql, applyWithinDays=7)
    code = await code_of(gql, "ada")
    await status(gql, "bob")
    await Member.filter(id="bob").update(joined_at=datetime.now(UTC) - timedelta(days=8))
    assert await refused(gql, "bob", code) == "TOO_LATE"
    await Member.filter(id="bob").update(joined_at=datetime.now(UTC) - timedelta(days=6))
    assert (await apply(gql, "bob", code))["errors"] == []


async def test_a_chain_of_three_cannot_be_closed_into_a_cycle(gql):
    await refer(gql, "ada", "bob")
    await refer(gql, "bob", "cy")
    assert await refused(gql, "ada", await code_of(gql, "cy")) == "REFERRAL_CYCLE"
    assert await Referral.filter(referee_id="ada").count() == 0


async def test_two_members_applying_each_others_codes_at_once_cannot_both_succeed(gql):
    ada, bob = await code_of(gql, "ada"), await code_of(gql, "bob")
    for _ in range(3):
        await Referral.all().delete()
        results = await asyncio.gather(apply(gql, "ada", bob), apply(gql, "bob", ada))
        outcomes = sorted(r["errors"][0]["code"] if r["errors"] else "OK" for r in results)
        assert outcomes == ["OK", "REFERRAL_CYCLE"]
        assert await Referral.all().count() == 1


async def test_twenty_concurrent_applications_attach_exactly_one_referrer(gql):
    owners = [f"owner{i:02}" for i in range(20)]
    codes = [await code_of(gql, who) for who in owners]
    await status(gql, "zed")
    results = await asyncio.gather(*(apply(gql, "zed", code) for code in codes))
    winners = [r for r in results if not r["errors"]]
    assert len(winners) == 1
    assert {r["errors"][0]["code"] for r in results if r["errors"]} <= {
        "ALREADY_REFERRED",
        "RATE_LIMITED",
    }
    referral = await Referral.get(referee_id="zed")
    assert winners[0]["referral"]["referredBy"]["id"] == referral.referrer_id
    assert (await status(gql, "zed"))["referral"]["referredBy"]["id"] == referral.referrer_id


async def test_after_ten_failed_attempts_in_an_hour_every_attempt_is_rate_limited(gql):
    real = await code_of(gql, "ada")
    for n in range(10):
        assert await refused(gql, "bob", f"WRONGCODE{n}") == "NOT_FOUND"
    limited = await apply(gql, "bob", "WRONGCODE")
    again = await apply(gql, "bob", real)  # a real code gets the very same answer
    assert limited["errors"] == again["errors"]
    assert limited["errors"][0]["code"] == "RATE_LIMITED"
    assert await Referral.all().count() == 0
    # An hour later the old failures no longer count.
    await MemberAttempt.filter(member_id="bob").update(at=datetime.now(UTC) - timedelta(hours=2))
    assert (await apply(gql, "bob", real))["errors"] == []


async def test_concurrent_guesses_are_counted_exactly(gql):
    await status(gql, "bob")
    results = await asyncio.gather(*(apply(gql, "bob", f"WRONGCODE{n}") for n in range(16)))
    found = sorted(r["errors"][0]["code"] for r in results)
    assert found == ["NOT_FOUND"] * 10 + ["RATE_LIMITED"] * 6
    assert await MemberAttempt.filter(member_id="bob").count() == 10


# --- the program -----------------------------------------------------------------------------


async def test_the_program_has_defaults_and_admins_change_it_audited(gql):
    response = await gql(PROGRAM)
    assert response["data"]["referralProgram"] == {
        "referrerPoints": 100,
        "refereePoints": 50,
        "conversionAction": "",
        "applyWithinDays": 30,
        "monthlyCap": None,
    }
    await define(gql, "order.first", 10)
    payload = await program(gql, referrerPoints=200, conversionAction="order.first", monthlyCap=3)
    assert payload["errors"] == []
    assert payload["program"] == {
        "referrerPoints": 200,
        "refereePoints": 50,
        "conversionAction": "order.first",
        "applyWithinDays": 30,
        "monthlyCap": 3,
    }
    lifted = await program(gql, monthlyCap=None)
    assert lifted["program"]["monthlyCap"] is None
    assert lifted["program"]["referrerPoints"] == 200  # fields left out keep their value
    audit = await AuditRecord.filter(operation="updateReferralProgram").order_by("id")
    assert [(a.actor, a.after["monthlyCap"]) for a in audit] == [("root", 3), ("root", None)]


async def test_bad_rules_are_refused_with_every_problem_and_change_nothing(gql):
    payload = await program(
        gql, referrerPoints=-1, conversionAction="content.review", applyWithinDays=0
    )
    assert payload["program"] is None
    fields = [e["field"] for e in payload["errors"]]
    assert ["input", "referrerPoints"] in fields or payload["errors"][0]["code"] == "INVALID_INPUT"
    assert {e["code"] for e in payload["errors"]} == {"INVALID_INPUT"}
    assert (await gql(PROGRAM))["data"]["referralProgram"]["referrerPoints"] == 100
    assert await AuditRecord.filter(operation="updateReferralProgram").count() == 0


async def test_only_an_admin_changes_the_program(gql):
    response = await gql(UPDATE, {"input": {"referrerPoints": 5}}, as_=member("ada"))
    assert response["data"] is None or response["data"]["updateReferralProgram"] is None
    assert (await gql(PROGRAM))["data"]["referralProgram"]["referrerPoints"] == 100


# --- conversion ------------------------------------------------------------------------------


async def test_a_conversion_credits_both_sides_once_and_feeds_goals_board_and_events(
    gql, drain, runtime
):
    await converting_on(gql, referrerPoints=100, refereePoints=50)
    await badge(gql, "recruiter", [goal("REFERRALS_CONVERTED", 1)], rewardPoints=5)
    await refer(gql, "ada", "bob")
    await convert(gql, drain, "bob")

    bob = await status(gql, "bob")
    assert bob["points"]["balance"] == 10 + 50
    assert bob["referral"]["pointsEarned"] == 50
    ada = await status(gql, "ada")
    assert ada["points"]["balance"] == 100 + 5
    assert (ada["referral"]["invited"], ada["referral"]["converted"]) == (1, 1)
    assert ada["referral"]["pointsEarned"] == 100
    sources = await LedgerEntry.filter(reason=LedgerReason.REFERRAL).values_list(
        "member_id", "source_key"
    )
    assert sorted(sources) == [("ada", "referral:bob:referrer"), ("bob", "referral:bob:referee")]
    earned = {s["badge"]["key"]: s["earned"] for s in await my_badges(gql, "ada")}
    assert earned["recruiter"] is True
    board = (await gql(BOARD))["data"]["leaderboard"]["entries"]["edges"]
    assert [(e["node"]["member"]["id"], e["node"]["score"]) for e in board] == [("ada", 1)]
    events = (await gql(EVENTS, as_=member("ada")))["data"]["me"]["events"]["edges"]
    converted = [e["node"] for e in events if e["node"]["kind"] == "REFERRAL_CONVERTED"]
    assert len(converted) == 1 and converted[0]["points"] == 100
    assert converted[0]["subject"] == "bob"
    referral = await Referral.get(referee_id="bob")
    assert referral.converted_at is not None and referral.referrer_rewarded

    # Later interactions of the action, replays and sweeps convert nothing more.
    await convert(gql, drain, "bob", key="o2")
    for interaction_id in await Interaction.all().values_list("id", flat=True):
        await process_interaction(runtime, int(str(interaction_id)))  # delivered again
    await Interaction.all().update(status="PENDING")  # as if the commit had been lost
    await sweep_pending({"runtime": runtime})
    await drain()
    assert await LedgerEntry.filter(reason=LedgerReason.REFERRAL).count() == 2
    assert (await Member.get(id="ada")).referrals_converted == 1


async def test_only_the_first_awarded_interaction_of_the_action_converts(gql, drain):
    await converting_on(gql)
    await convert(gql, drain, "bob", key="before")  # done before any code was applied
    await refer(gql, "ada", "bob")
    await convert(gql, drain, "bob", key="after")
    assert await LedgerEntry.filter(reason=LedgerReason.REFERRAL).count() == 0
    assert (await Referral.get(referee_id="bob")).converted_at is None


async def test_a_rejected_interaction_does_not_convert(gql, drain):
    await converting_on(gql)
    await refer(gql, "ada", "bob")
    inactive = action_input("order.first", 10, memberReportable=True, active=False)
    assert (await gql(UPSERT_ACTION, {"input": inactive}, as_=ADMIN))["data"]
    await convert(gql, drain, "bob", key="o1")
    assert (await Interaction.get(idempotency_key="o1")).status == "REJECTED"
    assert await LedgerEntry.filter(reason=LedgerReason.REFERRAL).count() == 0
    await define(gql, "order.first", 10)  # active again
    await convert(gql, drain, "bob", key="o2")  # the first AWARDED one
    assert await LedgerEntry.filter(reason=LedgerReason.REFERRAL).count() == 2


async def test_beyond_the_monthly_cap_the_referee_is_paid_and_the_referrer_is_told(gql, drain):
    await converting_on(gql, monthlyCap=2, referrerPoints=100, refereePoints=50)
    referees = ["bob", "cy", "dee"]
    for referee in referees:
        await refer(gql, "ada", referee)
    for referee in referees:
        await convert(gql, drain, referee)
    for referee in referees:
        assert (await status(gql, referee))["points"]["balance"] == 10 + 50
    ada = await status(gql, "ada")
    assert ada["points"]["balance"] == 200
    assert ada["referral"]["converted"] == 3
    assert (await Member.get(id="ada")).referrals_converted == 3
    entries = await LedgerEntry.filter(member_id="ada", reason=LedgerReason.REFERRAL).order_by("id")
    assert [e.amount for e in entries] == [100, 100, 0]
    assert "monthly cap of 2" in entries[2].description
    assert not (await Referral.get(referee_id="dee")).referrer_rewarded
    board = (await gql(BOARD))["data"]["leaderboard"]["entries"]["edges"]
    assert board[0]["node"]["score"] == 3  # every conversion counts on the board


async def test_conversions_in_one_batch_with_the_referrer_converting_too(gql, drain):
    """A batch holding referees and their referrer (itself a referee) locks them all in id
    order and credits every side once."""
    await converting_on(gql)
    await refer(gql, "ada", "bob")
    await refer(gql, "bob", "cy")
    for who in ("cy", "bob"):
        payload = await record(gql, member(who), action="order.first", key="o1")
        assert payload["errors"] == []
    await drain()
    sources = sorted(
        await LedgerEntry.filter(reason=LedgerReason.REFERRAL).values_list("source_key", flat=True)
    )
    assert sources == [
        "referral:bob:referee",
        "referral:bob:referrer",
        "referral:cy:referee",
        "referral:cy:referrer",
    ]
    assert (await Member.get(id="bob")).balance == 10 + 50 + 100


async def test_standings_of_many_members_take_a_constant_number_of_reads(gql):
    for who in ("ada", "bob", "cy"):
        await status(gql, who)
    await refer(gql, "ada", "bob")
    members = list(await Member.all().order_by("id"))
    with counting() as few:
        await referrals.standings(members[:1])
    with counting() as many:
        found = await referrals.standings(members)
    assert len(many.statements) == len(few.statements)
    assert (found["ada"].invited, found["bob"].referrer_id) == (1, "ada")


async def test_the_nightly_prune_forgets_attempts_older_than_a_day(gql):
    from domain.community import attempts
    from domain.infra.db import transaction

    await status(gql, "bob")
    now = datetime.now(UTC)
    for hours in (1, 23, 25, 48):
        await MemberAttempt.create(member_id="bob", kind="vote", at=now - timedelta(hours=hours))
    async with transaction() as connection:
        assert await attempts.prune(connection, now) == 2
    assert await MemberAttempt.filter(member_id="bob").count() == 2
