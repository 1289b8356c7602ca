"""A copy of everything Plaudit holds about one member, as JSON a person can read (GDPR Art. 15).

One key per kind of data (`holdings.HOLDINGS` names which table feeds which key), each a list of
plain objects with camelCase names, instants in ISO 8601 UTC. Other people's data stays out of
it (Art. 15(4)): no other member's id appears anywhere (a referral shows who referred the member
by their public display name, the people they referred only as dates and points; an event, a
ledger source or a webhook message that names another member shows null or "referral" there),
and the admins behind audit records are not named. Reading never writes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from domain.infra.db import fitted
from domain.leaderboards import sources
from domain.members.events import EventKind
from domain.members.members import could_exist, is_erased
from domain.models import (
    ActivityDay,
    ActivityStats,
    AuditRecord,
    CampaignMember,
    Challenge,
    ChallengeParticipant,
    Content,
    ContentVote,
    Interaction,
    LedgerEntry,
    Member,
    MemberAttempt,
    MemberBadge,
    MemberEvent,
    MemberInsight,
    QuestionnaireAnswer,
    QuestionnaireSubmission,
    Redemption,
    Referral,
    StreakFrozenDay,
)
from domain.privacy import mentions
from domain.privacy.holdings import export_keys
from gamification.challenges import challenge_of_board


@dataclass(frozen=True)
class MemberExport:
    member_id: str
    generated_at: datetime
    data: dict[str, Any]

    def document(self) -> dict[str, Any]:
        """The whole export as one JSON document (what `plaudit members export` writes)."""
        return {
            "memberId": self.member_id,
            "generatedAt": instant(self.generated_at),
            "data": self.data,
        }


async def member_export(member_id: str, now: datetime | None = None) -> MemberExport | None:
    """Everything held about the member, or None when Plaudit holds no member by that id (an
    erased member's former id included)."""
    if not could_exist(member_id) or is_erased(member_id):
        return None
    connection = connections.get("default")
    member = await Member.filter(id=member_id).using_db(connection).first()
    if member is None:
        return None
    data: dict[str, Any] = {}
    for key in export_keys():
        data[key] = await SECTIONS[key](connection, member)
    return MemberExport(member_id, now or datetime.now(UTC), data)


def instant(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


Section = Callable[[BaseDBAsyncClient, Member], Awaitable[Any]]


async def _profile(connection: BaseDBAsyncClient, member: Member) -> dict[str, Any]:
    return {
        "id": member.id,
        "displayName": member.display_name,
        "avatarUrl": member.avatar_url,
        "joinedAt": instant(member.joined_at),
        "balance": member.balance,
        "lifetimePoints": member.lifetime,
        "tier": member.tier_key,
        "tierSince": instant(member.tier_since),
        "tierRetainUntil": instant(member.tier_retain_until),
        "referralCode": member.referral_code,
        "referralsConverted": member.referrals_converted,
        "contentApproved": member.content_approved,
        "leaderboardVisibility": member.leaderboard_visibility,
    }


async def _interactions(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    rows = await Interaction.filter(member_id=member.id).using_db(connection).order_by("id")
    return [
        {
            "id": str(row.id),
            "action": row.action_key,
            "idempotencyKey": row.idempotency_key,
            "status": row.status.value,
            "reason": row.reason,
            "occurredAt": instant(row.occurred_at),
            "recordedAt": instant(row.recorded_at),
            "processedAt": instant(row.processed_at),
            "pointsAwarded": row.points_awarded,
            "properties": row.properties,
        }
        for row in rows
    ]


async def _ledger(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    rows = await LedgerEntry.filter(member_id=member.id).using_db(connection).order_by("id")
    return [
        {
            "id": str(row.id),
            "amount": row.amount,
            "reason": row.reason.value,
            "description": row.description,
            "balanceAfter": row.balance_after,
            "source": _own_source(row.source_key, member.id),
            "effectiveAt": instant(row.effective_at),
            "createdAt": instant(row.created_at),
        }
        for row in rows
    ]


def _own_source(source_key: str, member_id: str) -> str:
    """A referrer's REFERRAL credit is keyed by its referee's id: shown as "referral"."""
    if source_key.startswith("referral:") and not source_key.startswith(f"referral:{member_id}:"):
        return "referral"
    return source_key


async def _redemptions(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    rows = await Redemption.filter(member_id=member.id).using_db(connection).order_by("id")
    return [
        {
            "id": str(row.id),
            "reward": row.reward_id,
            "cost": row.cost,
            "status": row.status.value,
            "idempotencyKey": row.idempotency_key,
            "createdAt": instant(row.created_at),
            "cancelledAt": instant(row.cancelled_at),
            "cancelReason": row.cancel_reason,
        }
        for row in rows
    ]


async def _badges(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    rows = await MemberBadge.filter(member_id=member.id).using_db(connection).order_by("id")
    return [
        {
            "badge": row.badge_id,
            "earnedAt": instant(row.earned_at),
            "level": row.level,
            # "admin:<subject>" names the admin who awarded it.
            "source": "admin" if row.source.startswith("admin:") else row.source,
        }
        for row in rows
    ]


async def concealed_challenges(connection: BaseDBAsyncClient, member: Member) -> set[str]:
    """The hidden challenges the member has a row in but has not completed (any round): the
    export names none of them, nor their boards, until the member completes one (the rows are
    exported all the same, with the challenge withheld). Everything else of theirs is there."""
    hidden = [
        str(key)
        for key in await Challenge.filter(hidden=True)
        .using_db(connection)
        .values_list("key", flat=True)
    ]
    if not hidden:
        return set()
    rows = (
        await ChallengeParticipant.filter(member_id=member.id, challenge_id__in=hidden)
        .using_db(connection)
        .values_list("challenge_id", "completed_at")
    )
    completed = {str(key) for key, at in rows if at is not None}
    return {str(key) for key, _ in rows} - completed


def _conceals(board: object, concealed: set[str]) -> bool:
    return isinstance(board, str) and challenge_of_board(board) in concealed


async def _challenges(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    concealed = await concealed_challenges(connection, member)
    rows = (
        await ChallengeParticipant.filter(member_id=member.id).using_db(connection).order_by("id")
    )
    return [
        {
            # A hidden challenge not completed yet: withheld, not to spoil the surprise.
            "challenge": None if row.challenge_id in concealed else row.challenge_id,
            # A repeating challenge's round ("" for the series row, or a non-repeating one).
            "round": row.round_key,
            "enrolledAt": instant(row.enrolled_at),
            "progress": row.progress,
            "score": row.score,
            "completedAt": instant(row.completed_at),
            "joinedAt": instant(row.created_at),
        }
        for row in rows
    ]


async def _streaks(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    rows = await ActivityStats.filter(member_id=member.id).using_db(connection).order_by("id")
    return [
        {
            # "" counts every action together.
            "action": row.action_key or None,
            "awardedInteractions": row.interactions,
            "activeDays": row.active_days,
            "currentStreakDays": row.streak_run,
            "longestStreakDays": row.streak_longest,
            "lastActiveOn": row.last_active_on,
            # Held as of lastActiveOn; the days missed since use them (`frozenDays`).
            "streakFreezes": row.streak_freezes,
        }
        for row in rows
    ]


async def _frozen_days(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    rows = await StreakFrozenDay.filter(member_id=member.id).using_db(connection).order_by("day")
    return [{"day": row.day, "frozenAt": instant(row.created_at)} for row in rows]


async def _activity_days(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    rows = await ActivityDay.filter(member_id=member.id).using_db(connection).order_by("id")
    return [
        {"action": row.action_key or None, "day": row.day, "awardedInteractions": row.count}
        for row in rows
    ]


async def _referrals(connection: BaseDBAsyncClient, member: Member) -> dict[str, Any]:
    own = await Referral.filter(referee_id=member.id).using_db(connection).first()
    referred_by = None
    if own is not None:
        referrer = await Member.filter(id=own.referrer_id).using_db(connection).first()
        referred_by = {
            # The referrer's public name only: their id is their own data.
            "referrerDisplayName": referrer.display_name if referrer is not None else None,
            "appliedAt": instant(own.created_at),
            "convertedAt": instant(own.converted_at),
            "welcomePoints": own.referee_points,
        }
    invited = (
        await Referral.filter(referrer_id=member.id).using_db(connection).order_by("created_at")
    )
    return {
        "referredBy": referred_by,
        "invited": [
            {
                "appliedAt": instant(row.created_at),
                "convertedAt": instant(row.converted_at),
                "rewarded": row.referrer_rewarded,
                "points": row.referrer_points,
            }
            for row in invited
        ],
    }


async def _content(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    rows = await Content.filter(author_id=member.id).using_db(connection).order_by("id")
    return [
        {
            "id": str(row.id),
            "kind": row.kind,
            "subject": row.subject,
            "body": row.body,
            "mediaUrls": row.media_urls,
            "status": str(row.status),
            "score": row.score,
            "upvotes": row.upvotes,
            "downvotes": row.downvotes,
            "pointsAwarded": row.points_awarded,
            "idempotencyKey": row.idempotency_key,
            "createdAt": instant(row.created_at),
            "moderatedAt": instant(row.moderated_at),
            "approvedAt": instant(row.approved_at),
            "rejectionReason": row.rejection_reason,
        }
        for row in rows
    ]


async def _votes(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    rows = await ContentVote.filter(voter_id=member.id).using_db(connection).order_by("id")
    return [
        {"contentId": str(row.content_id), "value": row.value, "votedAt": instant(row.voted_at)}
        for row in rows
    ]


async def _questionnaires(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    """Every submission, oldest first, with its answers (their texts included): the latest ones
    and the history. The chosen options (`questionnaire_answer_choice`) are the answers'
    `choices` again, one row each for targeting: shown once, here."""
    submissions = (
        await QuestionnaireSubmission.filter(member_id=member.id)
        .using_db(connection)
        .order_by("id")
    )
    answers: dict[int, list[QuestionnaireAnswer]] = {}
    rows = await QuestionnaireAnswer.filter(member_id=member.id).using_db(connection).order_by("id")
    for row in rows:
        answers.setdefault(row.submission_id, []).append(row)
    return [
        {
            "questionnaire": submission.questionnaire_id,
            "submittedAt": instant(submission.submitted_at),
            "latest": submission.is_latest,
            "idempotencyKey": submission.idempotency_key,
            "interactionId": (
                str(submission.interaction_id) if submission.interaction_id is not None else None
            ),
            "answers": [
                {
                    "question": answer.question_key,
                    "choices": list(answer.choices or ()),
                    "value": answer.value,
                    "text": answer.text,
                    "answeredAt": instant(answer.answered_at),
                }
                for answer in answers.get(submission.id, [])
            ],
        }
        for submission in submissions
    ]


async def _events(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    rows = await MemberEvent.filter(member_id=member.id).using_db(connection).order_by("id")
    return [
        {
            "id": str(row.id),
            "kind": row.kind,
            "occurredAt": instant(row.occurred_at),
            "message": row.message,
            "points": row.points,
            # A REFERRAL_CONVERTED event's subject is the referee's id: theirs, not the member's.
            "subject": None if row.kind == EventKind.REFERRAL_CONVERTED.value else row.subject,
        }
        for row in rows
    ]


async def _insight(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    rows = await MemberInsight.filter(member_id=member.id).using_db(connection).order_by("as_of")
    return [
        {
            "asOf": row.as_of,
            "recencyDays": row.recency,
            "activeDaysIn90": row.frequency,
            "monetary": row.monetary,
            "rfm": {"r": row.r, "f": row.f, "m": row.m},
            "segment": row.segment,
            "repeatDays": row.repeat_days,
            "weeksToLast": row.weeks_to_last,
            "weeksObserved": row.weeks_observed,
            "pAlive": row.p_alive,
            "churnRisk": row.churn_risk,
        }
        for row in rows
    ]


async def _campaigns(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    rows = (
        await CampaignMember.filter(member_id=member.id)
        .using_db(connection)
        .order_by("id")
        .prefetch_related("campaign")
    )
    return [
        {
            "campaign": row.campaign.key,
            "heldOut": row.held_out,
            "decidedAt": instant(row.decided_at),
        }
        for row in rows
    ]


async def _attempts(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    rows = await MemberAttempt.filter(member_id=member.id).using_db(connection).order_by("id")
    return [{"kind": row.kind, "at": instant(row.at)} for row in rows]


async def _leaderboards(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    concealed = await concealed_challenges(connection, member)
    return [
        {
            "board": None if _conceals(row.key.board, concealed) else row.key.board,
            "period": row.key.period.value,
            "periodKey": row.key.period_key,
            "score": row.score,
            "reachedAt": instant(row.reached_at),
        }
        for row in await sources.member_scores(connection, member.id)
    ]


async def _archives(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    concealed = await concealed_challenges(connection, member)
    found = []
    select = "id, board, period, period_key, entries"
    for row in await mentions.rows_mentioning(
        connection, "leaderboard_archive", ["entries"], member.id, select
    ):
        for entry in mentions.loaded(row["entries"]):
            if entry.get("memberId") == member.id:
                found.append(
                    {
                        "board": None if _conceals(row["board"], concealed) else row["board"],
                        "period": row["period"],
                        "periodKey": row["period_key"],
                        "rank": entry.get("rank"),
                        "score": entry.get("score"),
                    }
                )
    return found


def audit_targets(member_id: str, badges: list[str]) -> list[str]:
    """The audit targets that name the member: their adjustments and hand-awarded badges (as
    stored: `fitted`)."""
    targets = [f"member:{member_id}", *(f"member_badge:{member_id}:{key}" for key in badges)]
    return [fitted(AuditRecord, "target", target) for target in targets]


async def _audit(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    """Admin changes about the member (adjustments, badges awarded by hand, their redemptions
    cancelled, their content moderated), without the admin's identity."""
    badges = [
        str(key)
        for key in await MemberBadge.filter(member_id=member.id)
        .using_db(connection)
        .values_list("badge_id", flat=True)
    ]
    contents = await Content.filter(author_id=member.id).using_db(connection).values_list("id")
    redemptions = (
        await Redemption.filter(member_id=member.id).using_db(connection).values_list("id")
    )
    targets = [
        *audit_targets(member.id, badges),
        *(f"content:{content_id}" for (content_id,) in contents),
        *(f"redemption:{redemption_id}" for (redemption_id,) in redemptions),
    ]
    records = await AuditRecord.filter(target__in=targets).using_db(connection).order_by("id")
    return [
        {
            "operation": record.operation,
            "target": record.target,
            "at": instant(record.created_at),
            "before": record.before,
            "after": record.after,
        }
        for record in records
    ]


async def _webhooks(connection: BaseDBAsyncClient, member: Member) -> list[dict[str, Any]]:
    """Messages about the member sent (or to be sent) to the brand's other systems (a closed
    round of a hidden challenge they have not completed without its board's name)."""
    concealed = await concealed_challenges(connection, member)
    found: dict[str, dict[str, Any]] = {}
    for table in ("webhook_message", "webhook_delivery"):
        select = "id, message_id, body, created_at"
        for row in await mentions.rows_mentioning(connection, table, ["body"], member.id, select):
            document = mentions.loaded(row["body"])
            if not mentions.mentions(document.get("data"), member.id):
                continue
            found.setdefault(
                str(row["message_id"]),
                {
                    "messageId": str(row["message_id"]),
                    "type": document.get("type"),
                    "timestamp": document.get("timestamp"),
                    "data": _own_data(document.get("data") or {}, member.id, concealed),
                },
            )
    return list(found.values())


def _own_data(data: dict[str, Any], member_id: str, concealed: set[str]) -> dict[str, Any]:
    """A message's data with other members left out: their ids null, a closed period's top
    reduced to the member's own entries; a concealed hidden challenge's board null."""
    own: dict[str, Any] = {}
    for key, value in data.items():
        other = key in ("memberId", "referrerId", "refereeId") and value != member_id
        if key == "top" and isinstance(value, list):
            own[key] = [entry for entry in value if entry.get("memberId") == member_id]
        elif other or (key == "board" and _conceals(value, concealed)):
            own[key] = None
        else:
            own[key] = value
    return own


SECTIONS: dict[str, Section] = {
    "profile": _profile,
    "interactions": _interactions,
    "ledger": _ledger,
    "redemptions": _redemptions,
    "badges": _badges,
    "challenges": _challenges,
    "streaks": _streaks,
    "activityDays": _activity_days,
    "frozenDays": _frozen_days,
    "referrals": _referrals,
    "content": _content,
    "votes": _votes,
    "questionnaires": _questionnaires,
    "events": _events,
    "insight": _insight,
    "campaigns": _campaigns,
    "attempts": _attempts,
    "leaderboards": _leaderboards,
    "archives": _archives,
    "audit": _audit,
    "webhooks": _webhooks,
}
