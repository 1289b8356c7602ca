from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from domain.members.events import EventKind
from domain.models import MemberEvent as MemberEventModel

MemberEventKind = strawberry.enum(EventKind, name="MemberEventKind")


@strawberry.type(description="Something that happened to a member, pushed live to their apps.")
class MemberEvent:
    id: strawberry.ID
    kind: MemberEventKind  # type: ignore[valid-type]
    occurred_at: datetime
    message: str = strawberry.field(
        description='Human-readable, e.g. "You earned the Reviewer badge".'
    )
    points: int | None = strawberry.field(description="Points involved, when any.")
    subject: str | None = strawberry.field(
        description="Key of the badge, challenge, tier or content involved, when any."
    )

    @classmethod
    def from_model(cls, event: MemberEventModel) -> MemberEvent:
        return cls(
            id=strawberry.ID(str(event.id)),
            kind=EventKind(event.kind),
            occurred_at=event.occurred_at,
            message=event.message,
            points=event.points,
            subject=event.subject,
        )

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> MemberEvent:
        """From the JSON published on Redis (`domain.members.events.payload`)."""
        return cls(
            id=strawberry.ID(str(payload["id"])),
            kind=EventKind(payload["kind"]),
            occurred_at=datetime.fromisoformat(payload["occurredAt"]),
            message=payload["message"],
            points=payload.get("points"),
            subject=payload.get("subject"),
        )
