"""The webhook messages a session's changes announce, derived from what the chain recorded.

The chain records no message of its own: the ledger entries are the POINTS_CHANGED messages,
the new badge rows BADGE_EARNED (and each level reached above a badge's own, BADGE_EARNED with
its `level`), the participant rows completed in this session
CHALLENGE_COMPLETED, the tier moves TIER_CHANGED and the converted referrals
REFERRAL_CONVERTED. `writes.write` stores them with the session's other rows, in one multi-row
insert (`domain.outbox.emit_many`), and only the events some endpoint subscribes to: a program
without webhooks writes none.
"""

from __future__ import annotations

from domain.outbox import EventType, Message
from domain.pipeline.changes import Changes


def messages_of(changes: Changes, wanted: frozenset[str] | None) -> list[Message]:
    """The messages of `changes` whose event is in `wanted` (None: all of them). Ledger entries
    must have their ids (written first)."""
    messages: list[Message] = []

    def add(event: EventType, build: list[Message]) -> None:
        if wanted is None or event.value in wanted:
            messages.extend(build)

    add(
        EventType.POINTS_CHANGED,
        [
            Message(
                EventType.POINTS_CHANGED,
                {
                    "memberId": entry.member_id,
                    "amount": entry.amount,
                    "balance": entry.balance_after,
                    "reason": entry.reason.value,
                    "entryId": str(entry.id),
                },
                entry.created_at,
            )
            for entry in changes.entries
            if entry.amount != 0  # a zero entry explains; it changes no points
        ],
    )
    add(
        EventType.TIER_CHANGED,
        [
            Message(
                EventType.TIER_CHANGED,
                {"memberId": move.member_id, "fromTier": move.from_tier, "toTier": move.to_tier},
                move.at,
            )
            for move in changes.tier_moves
        ],
    )
    add(
        EventType.BADGE_EARNED,
        [
            Message(
                EventType.BADGE_EARNED,
                {"memberId": badge.member_id, "badgeKey": badge.badge_id},
                badge.earned_at,
            )
            for badge in changes.badges
        ]
        + [
            Message(
                EventType.BADGE_EARNED,
                {"memberId": level.member_id, "badgeKey": level.badge_key, "level": level.level},
                level.at,
            )
            for level in changes.levels
        ],
    )
    add(
        EventType.CHALLENGE_COMPLETED,
        [
            # The chain skips rows completed before: a completed row here completed now.
            Message(
                EventType.CHALLENGE_COMPLETED,
                # A repeating challenge's round completed is named too (e.g. "2026-W50").
                {"memberId": row.member_id, "challengeKey": row.challenge_id}
                | ({"round": row.round_key} if row.round_key else {}),
                row.completed_at,
            )
            for row in changes.participants.values()
            if row.completed_at is not None
        ],
    )
    add(
        EventType.REFERRAL_CONVERTED,
        [
            Message(
                EventType.REFERRAL_CONVERTED,
                {"referrerId": referral.referrer_id, "refereeId": referral.referee_id},
                referral.converted_at,
            )
            for referral in changes.referrals.values()
            if referral.converted_at is not None
        ],
    )
    return messages
