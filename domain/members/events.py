"""Members' events: stored with the change that caused them, published after commit.

`record` writes the event in the caller's transaction and arranges for it to be published on
Redis pub/sub (channel `<namespace>:member-events:<member id>`) once that transaction commits,
so any API process can push it to the member's open subscriptions. A publish lost to a crash or
a Redis outage is repaired by `publish_pending`, which the worker's sweep runs.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from redis.asyncio import Redis
from tortoise.backends.base.client import BaseDBAsyncClient

from domain.infra import keyset
from domain.infra.db import after_commit_batch, touch_member
from domain.models import MemberEvent

log = logging.getLogger("plaudit.events")

CHANNEL_PREFIX = "member-events:"


class EventKind(StrEnum):
    POINTS_CREDITED = "POINTS_CREDITED"
    POINTS_DEBITED = "POINTS_DEBITED"
    BADGE_EARNED = "BADGE_EARNED"
    CHALLENGE_COMPLETED = "CHALLENGE_COMPLETED"
    TIER_CHANGED = "TIER_CHANGED"
    STREAK_EXTENDED = "STREAK_EXTENDED"
    REFERRAL_CONVERTED = "REFERRAL_CONVERTED"
    CONTENT_MODERATED = "CONTENT_MODERATED"
    CAMPAIGN_OFFER = "CAMPAIGN_OFFER"  # a retention campaign's message (and bonus)


class _Publisher:
    """The Redis client this process publishes with (set by `Runtime.open`). Without one (a
    bare script), events wait for the worker's sweep. `namespace` is the program's Redis
    namespace, which every channel name starts with."""

    redis: Redis | None = None
    namespace: str = ""


publisher = _Publisher()


def channel(member_id: str) -> str:
    prefix = f"{publisher.namespace}:" if publisher.namespace else ""
    return f"{prefix}{CHANNEL_PREFIX}{member_id}"


async def record(
    connection: BaseDBAsyncClient,
    member_id: str,
    kind: EventKind,
    message: str,
    *,
    points: int | None = None,
    subject: str | None = None,
    occurred_at: datetime | None = None,
) -> MemberEvent:
    """Store the event in the caller's transaction; it is published once that commits. The
    member's feed changes: their cached reads are dropped once it commits (`touch_member`)."""
    touch_member(member_id)
    event = await MemberEvent.create(
        member_id=member_id,
        kind=kind.value,
        occurred_at=occurred_at or datetime.now(UTC),
        message=message[:500],
        points=points,
        subject=subject[:200] if subject else None,
        using_db=connection,
    )
    # Published with the transaction's other events once it commits; outside one, by the sweep.
    after_commit_batch("member-events", event, publish)
    return event


def payload(event: MemberEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "memberId": event.member_id,
        "kind": event.kind,
        "occurredAt": event.occurred_at.isoformat(),
        "message": event.message,
        "points": event.points,
        "subject": event.subject,
    }


async def publish(events: list[MemberEvent], redis: Redis | None = None) -> int:
    """Publish committed events and mark them published; returns how many were published."""
    redis = redis or publisher.redis
    if redis is None or not events:
        return 0
    async with redis.pipeline(transaction=False) as pipe:
        for event in events:
            pipe.publish(channel(event.member_id), json.dumps(payload(event)))
        await pipe.execute()
    await MemberEvent.filter(id__in=[event.id for event in events]).update(published=True)
    return len(events)


async def publish_pending(redis: Redis, older_than: timedelta, batch: int = 1000) -> int:
    """Publish events whose after-commit publish never happened (crash, Redis outage)."""
    cutoff = datetime.now(UTC) - older_than
    events = (
        await MemberEvent.filter(published=False, occurred_at__lt=cutoff)
        .order_by("id")
        .limit(batch)
    )
    published = await publish(list(events), redis)
    if published:
        log.info("published %d overdue member events", published)
    return published


async def history(member_id: str, first: int, before_id: int | None) -> list[MemberEvent]:
    """Newest first, keyset-paginated by id (`domain.infra.keyset.history`)."""
    return await keyset.history(MemberEvent.filter(member_id=member_id), first, before_id)
