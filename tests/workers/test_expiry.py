"""Points expiry on the real ledger: oldest credits are spent first and expire after N days."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from domain.infra.db import transaction
from domain.members.members import enrol, lock_member
from domain.models import LedgerEntry, LedgerReason, Member
from domain.pipeline import posting
from domain.points import expiry
from domain.program.tier_ladder import TierPolicy
from tests.conftest import member

T = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.fixture
def settings30(runtime):
    return dataclasses.replace(runtime.settings, points_expire_days=30)


async def post(runtime, member_id: str, amount: int, at: datetime, key: str) -> None:
    await enrol(member_id)
    reason = LedgerReason.BONUS if amount > 0 else LedgerReason.REDEMPTION
    async with transaction() as connection:
        member = await lock_member(connection, member_id)
        await posting.post(
            connection,
            member,
            amount,
            reason,
            key,
            key,
            at,
            runtime.settings.tz,
            tier_policy=TierPolicy.of(runtime.settings),
        )


async def assert_ledger_consistent(member_id: str) -> int:
    member = await Member.get(id=member_id)
    entries = await LedgerEntry.filter(member_id=member_id).order_by("id")
    assert sum(e.amount for e in entries) == member.balance >= 0
    running = 0
    for entry in entries:
        running += entry.amount
        assert entry.balance_after == running >= 0
    return member.balance


async def test_expiry_is_off_by_default(runtime):
    await post(runtime, "ada", 100, T - timedelta(days=400), "old")
    assert runtime.settings.points_expire_days is None
    assert await expiry.expire_points(runtime, T) == 0
    assert await expiry.next_expiry("ada", runtime.settings, T) is None
    assert (await Member.get(id="ada")).balance == 100


async def test_spending_uses_the_oldest_credits_and_the_rest_expires_after_n_days(
    runtime, settings30
):
    await post(runtime, "ada", 100, T - timedelta(days=40), "c1")
    await post(runtime, "ada", 50, T - timedelta(days=10), "c2")
    await post(runtime, "ada", -30, T - timedelta(days=5), "spend")  # from c1: 70 of c1 left

    assert await expiry.expire_points(runtime, T, settings=settings30) == 1
    assert await assert_ledger_consistent("ada") == 50
    last = await LedgerEntry.filter(member_id="ada").order_by("-id").first()
    assert last is not None
    assert (last.amount, last.reason) == (-70, LedgerReason.EXPIRY)
    member = await Member.get(id="ada")
    assert member.lifetime == 150, "expiry does not lower lifetime points"

    # Running again the same day (or a bit later) expires nothing more.
    assert await expiry.expire_points(runtime, T, settings=settings30) == 0
    later = T + timedelta(hours=5)
    assert await expiry.expire_points(runtime, later, settings=settings30) == 0
    assert await LedgerEntry.filter(reason=LedgerReason.EXPIRY).count() == 1

    assert await expiry.next_expiry("ada", settings30, T) == (T + timedelta(days=20), 50)
    assert await expiry.expire_points(runtime, T + timedelta(days=20), settings=settings30) == 1
    assert await assert_ledger_consistent("ada") == 0
    assert await expiry.next_expiry("ada", settings30, T + timedelta(days=20)) is None


async def test_only_members_with_due_points_are_affected(runtime, settings30):
    await post(runtime, "ada", 10, T - timedelta(days=31), "a")
    await post(runtime, "bob", 10, T - timedelta(days=29), "b")
    await post(runtime, "cy", 10, T - timedelta(days=31), "c1")
    await post(runtime, "cy", -10, T - timedelta(days=1), "c2")  # spent it all in time
    assert await expiry.expire_points(runtime, T, settings=settings30) == 1
    balances = dict(await Member.all().values_list("id", "balance"))
    assert balances == {"ada": 0, "bob": 10, "cy": 0}
    for who in balances:
        await assert_ledger_consistent(who)


async def test_credits_after_a_deficit_spend_and_expiry_keep_the_invariants(runtime, settings30):
    await post(runtime, "ada", 40, T - timedelta(days=60), "c1")
    await post(runtime, "ada", 40, T - timedelta(days=50), "c2")
    assert await expiry.expire_points(runtime, T - timedelta(days=15), settings=settings30) == 1
    assert await assert_ledger_consistent("ada") == 0
    await post(runtime, "ada", 25, T - timedelta(days=14), "c3")
    await post(runtime, "ada", -5, T - timedelta(days=13), "spend")
    assert await expiry.next_expiry("ada", settings30, T) == (T + timedelta(days=16), 20)
    assert await expiry.expire_points(runtime, T + timedelta(days=16), settings=settings30) == 1
    assert await assert_ledger_consistent("ada") == 0


async def test_members_see_their_next_expiry_in_their_points(gql, runtime, settings30):
    credited = datetime.now(UTC) - timedelta(days=1)  # the fields use the present time
    await post(runtime, "ada", 30, credited, "c1")
    query = "{ me { points { balance nextExpiryAt nextExpiryAmount } } }"

    off = (await gql(query, as_=member("ada")))["data"]["me"]["points"]
    assert off == {"balance": 30, "nextExpiryAt": None, "nextExpiryAmount": None}

    configured, runtime.settings = runtime.settings, settings30
    try:
        on = (await gql(query, as_=member("ada")))["data"]["me"]["points"]
    finally:
        runtime.settings = configured
    assert datetime.fromisoformat(on["nextExpiryAt"]) == credited + timedelta(days=30)
    assert on["nextExpiryAmount"] == 30
