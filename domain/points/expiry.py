"""Points expiry, off unless `Settings.points_expire_days` is set.

The rules are `gamification.expiry` (lots, FIFO spending); this module applies them to the
ledger. `expire_points` posts one EXPIRY entry per member with due lots, each in its own
transaction under the member's row lock. The entry's source key names the last ledger entry the
computation saw, so a retry of the same computation can never post twice, and a second run
finds nothing due (the EXPIRY debit consumed exactly the due lots).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from domain.errors import DomainError
from domain.infra.db import transaction
from domain.infra.settings import Settings
from domain.members.members import lock_member
from domain.models import LedgerEntry, LedgerReason, Member
from domain.pipeline import posting
from domain.program import tier_ladder
from domain.runtime import Runtime
from gamification import expiry

log = logging.getLogger("plaudit.expiry")


async def _entries(member_id: str) -> list[expiry.Entry]:
    query = LedgerEntry.filter(member_id=member_id).order_by("id")
    rows = await query.values_list("amount", "effective_at", "reason")
    return [expiry.Entry(int(amount), at, str(reason)) for amount, at, reason in rows]


async def _candidates(cutoff: datetime) -> list[str]:
    """Members with a positive balance and a credit old enough to have expired."""
    ids = (
        await LedgerEntry.filter(amount__gt=0, effective_at__lte=cutoff, member__balance__gt=0)
        .distinct()
        .values_list("member_id", flat=True)
    )
    return sorted({str(member_id) for member_id in ids})


async def expire_member(runtime: Runtime, member_id: str, now: datetime, days: int) -> int:
    """Expire one member's due points; returns how many expired (0 when none were due)."""
    async with transaction() as connection:
        try:
            member = await lock_member(connection, member_id)
        except DomainError:
            return 0
        rows = (
            await LedgerEntry.filter(member_id=member.id)
            .using_db(connection)
            .order_by("id")
            .values_list("id", "amount", "effective_at", "reason")
        )
        if not rows:
            return 0
        entries = [expiry.Entry(int(amount), at, str(reason)) for _, amount, at, reason in rows]
        amount = min(expiry.due(expiry.lots(entries), now, days), int(member.balance))
        if amount <= 0:
            return 0
        last_id = rows[-1][0]
        await posting.post(
            connection,
            member,
            -amount,
            LedgerReason.EXPIRY,
            f"{amount} points unspent for {days} days expired",
            f"expiry:{member.id}:{last_id}",
            now,
            runtime.settings.tz,
            tier_policy=tier_ladder.TierPolicy.of(runtime.settings),
        )
    return amount


async def expire_points(
    runtime: Runtime,
    now: datetime,
    *,
    settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Expire every member's due points as of `now`; returns the number of members affected.
    `progress(seen, candidates)` hears of each candidate (`plaudit jobs run`'s progress bar).

    `settings` defaults to the runtime's; expiry is off (nothing happens) when its
    `points_expire_days` is None.
    """
    days = (settings or runtime.settings).points_expire_days
    if days is None:
        return 0
    affected = 0
    candidates = await _candidates(now - timedelta(days=days))
    for seen, member_id in enumerate(candidates, start=1):
        if progress is not None:
            progress(seen, len(candidates))
        if await expire_member(runtime, member_id, now, days):
            affected += 1
    if affected:
        log.info("expired points of %d member(s)", affected)
    return affected


async def next_expiry(
    member_id: str, settings: Settings, now: datetime
) -> tuple[datetime, int] | None:
    """When the member's next points expire and how many; None when off or nothing will."""
    days = settings.points_expire_days
    if days is None:
        return None
    member = await Member.get_or_none(id=member_id)
    if member is None or member.balance <= 0:
        return None
    return expiry.next_expiry(expiry.lots(await _entries(member_id)), now, days)
