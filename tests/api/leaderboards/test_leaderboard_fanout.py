"""Live boards at scale (`api.leaderboards.fanout`), through real WebSockets: the subscribers of
a board share one feed and one rendering per tick and each gets its own `me`; a socket without
a token follows public boards and nothing else; the pre-rendered messages equal those of a
normal execution; a subscriber that takes nothing holds up nobody; the feed, its listener and
its task go with the last subscriber; a Redis outage delays pushes and the feed resumes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from graphql import GraphQLSchema
from redis.asyncio import Redis

from api.events.hub import EventHub
from api.guards import websocket_access
from api.leaderboards import live
from api.leaderboards.fanout import Fanout, fanout_of
from api.leaderboards.fanout_plan import Recogniser
from api.schema import MAX_TOKENS, build_schema
from domain.leaderboards.store import LeaderboardStore
from gamification.leaderboards import BoardKey, BoardPeriod, change_channel
from tests.conftest import SERVICE, member
from tests.helpers import RECORD, define
from tests.websockets import Socket, bearer, eventually

ALL_TIME = BoardPeriod.ALL_TIME
POINTS = BoardKey("points", ALL_TIME, "lifetime")

LIVE = """
subscription Live($board: String!, $period: LeaderboardPeriod!, $top: Int) {
  leaderboardChanged(board: $board, period: $period, top: $top) {
    board period
    top { rank score member { id displayName } }
    me { rank score member { id } }
  }
}
"""
# Every field a pre-rendered document may select, in an order of its own, an alias at the root.
EVERYTHING = """
subscription {
  board: leaderboardChanged(top: 2) {
    __typename
    me { __typename score rank member { __typename avatarUrl displayName id } }
    period
    top { member { displayName avatarUrl id } score rank __typename }
    board
  }
}
"""
ONLY_THE_BOARD = "subscription { leaderboardChanged { board } }"


async def seed(server, scores: dict[str, int]) -> None:
    """Scores written to the all-time points board as the worker's projection writes them
    (each write announced on the board's channel)."""
    now = datetime.now(UTC)
    await server.runtime.leaderboards.set_scores(
        [(POINTS, who, score, now, None) for who, score in scores.items()]
    )


async def earn(gql, who: str, action: str, key: str) -> None:
    variables = {"input": {"action": action, "idempotencyKey": key, "memberId": who}}
    body = await gql(RECORD, variables, as_=SERVICE)
    assert body["data"]["recordInteraction"]["errors"] == []


async def subscribe(
    socket: Socket, top: int = 3, id: str = "1", query: str = LIVE, board: str = "points"
) -> None:
    variables = {"board": board, "period": "ALL_TIME", "top": top}
    payload = {"query": query, "variables": variables}
    await socket.send({"id": id, "type": "subscribe", "payload": payload})


async def following(server, hub, count: int) -> None:
    """Wait until `count` subscribers of the all-time points board hear of its changes here,
    and the hub listens on Redis."""
    fanout = fanout_of(hub, server.runtime)
    name = change_channel("points", ALL_TIME, server.runtime.leaderboards.namespace)

    async def ready() -> bool:
        [(_, subscribed)] = await server.runtime.redis.pubsub_numsub(name)
        return fanout.following("points", ALL_TIME) == count and int(subscribed) == 1

    await eventually(ready)


async def push(socket: Socket, within: float = 3.0) -> dict[str, Any]:
    message = await socket.receive(within)
    assert message["type"] == "next", message
    return message


def update(message: dict[str, Any], key: str = "leaderboardChanged") -> dict[str, Any]:
    found: dict[str, Any] = message["payload"]["data"][key]
    return found


def standings(entries: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    return [(e["rank"], e["score"], e["member"]["id"]) for e in entries]


def renderings(fanout: Fanout) -> int:
    return sum(fanout.renders.values())


async def test_subscribers_of_a_board_share_one_rendering_per_tick_and_each_gets_its_own_me(
    open_socket, server, hub, settings
):
    await seed(server, {f"m{n}": 10 + n for n in range(12)})
    fanout = fanout_of(hub, server.runtime)
    async with contextlib.AsyncExitStack() as stack:
        sockets = []
        for n in range(12):
            socket = await stack.enter_async_context(open_socket())
            await socket.init(bearer(settings, f"m{n}"))
            await subscribe(socket)
            sockets.append(socket)
        await following(server, hub, 12)
        rendered, ticks = renderings(fanout), fanout.ticks

        await seed(server, {"m0": 100})  # m0 takes the lead: everybody's top and rank move
        updates = [update(message) for message in await asyncio.gather(*map(push, sockets))]

        assert renderings(fanout) - rendered == 1  # one rendering, twelve subscribers
        assert fanout.ticks - ticks == 1  # one read of the board and their entries
        for n, pushed in enumerate(updates):
            assert standings(pushed["top"]) == [(1, 100, "m0"), (2, 21, "m11"), (3, 20, "m10")]
            expected = (1, 100) if n == 0 else (13 - n, 10 + n)
            assert (pushed["me"]["rank"], pushed["me"]["score"]) == expected
            assert pushed["me"]["member"]["id"] == f"m{n}"
        for socket in sockets:
            await socket.nothing_more()


async def test_subscribers_with_different_tops_or_selections_get_a_rendering_each(
    open_socket, server, hub, settings
):
    await seed(server, {"ada": 5, "bob": 3})
    fanout = fanout_of(hub, server.runtime)
    async with open_socket() as socket:
        await socket.init(bearer(settings, "ada"))
        await subscribe(socket, top=1, id="1")
        await subscribe(socket, top=1, id="2")  # the same as "1": shares its rendering
        await subscribe(socket, top=2, id="3")
        await subscribe(socket, top=2, id="4", query=LIVE.replace("displayName", "avatarUrl"))
        await following(server, hub, 4)
        rendered = renderings(fanout)

        await seed(server, {"cy": 9})
        messages = {message["id"]: message for message in [await push(socket) for _ in range(4)]}
        assert renderings(fanout) - rendered == 3
        assert standings(update(messages["1"])["top"]) == [(1, 9, "cy")]
        assert update(messages["1"]) == update(messages["2"])
        assert standings(update(messages["3"])["top"]) == [(1, 9, "cy"), (2, 5, "ada")]


@pytest.mark.parametrize(
    ("query", "key"),
    [(LIVE, "leaderboardChanged"), (EVERYTHING, "board"), (ONLY_THE_BOARD, "leaderboardChanged")],
)
@pytest.mark.parametrize("with_token", [True, False])
async def test_a_prerendered_message_equals_what_a_normal_execution_sends(
    open_socket, server, hub, settings, gql, drain, monkeypatch, query, key, with_token
):
    await define(gql, "grant.p5", 5, memberReportable=False)
    await define(gql, "grant.p20", 20, memberReportable=False)
    for who, times in (("ada", 3), ("bob", 1)):
        for n in range(times):
            await earn(gql, who, "grant.p5", f"{who}{n}")
    await drain()
    profile = await gql(
        "mutation($input: UpdateProfileInput!) "
        "{ updateProfile(input: $input) { errors { code } } }",
        {"input": {"displayName": "Ada « Lovelace »", "avatarUrl": "https://img.example/ada.png"}},
        as_=member("ada"),
    )
    assert profile["data"]["updateProfile"]["errors"] == []
    fanout = fanout_of(hub, server.runtime)
    authorization = bearer(settings, "bob") if with_token else None
    async with open_socket() as prerendered, open_socket() as executed:
        for socket in (prerendered, executed):
            assert await socket.init(authorization) == {"type": "connection_ack"}
        await subscribe(prerendered, query=query)
        await following(server, hub, 1)
        monkeypatch.setattr(live, "PRERENDER", False)
        await subscribe(executed, query=query)
        await following(server, hub, 2)
        monkeypatch.setattr(live, "PRERENDER", True)
        rendered = renderings(fanout)

        await earn(gql, "bob", "grant.p20", "bob-lead")
        await drain()  # bob: 25, ada: 15

        first, second = await push(prerendered), await push(executed)
        assert renderings(fanout) - rendered == 1  # the prerendered one; the other executed
        assert first == second
        shown = update(first, key)
        if "top" in shown:
            assert shown["top"][1]["member"]["displayName"] == "Ada « Lovelace »"
        if "me" in shown:
            assert (shown["me"] is None) is not with_token


async def test_a_socket_without_a_token_follows_a_public_board_with_a_null_me(
    open_socket, server, hub, gql
):
    await seed(server, {"ada": 5})
    async with open_socket() as socket:
        assert await socket.init(None) == {"type": "connection_ack"}
        await subscribe(socket)
        await following(server, hub, 1)

        await seed(server, {"bob": 9})
        pushed = update(await push(socket))
        assert pushed["me"] is None
        assert standings(pushed["top"]) == [(1, 9, "bob"), (2, 5, "ada")]
    # The same top over HTTP, without a token (a public page, shared between callers).
    board = await gql(
        '{ leaderboard(board: "points") { entries(first: 3) { edges { node { rank score '
        "member { id } } } } } }"
    )
    nodes = [edge["node"] for edge in board["data"]["leaderboard"]["entries"]["edges"]]
    assert standings(nodes) == standings(pushed["top"])


@pytest.mark.parametrize(
    "query",
    [
        "{ leaderboard { size } }",
        "query { boards { board } }",
        "subscription { memberEvents { id } }",
        'mutation { recordInteraction(input: {action: "a", idempotencyKey: "k"}) { errors '
        "{ code } } }",
    ],
)
async def test_a_socket_without_a_token_may_run_nothing_else(open_socket, hub, query):
    async with open_socket() as socket:
        await socket.init(None)
        await socket.subscribe("1", query)
        refusal = await socket.receive()
        assert (refusal["type"], refusal["id"]) == ("error", "1")
        [error] = refusal["payload"]
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
        assert error["message"] == websocket_access.ANONYMOUS_REFUSED
        await socket.send({"type": "ping"})
        assert await socket.receive() == {"type": "pong"}  # the socket stays open


async def test_a_socket_without_a_token_has_the_limits_of_any_socket(open_socket, server, hub):
    async with open_socket() as socket:
        await socket.init(None)
        await subscribe(socket, board="nope", id="0")  # an unknown board: NOT_FOUND, as ever
        refusal = await socket.receive()
        assert refusal["payload"][0]["extensions"]["code"] == "NOT_FOUND"
        for n in range(1, 6):
            await subscribe(socket, top=n, id=str(n))
        await following(server, hub, 5)
        await subscribe(socket, id="6")
        refusal = await socket.receive()
        assert (refusal["type"], refusal["id"]) == ("error", "6")
        assert refusal["payload"][0]["message"] == "Subscription limit reached"


async def test_every_subscribe_counts_against_the_rate_limits_of_its_ip(
    open_socket, server, settings
):
    from dataclasses import replace

    from api.guards.rate_limits import RateLimiter

    [view] = [route.endpoint.view for route in server.app.routes if route.path == "/graphql"][:1]
    original = view.rate_limiter
    limiter = RateLimiter(
        replace(settings, rate_limit_ip_requests="3/minute"),
        server.runtime.endpoint,
        max_tokens=MAX_TOKENS,
    )
    view.rate_limiter = limiter
    try:
        async with open_socket() as socket:
            await socket.init(None)
            for n in range(1, 4):
                await subscribe(socket, top=n, id=str(n))
            await subscribe(socket, id="4")
            refusal = await socket.receive()
            assert (refusal["type"], refusal["id"]) == ("error", "4")
            [error] = refusal["payload"]
            assert error["extensions"]["code"] == "RATE_LIMITED"
            assert error["message"].startswith("rate limit exceeded (ip requests); retry in ")
    finally:
        view.rate_limiter = original
        await limiter.close()


async def test_a_subscriber_that_takes_nothing_holds_up_nobody_and_keeps_only_the_newest(
    open_socket, server, hub, settings
):
    """The feed never waits for a subscriber: it offers each tick to a one-place mailbox. A
    subscriber whose send does not complete (its client reads nothing) stops taking from its
    mailbox, as the one below never takes; the socket's subscriber gets each push on time."""
    await seed(server, {"ada": 1})
    fanout = fanout_of(hub, server.runtime)
    async with open_socket() as socket:
        await socket.init(bearer(settings, "bob"))
        await subscribe(socket)
        async with fanout.follow("points", ALL_TIME, 3, "cy") as stuck:
            await following(server, hub, 2)
            loop = asyncio.get_running_loop()
            for n in range(1, 4):
                written = loop.time()
                await seed(server, {"ada": 10 * n})
                pushed = update(await push(socket))
                assert standings(pushed["top"]) == [(1, 10 * n, "ada")]
                assert loop.time() - written < 1.5  # paced to a push a second, no slower
            assert stuck.dropped == 2
            newest = await asyncio.wait_for(stuck.next(), 1)
            assert newest is not None and newest.tick.top[0].score == 30
            assert newest.me is None


async def test_the_feed_its_listener_and_its_task_go_with_the_last_subscriber(
    open_socket, server, hub, settings
):
    fanout = fanout_of(hub, server.runtime)
    name = change_channel("points", ALL_TIME, server.runtime.leaderboards.namespace)

    def feed_tasks() -> list[asyncio.Task[Any]]:
        return [t for t in asyncio.all_tasks() if t.get_name().startswith("plaudit-live-")]

    async with open_socket() as first, open_socket() as second:
        await first.init(bearer(settings, "ada"))
        await second.init(None)
        await subscribe(first, id="1")
        await subscribe(first, id="2", query=LIVE.replace("displayName", ""))
        await subscribe(second, id="1")
        await following(server, hub, 3)
        assert len(feed_tasks()) == 1 and hub.listening(name) == 1

        await first.send({"id": "1", "type": "complete"})
        await following(server, hub, 2)
    # Both sockets closed: nothing of the feed is left.

    async def gone() -> bool:
        [(_, subscribed)] = await server.runtime.redis.pubsub_numsub(name)
        return (
            not fanout.feeds
            and not feed_tasks()
            and hub.listening(name) == 0
            and not int(subscribed)
        )

    await eventually(gone)


async def test_a_redis_outage_delays_pushes_and_the_feed_resumes(spare_redis, runtime, caplog):
    spare_redis.start()
    redis = Redis.from_url(spare_redis.url, socket_connect_timeout=1, socket_timeout=2)
    publisher = Redis.from_url(spare_redis.url)
    hub = EventHub(redis)
    store = LeaderboardStore(publisher, namespace="outage")
    # The feed reads through the store it is given: the spare server's, not the test server's.
    fanout = Fanout(hub, SimpleNamespace(leaderboards=store, settings=runtime.settings))  # type: ignore[arg-type]
    name = change_channel("points", ALL_TIME, "outage")

    async def subscribed() -> bool:
        [(_, count)] = await publisher.pubsub_numsub(name)
        return int(count) == 1

    try:
        await store.set_scores([(POINTS, "ada", 5, datetime.now(UTC), None)])
        async with fanout.follow("points", ALL_TIME, 3, "ada") as follower:
            await eventually(subscribed)
            with caplog.at_level(logging.WARNING):
                spare_redis.stop()
                fanout.feeds[("points", ALL_TIME)].poke()  # a tick while Redis is away fails
                await eventually(lambda: _logged(caplog, "redis unavailable"), within=5)
                spare_redis.start()
                await publisher.connection_pool.disconnect()
                await eventually(subscribed, within=10)
            assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

            await store.set_scores([(POINTS, "bob", 9, datetime.now(UTC), None)])
            delivery = await asyncio.wait_for(follower.next(), 5)
            assert delivery is not None
            assert [(row.rank, row.score, row.member_id) for row in delivery.tick.top] == [
                (1, 9, "bob")  # the restarted server kept nothing of before
            ]
    finally:
        await hub.close()
        await redis.aclose()
        await publisher.aclose()


async def _logged(caplog, text: str) -> bool:
    return any(text in record.getMessage() for record in caplog.records)


# --- Which documents are pre-rendered (the others are executed as usual) ---

PRERENDERED = [
    LIVE,
    EVERYTHING,
    ONLY_THE_BOARD,
    'subscription { leaderboardChanged(board: "content", period: WEEKLY) { me { rank } } }',
    "subscription S($t: Int = 4) { leaderboardChanged(top: $t) { top { score } } }",
]
EXECUTED = [
    # fragments, directives, aliases below the root, a field twice, an argument below
    "subscription { leaderboardChanged { ...U } } fragment U on LeaderboardUpdate { board }",
    "subscription { leaderboardChanged { top { ... on LeaderboardEntry { rank } } } }",
    "subscription { leaderboardChanged { board @include(if: true) } }",
    "subscription { leaderboardChanged { b: board } }",
    "subscription { leaderboardChanged { board board } }",
    "subscription { leaderboardChanged { top { rank } top { score } } }",
    # invalid, or another operation
    "subscription { leaderboardChanged { nope } }",
    "subscription { leaderboardChanged(period: HOURLY) { board } }",
    "subscription($x: Int) { leaderboardChanged { board } }",  # an unused variable
    "subscription { memberEvents { id } }",
    "query { leaderboard { board } }",
    "subscription A { leaderboardChanged { board } } subscription B { memberEvents { id } }",
]


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    built: GraphQLSchema = build_schema()._schema
    return built


@pytest.mark.parametrize("query", PRERENDERED)
def test_plain_selections_are_prerendered(schema, query):
    variables = {"board": "points", "period": "DAILY", "top": 3}
    assert Recogniser(schema, MAX_TOKENS).follow(query, variables, None) is not None


@pytest.mark.parametrize("query", EXECUTED)
def test_anything_else_is_executed_as_usual(schema, query):
    assert Recogniser(schema, MAX_TOKENS).follow(query, None, None) is None


def test_variables_that_do_not_coerce_leave_the_document_to_the_usual_execution(schema):
    recogniser = Recogniser(schema, MAX_TOKENS)
    assert recogniser.follow(LIVE, {"board": "points", "period": "ALL_TIME"}, "Live") is not None
    assert recogniser.follow(LIVE, {"board": "points", "period": "HOURLY"}, "Live") is None
    assert recogniser.follow(LIVE, {"period": "ALL_TIME"}, None) is None
    assert recogniser.follow(LIVE, {"board": "points", "period": "ALL_TIME"}, "Other") is None
    assert recogniser.follow(LIVE, ["not", "an", "object"], None) is None
