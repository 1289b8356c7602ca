from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from api.auth import Role
from api.context import Info
from api.errors import ClientError
from api.events.hub import EventHub
from api.events.types import MemberEvent
from api.permissions import Requires, checked_viewer
from domain.errors import ErrorCode
from domain.members import events, members


@strawberry.type
class EventSubscriptions:
    @strawberry.subscription(
        extensions=[Requires(Role.MEMBER, in_description=False)],
        description="The viewer's own events, live, over the graphql-transport-ws protocol.",
    )
    async def member_events(self, info: Info) -> AsyncGenerator[MemberEvent, None]:
        # Requires checks the role before the stream exists: a refusal is the protocol's `error`.
        viewer = checked_viewer(info)
        hub = info.context.hub
        if hub is None:
            raise ClientError(ErrorCode.UNAVAILABLE, "live events are not available on this server")
        await members.enrol(viewer.subject)
        return _stream(hub, viewer.subject)


async def _stream(hub: EventHub, member_id: str) -> AsyncGenerator[MemberEvent, None]:
    async with hub.listen(events.channel(member_id)) as queue:
        while (payload := await queue.get()) is not None:
            yield MemberEvent.from_payload(payload)
