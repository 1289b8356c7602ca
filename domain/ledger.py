"""The points ledger: the only code that changes a balance.

Callers hold the member's row lock (see `lock_member`) for the whole transaction, so the
`balance_after` written here is exact and the balance never goes negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient

from domain import definitions, keyset, tiers
from domain.errors import DomainError, ErrorCode
from domain.leaderboards import ScoreUpdate
from domain.members import could_exist
from domain.models import LedgerEntry, LedgerReason, Member
from gamification.points import counts_as_earned
from gamification.tiers import counts_as_qualifying


@dataclass(frozen=True)
class Posting:
    entry: LedgerEntry
    score_updates: list[ScoreUpdate]


async def lock_member(connection: BaseDBAsyncClient, member_id: str) -> Member:
    """Load the member and lock their row until commit (SQLite: the transaction holds the lock)."""
    if not could_exist(member_id):
        raise DomainError(ErrorCode.NOT_FOUND, f"no member {member_id[:100]!r}")
    member = await Member.select_for_update().using_db(connection).get_or_none(id=member_id)
    if member is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no member {member_id!r}")
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
    """Append one entry and move the balance (and, for earned points, lifetime and boards),
    through the award chain's `post` for this one member (spending, refunds, expiry).

    `source_key` is unique: posting the same source twice fails the transaction rather than
    crediting twice. A qualifying credit may move the member up a tier in this same
    transaction. Goals are not evaluated here: credits that should move them go through a
    `pipeline.Session` and settle. The scores to project once committed are returned.
    """
    from domain.pipeline import Session
    from domain.pipeline.state import Demand, Program

    earned = counts_as_earned(reason.value, amount)
    qualifying = counts_as_qualifying(reason.value, amount)
    if ladder is None:
        ladder = await tiers.load_ladder(connection) if qualifying else tiers.EMPTY_LADDER
    program = Program(tz, tier_policy, ladder, definitions.EMPTY, actions={})
    demand = Demand(
        moments={effective_at} if earned else set(), settle=False, qualifying=qualifying
    )
    session = await Session.open(connection, program, None, [member], demand)
    entry = session.chain(member.id).post(amount, reason, description, source_key, effective_at)
    await session.write()
    return Posting(entry, list(session.changes.scores.values()))


def message(amount: int, description: str) -> str:
    what = f": {description}" if description else ""
    if amount >= 0:
        return f"You earned {amount} points{what}"
    return f"{-amount} points were taken{what}"


async def history(member_id: str, first: int, before_id: int | None) -> list[LedgerEntry]:
    """Newest first, keyset-paginated by id (`domain.keyset.history`)."""
    return await keyset.history(LedgerEntry.filter(member_id=member_id), first, before_id)
