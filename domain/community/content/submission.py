"""User-generated content: members submit reviews, photos, videos, posts and answers.

A submission is validated (`gamification.content.validate_submission`), then stored PENDING
for moderation (`domain.community.content.moderation`), or approved at once when the program
auto-approves (`settings.content_auto_approve`, actor "system"). In one transaction under the
author's row lock: at most SUBMISSIONS_PER_HOUR an hour (counted `MemberAttempt` rows); an
exact duplicate of one of the author's pieces (any status; same text once case and spacing are
ignored) is DUPLICATE, backed by the unique (author, fingerprint) index when two race; the
quality is fixed from the text (originality against the author's latest pieces) and the score
starts from it. Replaying an idempotency key returns the first piece; the same key with
other content is IDEMPOTENCY_KEY_REUSED.

Other members vote on approved pieces (`votes`); lists and visibility are in `reads`, the
`content` leaderboard in `board` (all in `domain.community.content`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from domain.community import attempts
from domain.community.attempts import AttemptKind
from domain.community.content.moderation import SYSTEM_ACTOR, Decision, decide
from domain.errors import (
    DomainError,
    ErrorCode,
    idempotency_key_reused,
    invalid_input,
    reject_invalid,
)
from domain.infra.db import transaction
from domain.members.members import lock_member
from domain.models import Content, ContentStatus
from domain.runtime import Runtime
from gamification.content import (
    SUBMISSIONS_PER_HOUR,
    Submission,
    body_fingerprint,
    content_score,
    originality,
    quality,
    validate_submission,
)

MAX_IDEMPOTENCY_KEY = 128
ORIGINALITY_COMPARED = 50  # the author's latest bodies a new piece is compared with


def _cleaned(submission: Submission) -> Submission:
    """The submission as stored: body and subject trimmed."""
    subject = submission.subject.strip() if submission.subject is not None else None
    return Submission(submission.kind, subject, submission.body.strip(), submission.media_urls)


def _check_key(idempotency_key: str) -> None:
    if not 1 <= len(idempotency_key) <= MAX_IDEMPOTENCY_KEY or not idempotency_key.isprintable():
        raise invalid_input(
            f"idempotencyKey must be 1 to {MAX_IDEMPOTENCY_KEY} printable characters",
            "input",
            "idempotencyKey",
        )


async def submit(
    runtime: Runtime, member_id: str, submission: Submission, idempotency_key: str
) -> Content:
    """Store the member's piece (PENDING, or APPROVED at once when the program auto-approves),
    or return the one submitted earlier with the same idempotency key. The member exists."""
    reject_invalid(validate_submission(submission))
    _check_key(idempotency_key)
    cleaned = _cleaned(submission)
    try:
        return await _submit(runtime, member_id, cleaned, idempotency_key)
    except IntegrityError:
        # A concurrent submission committed first (same key, or the same body).
        earlier = await Content.get_or_none(author_id=member_id, idempotency_key=idempotency_key)
        if earlier is not None:
            return _replayed(earlier, cleaned)
        fingerprint = body_fingerprint(cleaned.body)
        if await Content.filter(author_id=member_id, fingerprint=fingerprint).exists():
            raise _duplicate() from None
        raise


def _duplicate() -> DomainError:
    return DomainError(
        ErrorCode.DUPLICATE, "you have already submitted this text", ("input", "body")
    )


def _replayed(earlier: Content, cleaned: Submission) -> Content:
    """The earlier piece with this key, when it was the same submission."""
    same = (
        earlier.kind == cleaned.kind
        and earlier.subject == cleaned.subject
        and earlier.body == cleaned.body
        and list(earlier.media_urls or []) == list(cleaned.media_urls)
    )
    if not same:
        raise idempotency_key_reused("submission", "different content")
    return earlier


async def _by_key(
    connection: BaseDBAsyncClient, member_id: str, idempotency_key: str
) -> Content | None:
    return (
        await Content.filter(author_id=member_id, idempotency_key=idempotency_key)
        .using_db(connection)
        .first()
    )


async def _submit(
    runtime: Runtime, member_id: str, cleaned: Submission, idempotency_key: str
) -> Content:
    now = datetime.now(UTC)
    async with transaction() as connection:
        existing = await _by_key(connection, member_id, idempotency_key)
        if existing is not None:
            return _replayed(existing, cleaned)
        await lock_member(connection, member_id)
        # Again under the lock: a submission with the same key may have committed meanwhile.
        existing = await _by_key(connection, member_id, idempotency_key)
        if existing is not None:
            return _replayed(existing, cleaned)
        kind = AttemptKind.CONTENT_SUBMITTED
        if await attempts.recent(connection, member_id, kind, now) >= SUBMISSIONS_PER_HOUR:
            raise DomainError(
                ErrorCode.RATE_LIMITED,
                f"at most {SUBMISSIONS_PER_HOUR} submissions an hour; try again later",
            )
        fingerprint = body_fingerprint(cleaned.body)
        mine = Content.filter(author_id=member_id).using_db(connection)
        if await mine.filter(fingerprint=fingerprint).exists():
            raise _duplicate()
        earlier = (
            await mine.order_by("-id").limit(ORIGINALITY_COMPARED).values_list("body", flat=True)
        )
        fixed = quality(
            len(cleaned.body),
            len(cleaned.media_urls),
            originality(cleaned.body, [str(body) for body in earlier]),
        )
        content = await Content.create(
            author_id=member_id,
            kind=cleaned.kind,
            subject=cleaned.subject,
            body=cleaned.body,
            fingerprint=fingerprint,
            media_urls=list(cleaned.media_urls),
            status=ContentStatus.PENDING,
            quality=fixed,
            score=content_score(fixed, 0, 0),
            idempotency_key=idempotency_key,
            created_at=now,
            using_db=connection,
        )
        await attempts.note(connection, member_id, kind, now)
        if runtime.settings.content_auto_approve:
            await decide(connection, runtime, SYSTEM_ACTOR, content, Decision.APPROVE, None, now)
    return content
