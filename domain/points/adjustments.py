"""Manual point adjustments by an admin: an ADJUSTMENT ledger entry plus an audit record.

Positive amounts credit and negative ones debit; a debit may not take the balance below zero.
The idempotency key is per member: the ledger entry's `source_key` is derived from it, so a
repeat finds the first entry and returns it without posting (or auditing) anything more; a
repeat with another amount or reason is IDEMPOTENCY_KEY_REUSED and changes nothing. A credit
that would take the balance or lifetime total past GraphQL's Int is POINTS_OVERFLOW.

Only members who already exist can be adjusted (NOT_FOUND otherwise): an admin typo must not
enrol a phantom member. Positive adjustments count as earned points (lifetime and leaderboards),
as `gamification.points.counts_as_earned` decides for ADJUSTMENT; debits never lower those.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from domain.errors import DomainError, ErrorCode, idempotency_key_reused, invalid_input
from domain.infra.db import transaction
from domain.members.members import check_member_id, lock_member
from domain.models import LedgerEntry, LedgerReason
from domain.pipeline import Session
from domain.program import audit
from domain.runtime import Runtime
from gamification.points import credit_overflow, totals_overflow

MAX_REASON = 500
MAX_IDEMPOTENCY_KEY = 128
MAX_SOURCE_KEY = 200  # LedgerEntry.source_key's column width


def source_key(member_id: str, idempotency_key: str) -> str:
    """`adjustment:<member>:<key>`, or a digest of the two when that would not fit the column."""
    key = f"adjustment:{member_id}:{idempotency_key}"
    if len(key) <= MAX_SOURCE_KEY:
        return key
    digest = hashlib.sha256(f"{member_id}\x00{idempotency_key}".encode()).hexdigest()
    return f"adjustment#{digest}"


def _validate(member_id: str, amount: int, reason: str, idempotency_key: str) -> str:
    check_member_id(member_id, "input", "memberId")
    if amount == 0:
        raise invalid_input("amount must not be 0", "input", "amount")
    text = reason.strip()
    if not 1 <= len(text) <= MAX_REASON:
        raise invalid_input(f"reason must be 1 to {MAX_REASON} characters", "input", "reason")
    if not 1 <= len(idempotency_key) <= MAX_IDEMPOTENCY_KEY or not idempotency_key.isprintable():
        raise invalid_input(
            f"idempotencyKey must be 1 to {MAX_IDEMPOTENCY_KEY} printable characters",
            "input",
            "idempotencyKey",
        )
    return text


async def adjust_points(
    runtime: Runtime,
    actor: str,
    member_id: str,
    amount: int,
    reason: str,
    idempotency_key: str,
) -> LedgerEntry:
    """Post the adjustment (or return the entry of an earlier one with the same key)."""
    text = _validate(member_id, amount, reason, idempotency_key)
    source = source_key(member_id, idempotency_key)
    now = datetime.now(UTC)
    async with transaction() as connection:
        # The member's row lock serialises concurrent repeats: the second sees the first's entry.
        member = await lock_member(connection, member_id)
        existing = await LedgerEntry.filter(source_key=source).using_db(connection).first()
        if existing is not None:
            if (existing.amount, existing.description) != (amount, text):
                raise idempotency_key_reused("adjustment", "a different amount or reason")
            return existing
        overflow = credit_overflow(
            member.balance, member.lifetime, amount, LedgerReason.ADJUSTMENT.value
        )
        if overflow is not None:
            raise DomainError(ErrorCode.POINTS_OVERFLOW, overflow, ("input", "amount"))
        before = member.balance
        # Through the award chain: a credit counts toward POINTS_EARNED badges and challenges.
        session = await Session.for_member(connection, runtime, member, now)
        chain = session.chain(member.id)
        entry = chain.credit(amount, LedgerReason.ADJUSTMENT, text, source, now)
        assert entry is not None  # amount is never 0 here
        chain.settle()
        # What the chain set off (badge and challenge rewards) counts too: refuse it all before
        # anything is written.
        overflow = totals_overflow(chain.state.member.balance, chain.state.member.lifetime)
        if overflow is not None:
            raise DomainError(ErrorCode.POINTS_OVERFLOW, overflow, ("input", "amount"))
        await session.write()
        await audit.record(
            connection,
            actor,
            "adjustPoints",
            f"member:{member_id}",
            {"balance": before},
            {
                "balance": member.balance,
                "amount": amount,
                "reason": text,
                "idempotencyKey": idempotency_key,
                "entryId": str(entry.id),
            },
        )
    return entry
