"""Voting on user-generated content: one vote per member and piece, rescoring, the bonus.

A member votes on another member's APPROVED piece: 1 up, -1 down, 0 withdraws the vote. The
vote replaces the voter's earlier one (the unique (content, voter) row, written under the
voter's lock: sixteen concurrent votes of one member count once). Up- and downvotes are then
recounted from the table, the score recomputed (`gamification.content.content_score`), and the
author's `content` board with it. The first time a piece is rated helpful
(`earns_helpfulness_bonus`) its author is credited the `content.<kind>` action's points as a
BONUS, once (`bonus_awarded`, and the ledger's unique source `content-bonus:<id>`).

Locks: the voter's and the author's member rows in id order, then the piece's row, the order
every content change takes (see `domain.community.content.submission`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.community import attempts
from domain.community.attempts import AttemptKind
from domain.community.content import board as content_board
from domain.community.content.moderation import noun
from domain.errors import DomainError, ErrorCode, invalid_input, not_found
from domain.infra.db import find_by_key, transaction
from domain.infra.ids import parse_id
from domain.members.members import lock_member
from domain.models import Action, Content, ContentStatus, ContentVote, LedgerReason
from domain.pipeline import Session
from domain.runtime import Runtime
from gamification.content import (
    VOTES_PER_HOUR,
    ContentKind,
    action_key_of,
    check_vote_value,
    content_score,
    earns_helpfulness_bonus,
)


async def vote(runtime: Runtime, voter_id: str, content_id: str, value: int) -> Content:
    """Set the voter's vote on an approved piece of someone else's (1 up, -1 down, 0 withdraws
    it) and rescore the piece. The voter exists."""
    if not check_vote_value(value):
        raise invalid_input("value must be 1, -1 or 0", "value")
    parsed = parse_id(content_id)
    found = await Content.get_or_none(id=parsed) if parsed is not None else None
    if found is None:
        raise not_found(f"no content {content_id[:100]!r}", "contentId")
    now = datetime.now(UTC)
    async with transaction() as connection:
        for member_id in sorted({voter_id, found.author_id}):
            await lock_member(connection, member_id)
        content = await Content.select_for_update().using_db(connection).get(id=found.id)
        if content.status is not ContentStatus.APPROVED:
            raise DomainError(
                ErrorCode.NOT_APPROVED, "only approved content can be voted on", ("contentId",)
            )
        if content.author_id == voter_id:
            raise DomainError(
                ErrorCode.OWN_CONTENT, "you cannot vote on your own content", ("contentId",)
            )
        if await attempts.recent(connection, voter_id, AttemptKind.VOTE, now) >= VOTES_PER_HOUR:
            raise DomainError(
                ErrorCode.RATE_LIMITED, f"at most {VOTES_PER_HOUR} votes an hour; try again later"
            )
        await attempts.note(connection, voter_id, AttemptKind.VOTE, now)
        await _cast(connection, content, voter_id, value, now)
        await _rescore(connection, runtime, content, now)
    return content


async def _cast(
    connection: BaseDBAsyncClient, content: Content, voter_id: str, value: int, now: datetime
) -> None:
    """Replace the voter's vote (the voter's lock and the unique (content, voter) make it one)."""
    votes = ContentVote.filter(content_id=content.id, voter_id=voter_id).using_db(connection)
    if value == 0:
        await votes.delete()
    elif not await votes.update(value=value, voted_at=now):
        await ContentVote.create(
            content_id=content.id, voter_id=voter_id, value=value, voted_at=now, using_db=connection
        )


async def _rescore(
    connection: BaseDBAsyncClient, runtime: Runtime, content: Content, now: datetime
) -> None:
    """Recount the votes from the table, rescore, pay the helpfulness bonus the first time the
    piece earns it, and recompute the author's board."""
    votes = ContentVote.filter(content_id=content.id).using_db(connection)
    content.upvotes = await votes.filter(value=1).count()
    content.downvotes = await votes.filter(value=-1).count()
    content.score = content_score(content.quality, content.upvotes, content.downvotes)
    if not content.bonus_awarded and earns_helpfulness_bonus(
        content.score, content.upvotes, content.downvotes
    ):
        content.bonus_awarded = True
        content.points_awarded += await _pay_bonus(connection, runtime, content, now)
    await content.save(
        using_db=connection,
        update_fields=["upvotes", "downvotes", "score", "bonus_awarded", "points_awarded"],
    )
    if content.approved_at is not None:
        await content_board.recompute(
            connection, runtime, content.author_id, content.approved_at, now
        )


async def _pay_bonus(
    connection: BaseDBAsyncClient, runtime: Runtime, content: Content, now: datetime
) -> int:
    """Credit the author the `content.<kind>` action's points (BONUS, source
    `content-bonus:<id>`); 0 when the action is missing, inactive or worth nothing."""
    action_key = action_key_of(ContentKind(content.kind))
    action = await find_by_key(Action, action_key, connection)
    if action is None or not action.active or action.points <= 0:
        return 0
    author = await lock_member(connection, content.author_id)
    session = await Session.for_member(connection, runtime, author, now)
    chain = session.chain(author.id)
    entry = chain.credit(
        action.points,
        LedgerReason.BONUS,
        f"Your {noun(content)} was rated helpful",
        f"content-bonus:{content.id}",
        now,
    )
    chain.settle()
    await session.write()
    return entry.amount if entry is not None else 0
