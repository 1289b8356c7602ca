from __future__ import annotations

import strawberry

from api.atomic import Atomic
from api.auth import Role
from api.content.types import Content, ContentKind, ModerationDecision
from api.context import Info
from api.errors import UserError
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer
from domain.community.content import moderation as content_moderation
from domain.community.content import submission as content
from domain.community.content import votes as content_votes
from domain.members.members import enrol
from gamification.content import ContentKind as ContentKindEnum
from gamification.content import Submission


@strawberry.input
class SubmitContentInput:
    kind: ContentKind  # type: ignore[valid-type]
    subject: str | None = None
    body: str = strawberry.field(description="1 to 10,000 characters after trimming.")
    media_urls: list[str] | None = strawberry.field(
        default_factory=list, description="At most 10 http(s) URLs."
    )
    idempotency_key: str = strawberry.field(
        description="Unique per member. Repeating it returns the first piece."
    )


@strawberry.type
class ContentPayload:
    content: Content | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ModerateContentInput:
    content_id: strawberry.ID
    decision: ModerationDecision  # type: ignore[valid-type]
    rejection_reason: str | None = strawberry.field(
        default=None,
        description="Required for REJECT: SPAM, DUPLICATE, OFF_TOPIC, ABUSIVE, LOW_QUALITY or "
        "OTHER.",
    )


@strawberry.type
class VotePayload:
    content: Content | None = None
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Errors: NOT_FOUND, OWN_CONTENT, NOT_APPROVED, INVALID_INPUT (value not -1, "
        "0 or 1), RATE_LIMITED.",
    )


@strawberry.type
class ContentMutations:
    @strawberry.mutation(
        extensions=[UserErrors(), Requires(Role.MEMBER)],
        description="Starts PENDING unless the program auto-approves. Errors: INVALID_INPUT, "
        "DUPLICATE (the member's own earlier piece with the same normalized body), RATE_LIMITED. "
        "Replaying an idempotency key returns the first piece.",
    )
    async def submit_content(self, info: Info, input: SubmitContentInput) -> ContentPayload:
        viewer = checked_viewer(info)
        await enrol(viewer.subject)
        submission = Submission(
            kind=ContentKindEnum(input.kind).value,
            subject=input.subject,
            body=input.body,
            media_urls=tuple(input.media_urls or ()),
        )
        piece = await content.submit(
            info.context.runtime, viewer.subject, submission, input.idempotency_key
        )
        return ContentPayload(content=Content.from_model(piece))

    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="Approving credits the author once (reason CONTENT); rejecting an approved "
        "piece takes it down and reverses what it earned (REVERSAL entries), never taking the "
        "balance below zero. Repeating a decision changes nothing; approving a rejected piece is "
        "ALREADY_MODERATED.",
    )
    async def moderate_content(self, info: Info, input: ModerateContentInput) -> ContentPayload:
        viewer = checked_viewer(info)
        piece = await content_moderation.moderate(
            info.context.runtime,
            viewer.subject,
            str(input.content_id),
            content_moderation.Decision(input.decision),
            input.rejection_reason,
        )
        return ContentPayload(content=Content.from_model(piece))

    @strawberry.mutation(
        extensions=[UserErrors(), Requires(Role.MEMBER)],
        description="value is 1 or -1; voting again replaces the member's earlier vote; 0 "
        "withdraws it.",
    )
    async def vote_content(self, info: Info, content_id: strawberry.ID, value: int) -> VotePayload:
        viewer = checked_viewer(info)
        await enrol(viewer.subject)
        piece = await content_votes.vote(
            info.context.runtime, viewer.subject, str(content_id), value
        )
        return VotePayload(content=Content.from_model(piece))
