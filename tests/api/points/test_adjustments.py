"""Admins adjust a member's points: an ADJUSTMENT entry, idempotent, audited, never below zero."""

from __future__ import annotations

from domain.models import AuditRecord, LedgerEntry, Member
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import ME, codes

ADJUST = """
mutation Adjust($input: AdjustPointsInput!) {
  adjustPoints(input: $input) {
    entry { id amount reason description balanceAfter createdAt }
    errors { code message field }
  }
}
"""


def adjustment(amount: int, key: str = "a1", who: str = "ada", reason: str = "goodwill") -> dict:
    return {"input": {"memberId": who, "amount": amount, "reason": reason, "idempotencyKey": key}}


async def enrolled(gql, who: str = "ada") -> None:
    assert "errors" not in await gql(ME, as_=member(who))


async def test_a_credit_posts_an_adjustment_and_counts_as_earned(gql):
    await enrolled(gql)
    body = await gql(ADJUST, adjustment(120, reason="  sorry for the outage "), as_=ADMIN)
    payload = body["data"]["adjustPoints"]
    assert payload["errors"] == []
    entry = payload["entry"]
    assert (entry["amount"], entry["reason"], entry["balanceAfter"]) == (120, "ADJUSTMENT", 120)
    assert entry["description"] == "sorry for the outage"
    me = (await gql(ME, as_=member("ada")))["data"]["me"]
    assert me["points"] == {"balance": 120, "lifetime": 120}


async def test_a_debit_lowers_the_balance_but_not_lifetime(gql):
    await enrolled(gql)
    await gql(ADJUST, adjustment(100, "credit"), as_=ADMIN)
    body = await gql(ADJUST, adjustment(-40, "debit"), as_=ADMIN)
    assert body["data"]["adjustPoints"]["entry"]["balanceAfter"] == 60
    me = (await gql(ME, as_=member("ada")))["data"]["me"]
    assert me["points"] == {"balance": 60, "lifetime": 100}


async def test_a_debit_may_not_take_the_balance_below_zero(gql):
    await enrolled(gql)
    await gql(ADJUST, adjustment(30, "credit"), as_=ADMIN)
    body = await gql(ADJUST, adjustment(-31, "debit"), as_=ADMIN)
    payload = body["data"]["adjustPoints"]
    assert payload["entry"] is None
    assert [e["code"] for e in payload["errors"]] == ["INSUFFICIENT_POINTS"]
    assert (await Member.get(id="ada")).balance == 30
    assert await LedgerEntry.filter(member_id="ada").count() == 1
    assert await AuditRecord.filter(operation="adjustPoints").count() == 1


async def test_repeating_the_key_returns_the_first_entry_and_moves_nothing(gql):
    await enrolled(gql)
    first = await gql(ADJUST, adjustment(50, "same"), as_=ADMIN)
    again = await gql(ADJUST, adjustment(50, "same"), as_=ADMIN)
    assert again["data"]["adjustPoints"] == first["data"]["adjustPoints"]
    other = await gql(ADJUST, adjustment(999, "same"), as_=ADMIN)
    assert [e["code"] for e in other["data"]["adjustPoints"]["errors"]] == [
        "IDEMPOTENCY_KEY_REUSED"
    ]
    assert (await Member.get(id="ada")).balance == 50
    assert await AuditRecord.filter(operation="adjustPoints").count() == 1
    # The key is per member: another member's same key is a fresh adjustment.
    await enrolled(gql, "bob")
    other = await gql(ADJUST, adjustment(7, "same", who="bob"), as_=ADMIN)
    assert other["data"]["adjustPoints"]["entry"]["balanceAfter"] == 7


async def test_invalid_input_and_unknown_members_are_user_errors(gql):
    await enrolled(gql)
    cases = [
        (adjustment(0), "INVALID_INPUT", ["input", "amount"]),
        (adjustment(5, reason="   "), "INVALID_INPUT", ["input", "reason"]),
        (adjustment(5, reason="x" * 501), "INVALID_INPUT", ["input", "reason"]),
        (adjustment(5, key=""), "INVALID_INPUT", ["input", "idempotencyKey"]),
        (adjustment(5, who="nobody"), "NOT_FOUND", None),
    ]
    for variables, code, field in cases:
        payload = (await gql(ADJUST, variables, as_=ADMIN))["data"]["adjustPoints"]
        assert payload["entry"] is None
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)], variables
    assert await Member.filter(id="nobody").count() == 0
    assert await LedgerEntry.all().count() == 0


async def test_a_long_key_still_fits_the_ledger_and_stays_idempotent(gql):
    long_id = "m" * 128
    await enrolled(gql, long_id)
    key = "k" * 128
    first = await gql(ADJUST, adjustment(5, key, who=long_id), as_=ADMIN)
    again = await gql(ADJUST, adjustment(5, key, who=long_id), as_=ADMIN)
    assert first["data"]["adjustPoints"]["errors"] == []
    assert again["data"]["adjustPoints"] == first["data"]["adjustPoints"]


async def test_only_admins_adjust(gql):
    await enrolled(gql)
    for who in (member("ada"), SERVICE):
        assert codes(await gql(ADJUST, adjustment(5), as_=who)) == ["FORBIDDEN"]
    assert codes(await gql(ADJUST, adjustment(5))) == ["UNAUTHENTICATED"]


async def test_the_audit_record_has_the_admin_balances_and_reason(gql):
    await enrolled(gql)
    await gql(ADJUST, adjustment(80, "one"), as_=ADMIN)
    body = await gql(ADJUST, adjustment(-30, "two", reason="fraud"), as_=("alice", "admin"))
    entry_id = body["data"]["adjustPoints"]["entry"]["id"]
    record = await AuditRecord.filter(operation="adjustPoints").order_by("-id").first()
    assert record is not None
    assert (record.actor, record.target) == ("alice", "member:ada")
    assert record.before == {"balance": 80}
    assert record.after["balance"] == 50
    assert (record.after["amount"], record.after["reason"]) == (-30, "fraud")
    assert record.after["entryId"] == entry_id
