"""Posting to one member's ledger outside an interaction: spending, refunds, expiry.

The ledger is the only record that changes a balance, and the award chain
(`domain.pipeline.chain.Chain.post`) is the only code that writes it; a one-member posting opens
a session for that member and posts through its chain, so a credit moves lifetime points, tier
and boards exactly as an award would. Callers hold the member's row lock
(`domain.members.members.lock_member`) for the whole transaction, so the `balance_after` written is
exact and the balance never goes negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.leaderboards.scores import ScoreUpdate
from domain.models import LedgerEntry, LedgerReason, Member
from domain.pipeline.session import Session
from domain.pipeline.state import Demand, Program
from domain.program import definitions, tier_ladder
from gamification.points import counts_as_earned
from gamification.tiers import counts_as_qualifying


@dataclass(frozen=True)
class Posting:
    entry: LedgerEntry
    score_updates: list[ScoreUpdate]


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
    tier_policy: tier_ladder.TierPolicy,
    ladder: tier_ladder.Ladder | None = None,
) -> Posting:
    """Append one entry and move the balance (and, for earned points, lifetime and boards),
    through the award chain's `post` for this one member (spending, refunds, expiry).

    `source_key` is unique: posting the same source twice fails the transaction rather than
    crediting twice. A qualifying credit may move the member up a tier in this same
    transaction. Goals are not evaluated here: credits that should move them go through a
    `pipeline.Session` and settle. The scores to project once committed are returned.
    """
    earned = counts_as_earned(reason.value, amount)
    qualifying = counts_as_qualifying(reason.value, amount)
    if ladder is None:
        ladder = (
            await tier_ladder.load_ladder(connection) if qualifying else tier_ladder.EMPTY_LADDER
        )
    program = Program(tz, tier_policy, ladder, definitions.EMPTY, actions={})
    demand = Demand(
        moments={effective_at} if earned else set(), settle=False, qualifying=qualifying
    )
    session = await Session.open(connection, program, None, [member], demand)
    entry = session.chain(member.id).post(amount, reason, description, source_key, effective_at)
    await session.write()
    return Posting(entry, list(session.changes.scores.values()))
