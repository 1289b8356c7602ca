"""Resolvers for the points-expiry fields of `PointsSummary` (nextExpiryAt, nextExpiryAmount).

Both fields need the same computation; it runs once per member per request (cached on the
request's context).
"""

from __future__ import annotations

from datetime import datetime

from api.context import Info
from domain.points import expiry


async def _next_expiry(member_id: str, info: Info) -> tuple[datetime, int] | None:
    context = info.context
    cache = context.next_expiry
    if member_id not in cache:
        settings = context.runtime.settings
        cache[member_id] = upcoming = await expiry.next_expiry(member_id, settings, context.now)
        if upcoming is not None:
            context.changes_at(upcoming[0])  # then these are due, and the next lot shows
    return cache[member_id]


async def next_expiry_at(member_id: str, info: Info) -> datetime | None:
    upcoming = await _next_expiry(member_id, info)
    return upcoming[0] if upcoming else None


async def next_expiry_amount(member_id: str, info: Info) -> int | None:
    upcoming = await _next_expiry(member_id, info)
    return upcoming[1] if upcoming else None
