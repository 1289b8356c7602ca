"""`Member.events`: the member's stored events, newest first, keyset-paginated by id."""

from __future__ import annotations

from api.events.types import MemberEvent, MemberEventConnection, MemberEventEdge
from api.pagination import clamp_first, decode_id_cursor, id_keyset_page
from domain import events


async def member_events(
    member_id: str, first: int | None, after: str | None
) -> MemberEventConnection:
    size = clamp_first(first, 20)
    before_id = decode_id_cursor("event", after)
    found = await events.history(member_id, size, before_id)
    edges, page_info = id_keyset_page(
        "event",
        found,
        size,
        after,
        lambda cursor, e: MemberEventEdge(cursor=cursor, node=MemberEvent.from_model(e)),
    )
    return MemberEventConnection(edges=edges, page_info=page_info)
