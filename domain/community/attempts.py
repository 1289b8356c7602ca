"""Per-member hourly limits of the community features: failed referral codes, content
submissions, votes.

Each counted attempt is a `MemberAttempt` row; a limit is "fewer than N rows of this kind in the
hour before now". The caller holds the member's row lock (or SQLite's write lock), so two
concurrent attempts cannot both see room for one more, and `now` comes from the caller's clock,
so tests move time instead of sleeping. These limits are about abuse of one member's account,
which is why they live in the database next to what they guard; the per-client HTTP request
limits are `api.guards.rate_limits`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.models import MemberAttempt

WINDOW = timedelta(hours=1)
KEPT = timedelta(days=1)


class AttemptKind(StrEnum):
    REFERRAL_CODE_FAILED = "referral-code-failed"
    CONTENT_SUBMITTED = "content-submitted"
    VOTE = "vote"


async def recent(
    connection: BaseDBAsyncClient, member_id: str, kind: AttemptKind, now: datetime
) -> int:
    """How many attempts of `kind` the member made in the hour before `now`."""
    return (
        await MemberAttempt.filter(member_id=member_id, kind=kind.value, at__gt=now - WINDOW)
        .using_db(connection)
        .count()
    )


async def note(
    connection: BaseDBAsyncClient, member_id: str, kind: AttemptKind, now: datetime
) -> None:
    await MemberAttempt.create(member_id=member_id, kind=kind.value, at=now, using_db=connection)


async def prune(connection: BaseDBAsyncClient, now: datetime) -> int:
    """Forget attempts older than a day (the nightly job): no limit looks back that far."""
    return await MemberAttempt.filter(at__lt=now - KEPT).using_db(connection).delete()
