"""The GraphQL face of user-generated content: `Content`, its enums, and `Member.contents`."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.auth import Role
from api.context import Info
from api.int_bounds import as_graphql_int
from api.members.public import PublicMember, public_member
from api.pagination import Connection, id_keyset_connection
from domain.community.content.moderation import Decision
from domain.community.content.reads import ContentOrder as ContentOrderEnum
from domain.community.content.reads import Reader
from domain.models import Content as ContentModel
from domain.models import Member as MemberModel
from gamification.content import ContentKind as ContentKindEnum
from gamification.content import ContentStatus as ContentStatusEnum

ContentKind = strawberry.enum(ContentKindEnum, name="ContentKind")
ContentStatus = strawberry.enum(ContentStatusEnum, name="ContentStatus")
ContentOrder = strawberry.enum(ContentOrderEnum, name="ContentOrder")
ModerationDecision = strawberry.enum(Decision, name="ModerationDecision")

# Cursor kinds: a cursor of one list is refused by another (INVALID_CURSOR).
NEWEST_CURSOR = "content"
QUEUE_CURSOR = "content-queue"
MEMBER_CURSOR = "member-content"


def reader_of(info: Info) -> Reader:
    """What the viewer may see: everything with an ADMIN token, their own pieces too with a
    MEMBER token, approved pieces otherwise (SERVICE tokens and anonymous requests alike)."""
    viewer = info.context.viewer()
    if viewer is None:
        return Reader()
    if viewer.role is Role.ADMIN:
        return Reader(admin=True)
    if viewer.role is Role.MEMBER:
        return Reader(member_id=viewer.subject)
    return Reader()


@strawberry.type(description="A piece of content a member submitted.")
class Content:
    id: strawberry.ID
    kind: ContentKind  # type: ignore[valid-type]
    subject: str | None = strawberry.field(
        description="What it is about (a product id, a thread id...), chosen by the client."
    )
    body: str
    media_urls: list[str]
    status: ContentStatus  # type: ignore[valid-type]
    score: float = strawberry.field(
        description="Quality score in [0, 100]: from the content itself (length, media, "
        "originality) and the community's votes; recomputed as votes arrive."
    )
    upvotes: int
    downvotes: int
    points_awarded: int = strawberry.field(
        description="Points credited to the author for it so far (reason CONTENT)."
    )
    created_at: datetime
    moderated_at: datetime | None
    rejection_reason: str | None = strawberry.field(
        description="Stable code for a rejection (SPAM, DUPLICATE, OFF_TOPIC, ABUSIVE, "
        "LOW_QUALITY, OTHER)."
    )
    _author_id: strawberry.Private[str]

    @classmethod
    def from_model(cls, content: ContentModel) -> Content:
        return cls(
            id=strawberry.ID(str(content.id)),
            kind=ContentKindEnum(content.kind),
            subject=content.subject,
            body=content.body,
            media_urls=[str(url) for url in content.media_urls or []],
            status=ContentStatusEnum(str(content.status)),
            score=float(content.score),
            upvotes=content.upvotes,
            downvotes=content.downvotes,
            points_awarded=as_graphql_int(content.points_awarded, f"content {content.id} points"),
            created_at=content.created_at,
            moderated_at=content.moderated_at,
            rejection_reason=content.rejection_reason,
            _author_id=content.author_id,
        )

    @strawberry.field
    async def author(self, info: Info) -> PublicMember:
        return await public_member(info, self._author_id)


async def member_contents(
    member: MemberModel, info: Info, first: int | None, after: str | None
) -> Connection[Content]:
    """`Member.contents`: the member's own pieces, newest first; every status for the member
    themself and for ADMIN, approved ones for any other reader (a SERVICE token)."""
    reader = reader_of(info)
    every_status = reader.admin or reader.member_id == member.id

    async def fetch(size: int, before_id: int | None) -> list[ContentModel]:
        return await info.context.contents.pages.load((member.id, size, before_id, every_status))

    return await id_keyset_connection(MEMBER_CURSOR, first, after, fetch, Content.from_model)
