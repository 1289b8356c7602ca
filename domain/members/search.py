"""Finding members by what an admin knows of them: their id, or part of their display name.

For the admin console's member search. An exact id comes first, then ids that start with the
text and display names that contain it (case-insensitive), by id; at most `limit` of them.
Display names are matched with LIKE, a scan of the member table: fine for a person typing,
not for a hot path.
"""

from __future__ import annotations

from tortoise.expressions import Q

from domain.models import Member

MAX_QUERY_LENGTH = 128


async def search_members(text: str, limit: int = 50) -> list[Member]:
    wanted = text.strip()[:MAX_QUERY_LENGTH]
    if not wanted:
        return []
    exact = await Member.get_or_none(id=wanted)
    others = (
        await Member.filter(Q(id__istartswith=wanted) | Q(display_name__icontains=wanted))
        .exclude(id=wanted)
        .order_by("id")
        .limit(limit)
    )
    found = ([exact] if exact is not None else []) + others
    return found[:limit]
