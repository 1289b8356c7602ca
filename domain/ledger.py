"""The points ledger: the only code that changes a balance.

Callers hold the member's row lock (see `lock_member`) for the whole transaction, so the
`balance_after` written here is exact and the balance never goes negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from domain import events, leaderboards, tiers
from domain.errors import DomainError
from domain.leaderboards import ScoreUpdate
from domain.members import could_exist
from domain.models import LedgerEntry, LedgerReason, Member
from gamification.leaderboards import POINTS_BOARD
from gamification.points import counts_as_earned
from gamification.tiers import counts_as_qualifying


@dataclass(frozen=True)
class Posting:
    entry: LedgerEntry
    score_updates: list[ScoreUpdate]


async def lock_member(connection: BaseDBAsyncClient, member_id: str) -> Member:
    """Load the member and lock their row until commit (SQLite: the transaction holds the lock)."""
    if not could_exist(member_id):
        raise DomainError("NOT_FOUND", f"no member {member_id[:100]!r}")
    member = await Member.select_for_update().using_db(connection).get_or_none(id=member_id)
    if member is None:
        raise DomainError("NOT_FOUND", f"no member {member_id!r}")
    return member


async def post(
    connection: BaseDBAsyncClient,
    member: Member,
    amount: int,
    reason: LedgerReason,
    description: str,
    source_key: str,
    effective_at: datetime,
    tz: ZoneInfo,
    *,
    tier_policy: tiers.TierPolicy,
    ladder: tiers.Ladder | None = None,
) -> Posting:
    """Append one entry and move the balance (and, for earned points, lifetime and boards).

    `source_key` is unique: posting the same source twice fails the transaction rather than
    crediting twice.

    A qualifying credit (see `gamification.tiers.counts_as_qualifying`) may move the member up a
    tier, in this same transaction; `tier_policy` gives the program's window and retention
    (`TierPolicy.of(runtime.settings)`); `ladder` saves reloading one the caller holds.
    """
    balance_after = member.balance + amount
    if balance_after < 0:
        raise DomainError("INSUFFICIENT_POINTS", "the balance cannot go below zero")
    earned = counts_as_earned(reason.value, amount)
    now = datetime.now(UTC)
    entry = await LedgerEntry.create(
        member_id=member.id,
        amount=amount,
        reason=reason,
        description=description[:500],
        balance_after=balance_after,
        source_key=source_key,
        effective_at=effective_at,
        using_db=connection,
    )
    lifetime_gain = amount if earned else 0
    await (
        Member.filter(id=member.id)
        .using_db(connection)
        .update(balance=F("balance") + amount, lifetime=F("lifetime") + lifetime_gain)
    )
    member.balance = balance_after
    member.lifetime += lifetime_gain
    await events.record(
        connection,
        member.id,
        events.EventKind.POINTS_CREDITED if amount >= 0 else events.EventKind.POINTS_DEBITED,
        _message(amount, description),
        points=amount,
        occurred_at=now,
    )
    if counts_as_qualifying(reason.value, amount):
        await tiers.upgrade_on_credit(connection, member, tier_policy, ladder)
    updates: list[ScoreUpdate] = []
    if earned:
        updates = await leaderboards.add_points(
            connection, POINTS_BOARD, member.id, amount, effective_at, now, tz
        )
    return Posting(entry, updates)


def _message(amount: int, description: str) -> str:
    what = f": {description}" if description else ""
    if amount >= 0:
        return f"You earned {amount} points{what}"
    return f"{-amount} points were taken{what}"


async def history(member_id: str, first: int, before_id: int | None) -> list[LedgerEntry]:
    """Newest first, keyset-paginated by id; fetches one extra to tell whether more follow."""
    query = LedgerEntry.filter(member_id=member_id)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    return await query.order_by("-id").limit(first + 1)
