"""Moderating user-generated content: approving, rejecting, taking down; every decision audited.

- PENDING → APPROVE: the piece is APPROVED; when the action `content.<kind>` exists, the
  author's interaction of it (key `content:<id>`) is created and awarded through the award
  pipeline in this transaction (points CONTENT, with the action's limits, cooldown, schedule
  and the tier multiplier); the approval counts toward CONTENT_APPROVED goals, the author hears
  of it (CONTENT_MODERATED), and their `content` board scores are recomputed.
- PENDING → REJECT (with a reason from REJECTION_REASONS): REJECTED, and the author hears why.
- APPROVED → REJECT, a takedown: what the piece earned (CONTENT and BONUS) is taken back in
  one REVERSAL, never below a zero balance (what was spent stays spent, and the entry says how
  much); it stops counting, and drops out of the board.
- Repeating a decision changes nothing (retries are safe); a rejection is final: approving a
  rejected piece is ALREADY_MODERATED.

Locks, in the order every content change takes them: the author's member row, then the piece's
row (a vote locks the voter's and the author's rows, then the piece), so a vote and a takedown
never deadlock. The author's lock serialises every change to their pieces and their board.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.community.content import board as content_board
from domain.errors import DomainError, ErrorCode, invalid_input, not_found
from domain.infra.db import find_by_key, transaction
from domain.infra.ids import parse_id
from domain.members import events
from domain.members.events import EventKind
from domain.members.members import lock_member
from domain.models import Action, Content, ContentStatus, Interaction, InteractionStatus
from domain.outbox import EventType, emit
from domain.pipeline import Session, award_claimed
from domain.program import audit
from domain.runtime import Runtime
from gamification.content import REJECTION_REASONS, ContentKind, action_key_of
from gamification.goals import FactKind

log = logging.getLogger("plaudit.content")

SYSTEM_ACTOR = "system"  # who approves when the program auto-approves


class Decision(StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"


def public_id(content: Content) -> str:
    return str(content.id)


def noun(content: Content) -> str:
    return ContentKind(content.kind).value.lower()


def snapshot(content: Content) -> dict[str, Any]:
    """What the audit log keeps of a piece before and after a decision."""
    return {
        "id": public_id(content),
        "authorId": content.author_id,
        "kind": content.kind,
        "status": ContentStatus(content.status).value,
        "score": content.score,
        "pointsAwarded": content.points_awarded,
        "rejectionReason": content.rejection_reason,
    }


def _check_reason(decision: Decision, reason: str | None) -> str | None:
    if decision is Decision.APPROVE:
        return None
    if reason is None or reason not in REJECTION_REASONS:
        reasons = ", ".join(sorted(REJECTION_REASONS))
        raise invalid_input(
            f"rejecting needs a rejectionReason, one of {reasons}", "input", "rejectionReason"
        )
    return reason


async def moderate(
    runtime: Runtime, actor: str, content_id: str, decision: Decision, reason: str | None
) -> Content:
    """Approve or reject the piece (audited). Repeating a decision already taken changes
    nothing and returns the piece; approving a rejected piece is ALREADY_MODERATED."""
    checked = _check_reason(decision, reason)
    parsed = parse_id(content_id)
    found = await Content.get_or_none(id=parsed) if parsed is not None else None
    if found is None:
        raise not_found(f"no content {content_id[:100]!r}", "input", "contentId")
    now = datetime.now(UTC)
    async with transaction() as connection:
        await lock_member(connection, found.author_id)
        content = await Content.select_for_update().using_db(connection).get(id=found.id)
        await decide(connection, runtime, actor, content, decision, checked, now)
    return content


async def decide(
    connection: BaseDBAsyncClient,
    runtime: Runtime,
    actor: str,
    content: Content,
    decision: Decision,
    reason: str | None,
    now: datetime,
) -> None:
    """Carry out one decision on the locked piece (its author locked too)."""
    status = ContentStatus(content.status)
    if decision is Decision.APPROVE:
        if status is ContentStatus.APPROVED:
            return
        if status is ContentStatus.REJECTED:
            raise DomainError(
                ErrorCode.ALREADY_MODERATED,
                "this content was rejected; a rejection is final",
                ("input", "contentId"),
            )
    elif status is ContentStatus.REJECTED:
        return
    before = snapshot(content)
    if decision is Decision.APPROVE:
        await _approve(connection, runtime, content, now)
    elif status is ContentStatus.PENDING:
        await _reject(connection, content, reason or "OTHER", now)
    else:
        await _take_down(connection, runtime, content, reason or "OTHER", now)
    data = {
        "memberId": content.author_id,
        "contentId": public_id(content),
        "status": ContentStatus(content.status).value,
    }
    await emit(connection, EventType.CONTENT_MODERATED, data, at=now)
    await audit.record(
        connection, actor, "moderateContent", f"content:{content.id}", before, snapshot(content)
    )


async def _approve(
    connection: BaseDBAsyncClient, runtime: Runtime, content: Content, now: datetime
) -> None:
    content.status = ContentStatus.APPROVED
    content.moderated_at = content.approved_at = now
    action_key = action_key_of(ContentKind(content.kind))
    action = await find_by_key(Action, action_key, connection)
    if action is not None:
        interaction = await _interaction_for(connection, content, action_key, now)
        if interaction is not None:
            await award_claimed(connection, runtime, [interaction], lambda: now)
            content.points_awarded = interaction.points_awarded
            content.interaction_id = interaction.id
    # Read again: awarding moved the balance, tier and counters of the author's row.
    author = await lock_member(connection, content.author_id)
    session = await Session.for_member(connection, runtime, author, now)
    chain = session.chain(author.id)
    chain.count_community(FactKind.CONTENT_APPROVED, now)
    chain.event(
        EventKind.CONTENT_MODERATED,
        f"Your {noun(content)} was approved",
        points=content.points_awarded or None,
        subject=public_id(content),
    )
    chain.settle()
    await session.write()
    await content.save(
        using_db=connection,
        update_fields=["status", "moderated_at", "approved_at", "points_awarded", "interaction_id"],
    )
    await content_board.recompute(connection, runtime, content.author_id, now, now)


async def _interaction_for(
    connection: BaseDBAsyncClient, content: Content, action_key: str, now: datetime
) -> Interaction | None:
    """The PENDING interaction that credits the approval, keyed `content:<id>`; None when the
    author already used that key for an interaction of their own (then nothing is credited)."""
    key = f"content:{content.id}"
    taken = (
        await Interaction.filter(member_id=content.author_id, idempotency_key=key)
        .using_db(connection)
        .exists()
    )
    if taken:
        log.warning("content %s: the author's idempotency key %r is taken", content.id, key)
        return None
    return await Interaction.create(
        member_id=content.author_id,
        action_key=action_key,
        idempotency_key=key,
        status=InteractionStatus.PENDING,
        occurred_at=now,
        properties={"contentId": public_id(content)},
        using_db=connection,
    )


async def _reject(
    connection: BaseDBAsyncClient, content: Content, reason: str, now: datetime
) -> None:
    content.status = ContentStatus.REJECTED
    content.moderated_at = now
    content.rejection_reason = reason
    await content.save(
        using_db=connection, update_fields=["status", "moderated_at", "rejection_reason"]
    )
    await events.record(
        connection,
        content.author_id,
        EventKind.CONTENT_MODERATED,
        f"Your {noun(content)} was not approved ({reason})",
        subject=public_id(content),
        occurred_at=now,
    )


async def _take_down(
    connection: BaseDBAsyncClient, runtime: Runtime, content: Content, reason: str, now: datetime
) -> None:
    """Reject an approved piece: take back what it earned (one REVERSAL, never below a zero
    balance), uncount it, and drop it from the board."""
    author = await lock_member(connection, content.author_id)
    session = await Session.for_member(connection, runtime, author, now)
    chain = session.chain(author.id)
    taken = 0
    if content.points_awarded > 0:
        entry = chain.reverse(
            content.points_awarded,
            f"Your {noun(content)} was taken down ({reason})",
            f"content-takedown:{content.id}",
            now,
        )
        taken = -entry.amount if entry is not None else 0
    content.points_awarded -= taken
    chain.count_community(FactKind.CONTENT_APPROVED, now, by=-1)
    chain.event(
        EventKind.CONTENT_MODERATED,
        f"Your {noun(content)} was taken down ({reason})",
        points=-taken or None,
        subject=public_id(content),
    )
    chain.settle()
    await session.write()
    content.status = ContentStatus.REJECTED
    content.moderated_at = now
    content.rejection_reason = reason
    await content.save(
        using_db=connection,
        update_fields=["status", "moderated_at", "rejection_reason", "points_awarded"],
    )
    if content.approved_at is not None:
        await content_board.recompute(
            connection, runtime, content.author_id, content.approved_at, now
        )
