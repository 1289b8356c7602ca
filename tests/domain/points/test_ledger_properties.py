"""Property-based tests of the points ledger, driven through the domain services directly.

A generated sequence of operations (credits, debits, redemptions, cancellations, repeated
idempotency keys and expiry runs at an advancing clock) runs against the real database; after
every operation the ledger's invariants are checked, and each outcome is compared with what a
small model of the program predicts (which refusal, if any, and how far the balance moves).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.members.members import default_display_name
from domain.models import LedgerEntry, LedgerReason, Member, Redemption, RedemptionStatus, Reward
from domain.points import adjustments, expiry, rewards, tiers
from domain.points.rewards import RewardDefinition
from domain.runtime import Runtime
from gamification.points import counts_as_earned
from gamification.tiers import TierRule
from tests.conftest import Server, empty_database

ACTOR = "root"
MEMBERS = ("alice", "bob", "carol")
EXPIRE_DAYS = 30
TIER_RANK = {None: 0, "base": 0, "bronze": 0, "silver": 100}
# The clock only ever advances by multiples of 8 days: an offset is either at most 24 days
# (nothing credited during the test is due) or at least 32 (everything is), never in between.
CLOCK_STEPS = (0, 8, 8, 16, 40)


@dataclass(frozen=True)
class RewardSpec:
    key: str
    cost: int
    stock: int | None
    per_member_limit: int | None
    required_tier: str | None


MUG = RewardSpec("mug", cost=30, stock=3, per_member_limit=2, required_tier=None)
LOUNGE = RewardSpec("lounge", cost=50, stock=None, per_member_limit=None, required_tier="silver")
REWARDS = {spec.key: spec for spec in (MUG, LOUNGE)}


# --- setup and observation ------------------------------------------------------------------------


async def set_up() -> None:
    await empty_database()
    await tiers.upsert_tier(ACTOR, TierRule("bronze", "Bronze", 0, 1.0))
    await tiers.upsert_tier(ACTOR, TierRule("silver", "Silver", 100, 1.5))
    for spec in REWARDS.values():
        await rewards.upsert_reward(
            ACTOR,
            RewardDefinition(
                key=spec.key,
                name=spec.key.title(),
                cost=spec.cost,
                stock=spec.stock,
                per_member_limit=spec.per_member_limit,
                required_tier=spec.required_tier,
            ),
        )
    for member_id in MEMBERS:
        await Member.create(id=member_id, display_name=default_display_name(member_id))


@dataclass(frozen=True)
class State:
    members: dict[str, tuple[int, int, str | None]]  # id -> (balance, lifetime, tier_key)
    entries: dict[str, list[tuple[int, int, int, str]]]  # id -> [(id, amount, after, reason)]
    stocks: dict[str, int | None]
    redemptions: dict[int, tuple[str, str, int, RedemptionStatus]]  # id -> (member, reward, ...)

    def balance(self, member_id: str) -> int:
        return self.members[member_id][0]

    def rank(self, member_id: str) -> int:
        return TIER_RANK[self.members[member_id][2]]

    def held(self, member_id: str, reward_key: str) -> int:
        return sum(
            1
            for who, key, _, status in self.redemptions.values()
            if who == member_id and key == reward_key and status is RedemptionStatus.COMPLETED
        )


async def observe() -> State:
    members = {
        m.id: (int(m.balance), int(m.lifetime), m.tier_key)
        for m in await Member.all().order_by("id")
    }
    entries: dict[str, list[tuple[int, int, int, str]]] = {m: [] for m in members}
    for entry in await LedgerEntry.all().order_by("id"):
        entries[entry.member_id].append(
            (entry.id, int(entry.amount), int(entry.balance_after), str(entry.reason))
        )
    stocks = {r.key: r.stock for r in await Reward.all()}
    found = {r.id: (r.member_id, r.reward_id, r.cost, r.status) for r in await Redemption.all()}
    return State(members, entries, stocks, found)


def check_invariants(state: State, previous: State | None) -> None:
    for member_id, (balance, lifetime, tier_key) in state.members.items():
        rows = state.entries[member_id]
        assert balance >= 0, (member_id, balance)
        assert sum(amount for _, amount, _, _ in rows) == balance, (member_id, rows, balance)
        running = 0
        for row in rows:
            running += row[1]
            assert row[2] == running, (member_id, "balance_after chain broken at", row, rows)
        earned = sum(amount for _, amount, _, reason in rows if counts_as_earned(reason, amount))
        assert lifetime == earned, (member_id, lifetime, earned)
        assert tier_key in TIER_RANK, tier_key
        if previous is not None:
            _, before_lifetime, _ = previous.members[member_id]
            assert lifetime >= before_lifetime, (member_id, before_lifetime, lifetime)
            # No operation here re-evaluates tiers: a member's tier never goes down.
            assert state.rank(member_id) >= previous.rank(member_id), member_id
            # The ledger is append-only.
            assert rows[: len(previous.entries[member_id])] == previous.entries[member_id]
    for key, spec in REWARDS.items():
        stock = state.stocks[key]
        completed = sum(
            1
            for _, reward_key, _, status in state.redemptions.values()
            if reward_key == key and status is RedemptionStatus.COMPLETED
        )
        if spec.stock is None:
            assert stock is None
        else:
            assert stock is not None and stock >= 0, (key, stock)
            assert stock + completed == spec.stock, (key, stock, completed)
    for redemption_id, (_, key, cost, status) in state.redemptions.items():
        assert cost == REWARDS[key].cost
        earlier = previous.redemptions.get(redemption_id) if previous is not None else None
        if earlier is not None and earlier[3] is RedemptionStatus.CANCELLED:
            assert status is RedemptionStatus.CANCELLED  # cancelling is one-way


async def check_refunds_once() -> None:
    """Each cancelled redemption has exactly one REVERSAL, each completed one none."""
    keys = await LedgerEntry.filter(reason=LedgerReason.REVERSAL).values_list(
        "source_key", flat=True
    )
    assert len(keys) == len(set(keys))
    cancelled = await Redemption.filter(status=RedemptionStatus.CANCELLED).values_list(
        "id", flat=True
    )
    assert sorted(keys) == sorted(f"redemption-cancel:{i}" for i in cancelled)


# --- the model --------------------------------------------------------------------------------


@dataclass
class Model:
    runtime: Runtime
    start: datetime
    offset_days: int = 0
    adjust_keys: dict[tuple[str, str], tuple[int, int]] = dataclasses.field(default_factory=dict)
    redeem_keys: dict[tuple[str, str], tuple[int, str]] = dataclasses.field(default_factory=dict)
    redemption_ids: list[int] = dataclasses.field(default_factory=list)
    outcomes: set[str] = dataclasses.field(default_factory=set)  # for hypothesis.event

    @property
    def expiring(self) -> Any:
        return dataclasses.replace(self.runtime.settings, points_expire_days=EXPIRE_DAYS)

    async def adjust(self, before: State, member_id: str, amount: int, key: str) -> None:
        known = self.adjust_keys.get((member_id, key))
        if known is not None:
            known_id, known_amount = known
            if amount != known_amount:
                # The key names another request: refused, and nothing changes.
                with pytest.raises(DomainError) as reused:
                    await adjustments.adjust_points(
                        self.runtime, ACTOR, member_id, amount, "t", key
                    )
                assert reused.value.code == "IDEMPOTENCY_KEY_REUSED"
                assert_unchanged(before, await observe())
                self.outcomes.add("adjust: key reused for another amount")
                return
            entry = await adjustments.adjust_points(
                self.runtime, ACTOR, member_id, amount, "t", key
            )
            assert entry.id == known_id, "a repeated idempotency key posted again"
            assert_unchanged(before, await observe())
            self.outcomes.add("adjust: repeated key")
            return
        if before.balance(member_id) + amount < 0:
            with pytest.raises(DomainError) as refused:
                await adjustments.adjust_points(self.runtime, ACTOR, member_id, amount, "t", key)
            assert refused.value.code == "INSUFFICIENT_POINTS"
            assert_unchanged(before, await observe())
            self.outcomes.add("adjust: INSUFFICIENT_POINTS")
            return
        entry = await adjustments.adjust_points(self.runtime, ACTOR, member_id, amount, "t", key)
        self.adjust_keys[(member_id, key)] = (entry.id, amount)
        after = await observe()
        assert after.balance(member_id) == before.balance(member_id) + amount
        if amount > 0:
            # A credit never moves a member down, and moves them up once they qualify.
            assert after.rank(member_id) >= before.rank(member_id)
            qualifying = sum(
                a for _, a, _, r in after.entries[member_id] if a > 0 and r == "ADJUSTMENT"
            )
            if qualifying >= 100:
                assert after.members[member_id][2] == "silver"
                self.outcomes.add("credit: silver")
        else:
            assert after.rank(member_id) == before.rank(member_id)
        assert_others_unchanged(before, after, member_id)

    async def redeem(self, before: State, member_id: str, reward_key: str, key: str) -> None:
        known = self.redeem_keys.get((member_id, key))
        if known is not None:
            known_id, known_reward = known
            if reward_key != known_reward:
                with pytest.raises(DomainError) as reused:
                    await rewards.redeem(self.runtime, member_id, reward_key, key)
                assert reused.value.code == "IDEMPOTENCY_KEY_REUSED"
                assert_unchanged(before, await observe())
                self.outcomes.add("redeem: key reused for another reward")
                return
            redemption = await rewards.redeem(self.runtime, member_id, reward_key, key)
            assert redemption.id == known_id, "a repeated idempotency key redeemed again"
            assert_unchanged(before, await observe())
            self.outcomes.add("redeem: repeated key")
            return
        spec = REWARDS[reward_key]
        expected: str | None = None
        if spec.per_member_limit is not None and (
            before.held(member_id, reward_key) >= spec.per_member_limit
        ):
            expected = "LIMIT_REACHED"
        elif spec.required_tier is not None and (
            before.rank(member_id) < TIER_RANK[spec.required_tier]
        ):
            expected = "TIER_REQUIRED"
        elif spec.stock is not None and before.stocks[reward_key] == 0:
            expected = "OUT_OF_STOCK"
        elif before.balance(member_id) < spec.cost:
            expected = "INSUFFICIENT_POINTS"
        if expected is not None:
            with pytest.raises(DomainError) as refused:
                await rewards.redeem(self.runtime, member_id, reward_key, key)
            assert refused.value.code == expected
            assert_unchanged(before, await observe())
            self.outcomes.add(f"redeem: {expected}")
            return
        redemption = await rewards.redeem(self.runtime, member_id, reward_key, key)
        assert redemption.status is RedemptionStatus.COMPLETED
        self.redeem_keys[(member_id, key)] = (redemption.id, reward_key)
        self.redemption_ids.append(redemption.id)
        after = await observe()
        assert after.balance(member_id) == before.balance(member_id) - spec.cost
        assert after.members[member_id][1] == before.members[member_id][1]
        if spec.stock is not None:
            assert after.stocks[reward_key] == before.stocks[reward_key] - 1
        assert_others_unchanged(before, after, member_id)
        self.outcomes.add(f"redeem: {reward_key}")

    async def cancel(self, before: State, pick: int) -> None:
        if not self.redemption_ids:
            with pytest.raises(DomainError) as refused:
                await rewards.cancel(self.runtime, ACTOR, "999999999", "test")
            assert refused.value.code == "NOT_FOUND"
            assert_unchanged(before, await observe())
            return
        redemption_id = self.redemption_ids[pick % len(self.redemption_ids)]
        member_id, reward_key, cost, status = before.redemptions[redemption_id]
        if status is RedemptionStatus.CANCELLED:
            with pytest.raises(DomainError) as refused:
                await rewards.cancel(self.runtime, ACTOR, str(redemption_id), "again")
            assert refused.value.code == "ALREADY_CANCELLED"
            assert_unchanged(before, await observe())
            self.outcomes.add("cancel: ALREADY_CANCELLED")
            return
        await rewards.cancel(self.runtime, ACTOR, str(redemption_id), "changed my mind")
        after = await observe()
        assert after.redemptions[redemption_id][3] is RedemptionStatus.CANCELLED
        assert after.balance(member_id) == before.balance(member_id) + cost
        assert after.members[member_id][1] == before.members[member_id][1]  # not earned
        assert after.rank(member_id) == before.rank(member_id)  # not qualifying
        if REWARDS[reward_key].stock is not None:
            assert after.stocks[reward_key] == before.stocks[reward_key] + 1
        assert_others_unchanged(before, after, member_id)
        self.outcomes.add("cancel: refunded")

    async def expire(self, before: State, step: int) -> None:
        self.offset_days += step
        now = self.start + timedelta(days=self.offset_days)
        affected = await expiry.expire_points(self.runtime, now, settings=self.expiring)
        after = await observe()
        positive = [m for m in MEMBERS if before.balance(m) > 0]
        if self.offset_days >= EXPIRE_DAYS + 2:
            # Every lot was credited (at the wall clock) more than EXPIRE_DAYS before `now`.
            assert affected == len(positive)
            assert all(after.balance(m) == 0 for m in MEMBERS), after.members
            if affected:
                self.outcomes.add("expire: expired")
        else:
            assert affected == 0
            assert_unchanged(before, after)
        for member_id in MEMBERS:
            assert after.members[member_id][1:] == before.members[member_id][1:]
        # A second run at the same moment finds nothing more to expire.
        again = await observe()
        assert await expiry.expire_points(self.runtime, now, settings=self.expiring) == 0
        assert_unchanged(again, await observe())


def assert_unchanged(before: State, after: State) -> None:
    assert after == before


def assert_others_unchanged(before: State, after: State, member_id: str) -> None:
    for other in MEMBERS:
        if other != member_id:
            assert after.members[other] == before.members[other]
            assert after.entries[other] == before.entries[other]


# --- the property -----------------------------------------------------------------------------

# Mostly alice, so that she reaches limits and stock runs out; carol mostly idle.
member_ids = st.sampled_from(["alice", "alice", "alice", "bob", "bob", "carol"])
keys = st.sampled_from(["k1", "k2", "k3", "k4", "k5", "k6"])
BY_KIND = {
    "credit": st.tuples(st.just("credit"), member_ids, st.integers(10, 120), keys),
    "debit": st.tuples(st.just("debit"), member_ids, st.integers(1, 80), keys),
    "redeem": st.tuples(st.just("redeem"), member_ids, st.sampled_from(sorted(REWARDS)), keys),
    "cancel": st.tuples(st.just("cancel"), st.integers(0, 50)),
    "expire": st.tuples(st.just("expire"), st.sampled_from(CLOCK_STEPS)),
}
# Weighted towards credits and redemptions, so that redemptions succeed and stock runs out.
KINDS = ["credit"] * 3 + ["redeem"] * 3 + ["cancel"] * 2 + ["debit", "expire"]
operations = st.sampled_from(KINDS).flatmap(BY_KIND.__getitem__)


async def run(runtime: Runtime, ops: list[tuple[Any, ...]]) -> Model:
    await set_up()
    model = Model(runtime, start=datetime.now(UTC))
    state = await observe()
    check_invariants(state, None)
    for op in ops:
        match op:
            case ("credit", member_id, amount, key):
                await model.adjust(state, member_id, amount, key)
            case ("debit", member_id, amount, key):
                await model.adjust(state, member_id, -amount, key)
            case ("redeem", member_id, reward_key, key):
                await model.redeem(state, member_id, reward_key, key)
            case ("cancel", pick):
                await model.cancel(state, pick)
            case ("expire", step):
                await model.expire(state, step)
        after = await observe()
        check_invariants(after, state)
        state = after
    await check_refunds_once()
    return model


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operations, min_size=12, max_size=25))
@example(
    ops=[
        ("credit", "alice", 120, "k1"),
        ("redeem", "alice", "mug", "k1"),
        ("redeem", "alice", "mug", "k2"),
        ("redeem", "alice", "mug", "k3"),  # LIMIT_REACHED
        ("credit", "bob", 70, "k1"),
        ("redeem", "bob", "mug", "k1"),  # the last one in stock
        ("redeem", "bob", "mug", "k2"),  # OUT_OF_STOCK
        ("cancel", 0),
        ("redeem", "bob", "mug", "k2"),  # restocked by the cancellation
        ("redeem", "alice", "lounge", "k4"),  # silver since her credit of 120
        ("expire", 40),
        ("cancel", 0),  # ALREADY_CANCELLED
    ]
)
async def test_ledger_invariants_hold_for_any_sequence(
    server: Server, runtime: Runtime, ops: list[tuple[Any, ...]]
) -> None:
    model = await run(runtime, ops)
    event(f"ops: {len(ops) // 5 * 5}+")
    for outcome in sorted(model.outcomes):
        event(outcome)


# --- examples ---------------------------------------------------------------------------------


async def test_cancel_refunds_once_and_frees_the_per_member_limit(
    server: Server, runtime: Runtime
) -> None:
    ops: list[tuple[Any, ...]] = [
        ("credit", "alice", 80, "k1"),
        ("redeem", "alice", "mug", "r1"),
        ("redeem", "alice", "mug", "r2"),
        ("redeem", "alice", "mug", "r3"),  # LIMIT_REACHED (limit 2), before INSUFFICIENT_POINTS
        ("cancel", 0),
        ("cancel", 0),  # ALREADY_CANCELLED: no second refund, no second restock
        ("redeem", "alice", "mug", "r3"),  # the limit counts completed redemptions only
        ("redeem", "alice", "mug", "r1"),  # the key of the cancelled one: returns it, spends 0
    ]
    await run(runtime, ops)
    alice = await Member.get(id="alice")
    assert alice.balance == 80 - 30 - 30 + 30 - 30 < 30
    assert (await Reward.get(key="mug")).stock == 1


async def test_failed_debit_does_not_use_up_its_key_and_a_key_is_shared_by_sign(
    server: Server, runtime: Runtime
) -> None:
    ops: list[tuple[Any, ...]] = [
        ("debit", "bob", 10, "k1"),  # INSUFFICIENT_POINTS: nothing stored, key still free
        ("credit", "bob", 60, "k1"),  # posts
        ("debit", "bob", 60, "k1"),  # same key: returns the credit, debits nothing
        ("credit", "bob", 40, "k2"),  # 100 qualifying points: silver
        ("redeem", "bob", "lounge", "r1"),  # tier required: met
        ("debit", "bob", 50, "k3"),  # balance 0; spending keeps the tier
        ("redeem", "bob", "lounge", "r2"),  # INSUFFICIENT_POINTS (silver kept)
        ("redeem", "carol", "lounge", "r1"),  # TIER_REQUIRED, before INSUFFICIENT_POINTS
    ]
    await run(runtime, ops)
    bob = await Member.get(id="bob")
    assert (bob.balance, bob.lifetime, bob.tier_key) == (0, 100, "silver")


async def test_expiry_takes_only_unspent_points_and_refunds_start_afresh(
    server: Server, runtime: Runtime
) -> None:
    ops: list[tuple[Any, ...]] = [
        ("credit", "alice", 50, "k1"),
        ("redeem", "alice", "mug", "r1"),
        ("expire", 16),  # nothing due yet
        ("expire", 16),  # 32 days: the 20 unspent points expire
        ("expire", 0),  # again at the same moment: nothing
        ("debit", "alice", 1, "k2"),  # INSUFFICIENT_POINTS
        ("cancel", 0),  # the refund is a new lot
    ]
    await run(runtime, ops)
    alice = await Member.get(id="alice")
    assert (alice.balance, alice.lifetime) == (30, 50)
    reasons = (
        await LedgerEntry.filter(member_id="alice").order_by("id").values_list("reason", "amount")
    )
    assert [(str(r), a) for r, a in reasons] == [
        ("ADJUSTMENT", 50),
        ("REDEMPTION", -30),
        ("EXPIRY", -20),
        ("REVERSAL", 30),
    ]
    # The refund's lot is dated at the refund: 10 days later it is not due.
    now = datetime.now(UTC) + timedelta(days=10)
    expiring = dataclasses.replace(runtime.settings, points_expire_days=EXPIRE_DAYS)
    assert await expiry.expire_points(runtime, now, settings=expiring) == 0
