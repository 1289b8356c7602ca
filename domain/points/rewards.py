"""Rewards: the catalog, redeeming (atomic and idempotent) and cancelling a redemption.

A redemption runs in one transaction under the member's row lock: their balance and their count
of redemptions cannot move before it commits. The stock moves by a conditional update
(`stock > 0`), issued last so that the reward's row is locked only for the commit: members
racing for one reward do not queue behind each other's whole transaction. The ledger entry's
unique source key and the unique (member, idempotency key) back the locks up.

A reward with an `audience` (answer conditions, `domain.offers`) is a personal offer: only
members whose latest answers meet every condition see it in the catalogue and may redeem it;
anyone else is refused FORBIDDEN. The catalogue decides it for every reward with one query of
the member's answers, whatever the number of rewards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from domain.errors import (
    DomainError,
    ErrorCode,
    idempotency_key_reused,
    invalid_input,
    not_found,
    reject_invalid,
)
from domain.infra.db import dialect, find_by_key, matching, transaction
from domain.infra.ids import parse_id
from domain.members.members import lock_member
from domain.models import LedgerReason, Redemption, RedemptionStatus, Reward
from domain.offers import conditions
from domain.outbox import EventType, emit
from domain.pipeline import posting
from domain.program import audit, tier_ladder
from domain.runtime import Runtime
from gamification.actions import ACTION_KEY, MAX_KEY_LENGTH
from gamification.offers import AnswerCondition, meets
from gamification.rewards import RewardRule, check_redemption, validate_reward
from gamification.text import within

MAX_IDEMPOTENCY_KEY = 128
MAX_REASON = 500

MESSAGES = {
    "INACTIVE": "this reward is not available",
    "LIMIT_REACHED": "you have redeemed this reward as often as allowed",
    "TIER_REQUIRED": "this reward needs a higher tier",
    "OUT_OF_STOCK": "this reward is out of stock",
    "INSUFFICIENT_POINTS": "not enough points for this reward",
}


@dataclass(frozen=True)
class RewardDefinition:
    key: str
    name: str
    cost: int
    description: str = ""
    stock: int | None = None
    per_member_limit: int | None = None
    required_tier: str | None = None
    active: bool = True
    audience: tuple[AnswerCondition, ...] = ()


def audience_of(reward: Reward) -> tuple[AnswerCondition, ...]:
    return conditions.of_stored(reward.audience)


def rule_of(reward: Reward) -> RewardRule:
    return RewardRule(
        cost=reward.cost,
        stock=reward.stock,
        per_member_limit=reward.per_member_limit,
        required_tier=reward.required_tier,
        active=reward.active,
    )


def snapshot(reward: Reward) -> dict[str, Any]:
    return {
        "key": reward.key,
        "name": reward.name,
        "description": reward.description,
        "cost": reward.cost,
        "stock": reward.stock,
        "perMemberLimit": reward.per_member_limit,
        "requiredTier": reward.required_tier,
        "active": reward.active,
        "audience": reward.audience or [],
    }


async def upsert_reward(actor: str, definition: RewardDefinition) -> Reward:
    """Create the reward or replace its definition; audited. `stock` is set as given."""
    if len(definition.key) > MAX_KEY_LENGTH or not ACTION_KEY.fullmatch(definition.key):
        raise invalid_input("key must be lowercase dot-separated words, e.g. mug", "input", "key")
    if not within(definition.name, 200):
        raise invalid_input("name must be 1 to 200 characters", "input", "name")
    ladder = await tier_ladder.load_ladder()
    keys = {rung.key for rung in ladder.rungs}
    problems = validate_reward(
        RewardRule(
            definition.cost,
            definition.stock,
            definition.per_member_limit,
            definition.required_tier,
            definition.active,
        ),
        keys,
    )
    reject_invalid(problems)
    audience = await conditions.checked(definition.audience, ("input", "audience"))
    values = {
        "name": definition.name.strip(),
        "description": definition.description[:5000],
        "cost": definition.cost,
        "stock": definition.stock,
        "per_member_limit": definition.per_member_limit,
        "required_tier": definition.required_tier,
        "active": definition.active,
        "audience": conditions.stored(audience),
    }
    async with transaction() as connection:
        return await audit.upsert_by_key(
            connection,
            Reward,
            definition.key,
            values,
            actor=actor,
            operation="upsertReward",
            snapshot=snapshot,
        )


async def list_rewards(include_inactive: bool) -> list[Reward]:
    query = Reward.all() if include_inactive else Reward.filter(active=True)
    return await query.order_by("cost", "key")


async def catalogue(member_id: str | None) -> list[Reward]:
    """The active rewards a member sees: those without an audience, and the personal offers
    whose every condition the member's latest answers meet. Two queries, whatever the number
    of rewards (the second only when some reward has an audience). Anonymous readers see the
    rewards without an audience."""
    listed = await list_rewards(include_inactive=False)
    audiences = {reward.key: audience_of(reward) for reward in listed}
    named = [condition for audience in audiences.values() for condition in audience]
    if not named:
        return listed
    answers = await conditions.latest_answers(member_id, named) if member_id is not None else {}
    return [reward for reward in listed if meets(audiences[reward.key], answers)]


async def rewards_by_key(keys: Sequence[str]) -> dict[str, Reward]:
    return {reward.key: reward for reward in await matching(Reward, key__in=list(keys))}


async def redeem(
    runtime: Runtime, member_id: str, reward_key: str, idempotency_key: str
) -> Redemption:
    """Redeem one of the reward for the member, or return the redemption made earlier with the
    same idempotency key. Raises DomainError with the refusal's code."""
    if not 1 <= len(idempotency_key) <= MAX_IDEMPOTENCY_KEY or not idempotency_key.isprintable():
        raise invalid_input(
            f"idempotencyKey must be 1 to {MAX_IDEMPOTENCY_KEY} printable characters",
            "input",
            "idempotencyKey",
        )
    try:
        return await _redeem(runtime, member_id, reward_key, idempotency_key)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its redemption.
        winner = await Redemption.get_or_none(member_id=member_id, idempotency_key=idempotency_key)
        if winner is None:
            raise
        return _replayed(winner, reward_key)


def _replayed(earlier: Redemption, reward_key: str) -> Redemption:
    """The earlier redemption with this key, when it was of the same reward."""
    if earlier.reward_id != reward_key:
        raise idempotency_key_reused("redemption", "a different reward")
    return earlier


async def _redeem(
    runtime: Runtime, member_id: str, reward_key: str, idempotency_key: str
) -> Redemption:
    async with transaction() as connection:
        existing = (
            await Redemption.filter(member_id=member_id, idempotency_key=idempotency_key)
            .using_db(connection)
            .first()
        )
        if existing is not None:
            return _replayed(existing, reward_key)
        member = await lock_member(connection, member_id)
        # Again under the member's lock: a request with the same key may have committed while
        # this one waited for it (PostgreSQL reads committed rows afresh).
        existing = (
            await Redemption.filter(member_id=member_id, idempotency_key=idempotency_key)
            .using_db(connection)
            .first()
        )
        if existing is not None:
            return _replayed(existing, reward_key)
        # No row lock on the reward: the member's lock guards their balance and per-member limit,
        # and the conditional stock update below guards the stock. Locking a popular reward's
        # row for the whole transaction would serialise every member redeeming it.
        reward = await find_by_key(Reward, reward_key, connection)
        if reward is None:
            raise not_found(f"no reward {reward_key!r}", "input", "rewardKey")
        audience = audience_of(reward)
        if audience and not meets(
            audience, await conditions.latest_answers(member_id, audience, connection)
        ):
            raise DomainError(
                ErrorCode.FORBIDDEN,
                "this reward is a personal offer for other members",
                ("input", "rewardKey"),
            )
        held = (
            await Redemption.filter(
                member_id=member_id, reward_id=reward.key, status=RedemptionStatus.COMPLETED
            )
            .using_db(connection)
            .count()
        )
        ladder = await tier_ladder.load_ladder(connection)
        member_rank = ladder.rank(tier_ladder.state_of(member).key)
        required = (
            ladder.threshold_of(reward.required_tier) if reward.required_tier is not None else None
        )
        refusal = check_redemption(rule_of(reward), member.balance, held, member_rank, required)
        if refusal is not None:
            raise DomainError(refusal.value, MESSAGES[refusal.value], ("input", "rewardKey"))
        redemption = await Redemption.create(
            member_id=member_id,
            reward_id=reward.key,
            cost=reward.cost,
            status=RedemptionStatus.COMPLETED,
            idempotency_key=idempotency_key,
            using_db=connection,
        )
        await posting.post(
            connection,
            member,
            -reward.cost,
            LedgerReason.REDEMPTION,
            f"Redeemed {reward.name}",
            f"redemption:{redemption.id}",
            datetime.now(UTC),
            runtime.settings.tz,
            tier_policy=tier_ladder.TierPolicy.of(runtime.settings),
        )
        data = {
            "memberId": member_id,
            "rewardKey": reward.key,
            "redemptionId": str(redemption.id),
            "cost": reward.cost,
        }
        await emit(connection, EventType.REWARD_REDEEMED, data, at=redemption.created_at)
        if reward.stock is not None:
            # Last statement before commit: the row lock this update takes is held briefly.
            # Zero rows means another redemption took the last unit; raising rolls it all back.
            taken = (
                await Reward.filter(key=reward.key, stock__gt=0)
                .using_db(connection)
                .update(stock=F("stock") - 1)
            )
            if not taken:
                raise DomainError(
                    ErrorCode.OUT_OF_STOCK, MESSAGES["OUT_OF_STOCK"], ("input", "rewardKey")
                )
    return redemption


async def cancel(runtime: Runtime, actor: str, redemption_id: str, reason: str) -> Redemption:
    """Cancel a redemption: refund its cost (REVERSAL) and restore the stock; audited.

    Once only: cancelling a cancelled redemption raises ALREADY_CANCELLED and changes nothing.
    """
    if not within(reason, MAX_REASON):
        raise invalid_input(f"reason must be 1 to {MAX_REASON} characters", "input", "reason")
    found = await get_redemption(redemption_id)
    if found is None:
        raise not_found(f"no redemption {redemption_id!r}", "input", "redemptionId")
    async with transaction() as connection:
        member = await lock_member(connection, found.member_id)
        redemption = await Redemption.select_for_update().using_db(connection).get(id=found.id)
        if redemption.status is RedemptionStatus.CANCELLED:
            raise DomainError(
                ErrorCode.ALREADY_CANCELLED,
                "this redemption is already cancelled",
                ("input", "redemptionId"),
            )
        before = _redemption_snapshot(redemption)
        redemption.status = RedemptionStatus.CANCELLED
        redemption.cancelled_at = datetime.now(UTC)
        redemption.cancel_reason = reason.strip()
        await redemption.save(
            using_db=connection, update_fields=["status", "cancelled_at", "cancel_reason"]
        )
        await (
            Reward.filter(key=redemption.reward_id, stock__isnull=False)
            .using_db(connection)
            .update(stock=F("stock") + 1)
        )
        await posting.post(
            connection,
            member,
            redemption.cost,
            LedgerReason.REVERSAL,
            f"Cancelled redemption: {reason.strip()}",
            f"redemption-cancel:{redemption.id}",
            datetime.now(UTC),
            runtime.settings.tz,
            tier_policy=tier_ladder.TierPolicy.of(runtime.settings),
        )
        await audit.record(
            connection,
            actor,
            "cancelRedemption",
            f"redemption:{redemption.id}",
            before,
            _redemption_snapshot(redemption),
        )
    return redemption


def _redemption_snapshot(redemption: Redemption) -> dict[str, Any]:
    return {
        "id": str(redemption.id),
        "memberId": redemption.member_id,
        "reward": redemption.reward_id,
        "cost": redemption.cost,
        "status": redemption.status.value,
        "cancelReason": redemption.cancel_reason,
    }


async def get_redemption(redemption_id: str) -> Redemption | None:
    parsed = parse_id(redemption_id)
    if parsed is None:
        return None
    return await Redemption.get_or_none(id=parsed)


async def redemptions_of(
    member_ids: Sequence[str], size: int, before_id: int | None
) -> dict[str, list[Redemption]]:
    """Newest first, up to `size + 1` per member (one extra tells whether more follow), for many
    members in one query per member batch of pages: the newest ids are picked per member with a
    window function, then loaded."""
    if not member_ids:
        return {}
    client = connections.get("default")
    if dialect() == "postgres":
        marks = [f"${i + 1}" for i in range(len(member_ids) + 2)]
    else:
        marks = ["?"] * (len(member_ids) + 2)
    members_in = ", ".join(marks[: len(member_ids)])
    before_mark, limit_mark = marks[len(member_ids)], marks[len(member_ids) + 1]
    sql = (
        "SELECT id FROM (SELECT id, ROW_NUMBER() OVER "
        "(PARTITION BY member_id ORDER BY id DESC) AS rn FROM redemption "
        f"WHERE member_id IN ({members_in}) AND id < {before_mark}) ranked "
        f"WHERE rn <= {limit_mark}"
    )
    values: list[Any] = [*member_ids, before_id if before_id is not None else 2**62, size + 1]
    rows = await client.execute_query_dict(sql, values)
    ids = [int(row["id"]) for row in rows]
    grouped: dict[str, list[Redemption]] = {member_id: [] for member_id in member_ids}
    if ids:
        for redemption in await Redemption.filter(id__in=ids).order_by("-id"):
            grouped.setdefault(redemption.member_id, []).append(redemption)
    return grouped
