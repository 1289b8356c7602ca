"""`Member.events`: the member's stored events, newest first, keyset-paginated by id."""

from __future__ import annotations

from api.events.types import MemberEvent
from api.pagination import Connection, id_keyset_connection
from domain.members import events
from domain.models import MemberEvent as MemberEventModel


async def member_events(
    member_id: str, first: int | None, after: str | None
) -> Connection[MemberEvent]:
    async def fetch(size: int, before_id: int | None) -> list[MemberEventModel]:
        return await events.history(member_id, size, before_id)

    return await id_keyset_connection("event", first, after, fetch, MemberEvent.from_model)
