"""Every place Plaudit stores something of a member, and what export and erasure do with it.

One row per column that names a member: a foreign key to `member` or a value that holds a member
id or a member's words. `export` shows each under its key, `erasure` treats each as said here,
and `tests/domain/privacy/test_holdings.py` fails when a table gains a column referring to
members that is not listed (so a new table is covered the day it is added). The README's section
for data protection officers is written from this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Erased(StrEnum):
    """What erasure does to a holding."""

    # Kept for the program's totals, under the erasure's anonymous id, with the member's own
    # words (texts, keys they chose, free-form properties) removed.
    ANONYMISED = "anonymised"
    DELETED = "deleted"
    # A value of someone else's row that names the member: rewritten without them.
    REWRITTEN = "rewritten"


@dataclass(frozen=True)
class Holding:
    table: str
    column: str
    export: str  # the key of `export.member_export`'s data that shows it
    erased: Erased
    how: str  # what erasure does, in the README's words


HOLDINGS: tuple[Holding, ...] = (
    Holding(
        "member",
        "id",
        "profile",
        Erased.DELETED,
        "the profile (display name, avatar, referral code, tier) is deleted; an anonymous row "
        "keeps only the totals its anonymous rows add up to (balance, lifetime points)",
    ),
    Holding(
        "interaction",
        "member_id",
        "interactions",
        Erased.ANONYMISED,
        "kept for the counts by action and status; idempotency keys and properties removed; "
        "PENDING ones deleted",
    ),
    Holding(
        "ledger_entry",
        "member_id",
        "ledger",
        Erased.ANONYMISED,
        "kept, so the points issued and spent still add up; free-text descriptions "
        "(adjustments, referrals, reversals) and source keys naming the member replaced",
    ),
    Holding(
        "ledger_entry",
        "source_key",
        "ledger",
        Erased.REWRITTEN,
        "a referrer's REFERRAL entry names the referee: rewritten with the anonymous id",
    ),
    Holding(
        "redemption",
        "member_id",
        "redemptions",
        Erased.ANONYMISED,
        "kept for rewards' counts and stock; idempotency key and cancellation reason removed",
    ),
    Holding("member_badge", "member_id", "badges", Erased.ANONYMISED, "kept for badge counts"),
    Holding(
        "challenge_participant",
        "member_id",
        "challenges",
        Erased.ANONYMISED,
        "kept for participant and completion counts",
    ),
    Holding(
        "activity_stats",
        "member_id",
        "streaks",
        Erased.DELETED,
        "deleted (streaks and running totals)",
    ),
    Holding(
        "activity_day",
        "member_id",
        "activityDays",
        Erased.DELETED,
        "deleted (active days)",
    ),
    Holding(
        "streak_frozen_day",
        "member_id",
        "frozenDays",
        Erased.DELETED,
        "deleted (the days streak freezes covered)",
    ),
    Holding(
        "referral",
        "referee_id",
        "referrals",
        Erased.ANONYMISED,
        "kept for the referrer's counts, naming the anonymous id",
    ),
    Holding(
        "referral",
        "referrer_id",
        "referrals",
        Erased.ANONYMISED,
        "converted referrals kept under the anonymous id; ones not converted yet deleted (the "
        "member they invited keeps no referrer)",
    ),
    Holding(
        "content",
        "author_id",
        "content",
        Erased.ANONYMISED,
        "text, subject and media removed; withdrawn from every list (REJECTED) with its vote "
        "counts and score kept",
    ),
    Holding(
        "content_vote",
        "voter_id",
        "votes",
        Erased.ANONYMISED,
        "kept under the anonymous id, so the pieces' vote counts stay right",
    ),
    Holding(
        "questionnaire_submission",
        "member_id",
        "questionnaires",
        Erased.ANONYMISED,
        "kept under the anonymous id for the questionnaires' results; idempotency keys removed",
    ),
    Holding(
        "questionnaire_answer",
        "member_id",
        "questionnaires",
        Erased.ANONYMISED,
        "choice and scale answers kept under the anonymous id for the results (counts, mean, "
        "NPS), as votes are; the text of TEXT answers removed (the member's own words)",
    ),
    Holding(
        "questionnaire_answer_choice",
        "member_id",
        "questionnaires",
        Erased.ANONYMISED,
        "the chosen options kept under the anonymous id, with their answers",
    ),
    Holding("member_event", "member_id", "events", Erased.DELETED, "deleted"),
    Holding(
        "member_event",
        "subject",
        "events",
        Erased.REWRITTEN,
        "a referrer's events about the member's conversion: their name and id replaced",
    ),
    Holding("member_insight", "member_id", "insight", Erased.DELETED, "deleted"),
    Holding(
        "campaign_member",
        "member_id",
        "campaigns",
        Erased.ANONYMISED,
        "kept for the campaigns' treated and held-out counts",
    ),
    Holding(
        "member_attempt",
        "member_id",
        "attempts",
        Erased.DELETED,
        "deleted (counted attempts for the hourly limits)",
    ),
    Holding(
        "leaderboard_score",
        "member_id",
        "leaderboards",
        Erased.DELETED,
        "deleted, and the member taken off every board and period in Redis",
    ),
    Holding(
        "leaderboard_archive",
        "entries",
        "archives",
        Erased.REWRITTEN,
        "their entry in closed periods' tops kept (rank and score) under the anonymous id",
    ),
    Holding(
        "audit_record",
        "target",
        "audit",
        Erased.REWRITTEN,
        "records about the member name the anonymous id; their texts (reasons, keys) removed",
    ),
    Holding(
        "webhook_message",
        "body",
        "webhooks",
        Erased.DELETED,
        "messages about the member deleted, sent or not, and closed periods' tops rewritten "
        "without them (MEMBER_ERASED, announcing the erasure with the former id, excepted)",
    ),
    Holding(
        "webhook_delivery",
        "body",
        "webhooks",
        Erased.DELETED,
        "deliveries of messages about the member deleted (MEMBER_ERASED excepted)",
    ),
)


def export_keys() -> list[str]:
    """The export's data keys, in the order of the holdings."""
    return list(dict.fromkeys(holding.export for holding in HOLDINGS))
