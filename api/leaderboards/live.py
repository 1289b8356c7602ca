"""`Subscription.leaderboardChanged`: a board's top entries and the viewer's own, pushed live.

Every write to a board announces the board and period on Redis pub/sub
(`LeaderboardStore._announce`), so any API process serves any subscriber. In each process the
subscribers of one board and period share one feed (`api.leaderboards.fanout`): one listener,
one read per tick for all of them (their own entries batched), at most one tick a second. A
subscriber is sent a tick only when its top or its own entry differs from what it was last
sent (at first: from the standings when the subscription opened).

Two ways to the socket, with the same messages:
- `Prerendered`: a document the fan-out recognises (`api.leaderboards.fanout_plan`) is not
  executed at all: the update is rendered once per tick, top and selection set, and only the
  subscriber's `me` is filled in (`api.http.TransportWSHandler.run_operation` sends it).
- Anything else runs as usual: the resolver (`subscribe`) checks, then `_stream` yields the
  tick's update objects (shared entries, the subscriber's own `me`) for graphql-core to execute.

Without a token (an anonymous socket) a subscription follows the board and `me` is null.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass

from graphql import GraphQLSchema

from api.context import Context, Info
from api.errors import ClientError
from api.events.hub import EventHub
from api.leaderboards.fanout import Fanout, fanout_of
from api.leaderboards.fanout_plan import Follow, envelope, fill, recogniser
from api.leaderboards.queries import open_leaderboard
from api.leaderboards.types import LeaderboardUpdate
from api.pagination import clamp_first
from domain.errors import ErrorCode
from domain.infra import metrics, outages
from domain.leaderboards import boards
from gamification.leaderboards import BoardPeriod

DEFAULT_TOP = 10
# Whether recognised documents are rendered by the fan-out (tests turn it off to compare the
# messages of both ways).
PRERENDER = True


async def subscribe(
    info: Info, board: str, period: BoardPeriod, top: int | None
) -> AsyncGenerator[LeaderboardUpdate, None]:
    """Checks run before the stream exists, so a refusal is the protocol's `error` message."""
    viewer = info.context.viewer()  # None on an anonymous socket: `me` stays null
    hub = info.context.hub
    if hub is None:
        raise ClientError(ErrorCode.UNAVAILABLE, "live updates are not available on this server")
    await open_leaderboard(info, board, period)  # NOT_FOUND, or a period the board lacks
    fanout = fanout_of(hub, info.context.runtime)
    viewer_id = viewer.subject if viewer is not None else None
    return _stream(fanout, board, period, clamp_first(top, DEFAULT_TOP), viewer_id)


async def _stream(
    fanout: Fanout, board: str, period: BoardPeriod, top: int, viewer_id: str | None
) -> AsyncGenerator[LeaderboardUpdate, None]:
    async with fanout.follow(board, period, top, viewer_id) as follower:
        while (delivery := await follower.next()) is not None:
            yield delivery.tick.update(top, delivery.me)


@dataclass(frozen=True)
class Prerendered:
    """A recognised subscription, checked as the resolver would: ready to follow."""

    fanout: Fanout
    follow: Follow
    top: int
    viewer_id: str | None

    async def run(self, operation_id: str, send: Callable[[str], Awaitable[bool]]) -> None:
        """Send a `next` message for each change until the feed ends or `send` says the
        socket is gone; then count the operation in the request metrics, as an executed
        subscription is counted."""
        follow = self.follow
        head, tail = envelope(operation_id, follow.response_key)
        fanout = self.fanout
        started = time.perf_counter()
        try:
            async with fanout.follow(
                follow.board, follow.period, self.top, self.viewer_id
            ) as follower:
                while (delivery := await follower.next()) is not None:
                    parts = delivery.tick.template(self.top, follow.selection)
                    if not await send(head + fill(parts, delivery.me) + tail):
                        return
        finally:
            seconds = time.perf_counter() - started
            metrics.observe_request(follow.operation_name, "subscription", [], seconds)


async def prerendered(
    context: Context,
    schema: GraphQLSchema | None,
    max_tokens: int,
    query: object,
    variables: object,
    operation_name: object,
) -> Prerendered | None:
    """The pre-rendered follow of this operation, or None when it must run as usual: a document
    the fan-out does not render, or anything the usual run answers with an error (a bad token,
    an unknown board or period, no hub, the database away), so that it says it the usual way."""
    if not PRERENDER or not isinstance(schema, GraphQLSchema):
        return None
    follow = recogniser(schema, max_tokens).follow(query, variables, operation_name)
    hub: EventHub | None = context.hub
    if follow is None or hub is None:
        return None
    try:
        viewer = context.viewer()
        # Never a hidden challenge's board here: whoever may follow one is let in the usual way.
        definition = await boards.find(follow.board, include_hidden=False)
    except ClientError:
        return None
    except Exception as exc:
        if outages.is_outage(exc):
            return None
        raise
    if definition is None or not definition.keeps(follow.period):
        return None
    viewer_id = viewer.subject if viewer is not None else None
    top = clamp_first(follow.top, DEFAULT_TOP)
    return Prerendered(fanout_of(hub, context.runtime), follow, top, viewer_id)
