"""Members' events: the live `memberEvents` subscription over a real WebSocket
(graphql-transport-ws), `Member.events`, the sweep that publishes lost events, and the hub."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import connect

from api.events.hub import EventHub
from api.guards import websocket_access
from domain.infra.db import transaction
from domain.members import events, members
from domain.members.events import EventKind
from domain.models import MemberEvent
from tests.conftest import ADMIN, member
from tests.helpers import codes, define, record
from tests.websockets import PROTOCOL, Socket, bearer, eventually
from workers import tasks

EVENTS_PAGE = """
query Events($first: Int, $after: String) {
  me {
    events(first: $first, after: $after) {
      edges { cursor node { id kind occurredAt message points subject } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""


async def subscribers(redis: Redis, member_id: str) -> int:
    """How many Redis connections subscribe to the member's channel (the hub's, at most one)."""
    [(_, count)] = await redis.pubsub_numsub(events.channel(member_id))
    return int(count)


async def subscribed(server, hub: EventHub, member_id: str, listeners: int = 1) -> None:
    """Wait until this process listens for the member's events, locally and on Redis."""

    async def ready() -> bool:
        return (
            hub.listening(events.channel(member_id)) == listeners
            and await subscribers(server.runtime.redis, member_id) == 1
        )

    await eventually(ready)


async def emit(member_id: str, kind: EventKind = EventKind.BADGE_EARNED, **extra: Any):
    await members.enrol(member_id)
    extra.setdefault("message", "You earned the Reviewer badge")
    async with transaction() as connection:
        return await events.record(connection, member_id, kind, **extra)


# --- The connection: graphql-transport-ws only, authenticated by connection_init ---


async def test_a_valid_member_token_in_connection_init_is_acknowledged(open_socket, settings):
    async with open_socket() as socket:
        assert await socket.init(bearer(settings, "alice")) == {"type": "connection_ack"}
        await socket.send({"type": "ping"})
        assert await socket.receive() == {"type": "pong"}


@pytest.mark.parametrize(
    ("authorization", "reason"),
    [
        ("Bearer not-a-jwt", "the token is not valid"),
        ("Basic YWxpY2U6c2VjcmV0", websocket_access.NOT_BEARER),
        ("Bearer", websocket_access.NOT_BEARER),
        (42, websocket_access.NOT_BEARER),
    ],
)
async def test_a_bad_token_closes_the_socket_with_4403_saying_why(
    open_socket, authorization, reason, caplog
):
    caplog.set_level(logging.INFO, logger="plaudit.websocket")
    message: dict[str, Any] = {"type": "connection_init"}
    if authorization is not None:
        message["payload"] = {"authorization": authorization}
    async with open_socket() as socket:
        await socket.send(message)
        assert await socket.closed() == (4403, reason)
    [refusal] = [r for r in caplog.records if r.name == "plaudit.websocket"]
    assert refusal.levelno == logging.INFO
    assert refusal.getMessage() == f"websocket refused: {reason}"


async def test_a_token_without_bearer_closes_the_socket_saying_so(open_socket, settings):
    """The commonest slip: the bare JWT, as it comes out of `plaudit token`."""
    async with open_socket() as socket:
        bare = bearer(settings, "alice").removeprefix("Bearer ")
        await socket.send({"type": "connection_init", "payload": {"authorization": bare}})
        assert await socket.closed() == (4403, websocket_access.NOT_BEARER)


async def test_an_expired_token_closes_the_socket_with_4403(open_socket, settings):
    from api.auth import Role, mint_token

    expired = mint_token(settings, "alice", Role.MEMBER, timedelta(minutes=-5))
    async with open_socket() as socket:
        await socket.send(
            {"type": "connection_init", "payload": {"authorization": f"Bearer {expired}"}}
        )
        assert await socket.closed() == (4403, "the token has expired")


@pytest.mark.parametrize("payload", [None, {}, {"authorization": ""}])
async def test_without_a_token_the_socket_is_anonymous_and_member_events_say_how_to_send_one(
    open_socket, payload
):
    """An anonymous socket may follow boards (tests/api/leaderboards/test_leaderboard_fanout.py),
    nothing else."""
    message: dict[str, Any] = {"type": "connection_init"}
    if payload is not None:
        message["payload"] = payload
    async with open_socket() as socket:
        await socket.send(message)
        assert await socket.receive() == {"type": "connection_ack"}
        await socket.subscribe()
        refusal = await socket.receive()
        assert (refusal["type"], refusal["id"]) == ("error", "1")
        [error] = refusal["payload"]
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
        assert error["message"] == websocket_access.ANONYMOUS_REFUSED


async def test_a_token_in_the_handshake_headers_is_not_enough(server, settings):
    url = server.url.replace("http://", "ws://") + "/graphql"
    headers = {"authorization": bearer(settings, "alice")}
    async with connect(
        url,
        subprotocols=[PROTOCOL],
        additional_headers=headers,
    ) as ws:
        socket = Socket(ws)
        await socket.send({"type": "connection_init", "payload": {}})
        assert await socket.receive() == {"type": "connection_ack"}  # anonymous
        await socket.subscribe()
        refusal = await socket.receive()
        assert refusal["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_subscribing_before_the_ack_closes_the_socket_with_4401(open_socket):
    async with open_socket() as socket:
        await socket.subscribe()
        assert await socket.closed() == (4401, "Unauthorized")


async def test_only_graphql_transport_ws_is_spoken(server, settings):
    url = server.url.replace("http://", "ws://") + "/graphql"
    async with connect(url, subprotocols=["graphql-ws"]) as ws:
        assert ws.subprotocol is None
        assert await Socket(ws).closed() == (4406, "Subprotocol not acceptable")


# --- memberEvents ---


async def test_a_member_receives_their_own_events_live_and_nobody_elses(
    open_socket, server, hub, settings
):
    async with open_socket() as alice, open_socket() as bob:
        await alice.init(bearer(settings, "alice"))
        await bob.init(bearer(settings, "bob"))
        await alice.subscribe("a")
        await bob.subscribe("b")
        await subscribed(server, hub, "alice")
        await subscribed(server, hub, "bob")

        await emit("bob", EventKind.TIER_CHANGED, message="You reached Gold", subject="gold")
        when = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
        event = await emit(
            "alice", points=25, subject="reviewer", message="You earned the Reviewer badge",
            occurred_at=when,
        )  # fmt: skip

        received = await alice.receive(within=1.0)
        assert received == {
            "id": "a",
            "type": "next",
            "payload": {
                "data": {
                    "memberEvents": {
                        "id": str(event.id),
                        "kind": "BADGE_EARNED",
                        "occurredAt": when.isoformat(),
                        "message": "You earned the Reviewer badge",
                        "points": 25,
                        "subject": "reviewer",
                    }
                }
            },
        }
        await alice.nothing_more()  # bob's event never reaches alice

        bobs = await bob.receive(within=1.0)
        assert bobs["payload"]["data"]["memberEvents"]["kind"] == "TIER_CHANGED"
        assert bobs["payload"]["data"]["memberEvents"]["subject"] == "gold"
        assert bobs["payload"]["data"]["memberEvents"]["points"] is None
        await bob.nothing_more()

    assert await MemberEvent.filter(published=False).count() == 0


async def test_every_open_subscription_of_a_member_gets_the_event_over_one_redis_channel(
    open_socket, server, hub, settings
):
    async with open_socket() as phone, open_socket() as tablet:
        for socket in (phone, tablet):
            await socket.init(bearer(settings, "alice"))
        await phone.subscribe("1")
        await phone.subscribe("2")
        await tablet.subscribe("1")
        await subscribed(server, hub, "alice", listeners=3)  # three listeners, one Redis sub

        event = await emit("alice", EventKind.STREAK_EXTENDED, message="7 days in a row")
        got = [await phone.receive(), await phone.receive(), await tablet.receive()]
        assert sorted(message["id"] for message in got) == ["1", "1", "2"]
        for message in got:
            assert message["payload"]["data"]["memberEvents"]["id"] == str(event.id)


async def test_the_hub_unsubscribes_when_the_last_local_listener_leaves(
    open_socket, server, hub, settings
):
    async with open_socket() as socket:
        await socket.init(bearer(settings, "alice"))
        await socket.subscribe("1")
        await socket.subscribe("2")
        await subscribed(server, hub, "alice", listeners=2)

        await socket.send({"id": "1", "type": "complete"})
        await subscribed(server, hub, "alice", listeners=1)
        event = await emit("alice")
        message = await socket.receive()
        assert message["id"] == "2"
        assert message["payload"]["data"]["memberEvents"]["id"] == str(event.id)
        await socket.nothing_more()

        await socket.send({"id": "2", "type": "complete"})

        async def gone() -> bool:
            return (
                hub.listening(events.channel("alice")) == 0
                and await subscribers(server.runtime.redis, "alice") == 0
            )

        await eventually(gone)
        await emit("alice")
        await socket.nothing_more()

        # Subscribing again works, and so does closing the socket with one open.
        await socket.subscribe("3")
        await subscribed(server, hub, "alice")

    async def closed() -> bool:
        return (
            hub.listening(events.channel("alice")) == 0
            and await subscribers(server.runtime.redis, "alice") == 0
        )

    await eventually(closed)


@pytest.mark.parametrize("role", ["admin", "service"])
async def test_other_roles_connect_but_may_not_subscribe_to_member_events(
    open_socket, settings, hub, role
):
    async with open_socket() as socket:
        assert await socket.init(bearer(settings, "root", role)) == {"type": "connection_ack"}
        await socket.subscribe()
        message = await socket.receive()
        assert message["type"] == "error"
        assert message["id"] == "1"
        [error] = message["payload"]
        assert error["extensions"]["code"] == "FORBIDDEN"
        assert hub.listening(events.channel("root")) == 0
        # The socket stays usable: the id is free again once the error is sent.
        await socket.send({"type": "ping"})
        assert await socket.receive() == {"type": "pong"}


async def test_the_query_limits_apply_to_subscriptions_too(open_socket, hub, settings):
    aliases = " ".join(f"a{n}: memberEvents {{ id }}" for n in range(20))
    async with open_socket() as socket:
        await socket.init(bearer(settings, "alice"))
        await socket.subscribe("1", f"subscription {{ {aliases} }}")
        message = await socket.receive()
        assert message["type"] == "error" and message["id"] == "1"
        assert "aliases" in message["payload"][0]["message"].lower()
        assert hub.listening(events.channel("alice")) == 0


async def test_a_socket_holds_at_most_five_operations(open_socket, server, hub, settings):
    async with open_socket() as socket:
        await socket.init(bearer(settings, "alice"))
        for n in range(1, 6):
            await socket.subscribe(str(n))
        await subscribed(server, hub, "alice", listeners=5)

        await socket.subscribe("6")
        message = await socket.receive()
        assert message["type"] == "error" and message["id"] == "6"
        assert message["payload"][0]["message"] == "Subscription limit reached"
        assert hub.listening(events.channel("alice")) == 5

        await socket.send({"id": "5", "type": "complete"})
        await subscribed(server, hub, "alice", listeners=4)
        await socket.subscribe("6")
        await subscribed(server, hub, "alice", listeners=5)

        await emit("alice")
        got = sorted([(await socket.receive())["id"] for _ in range(5)])
        assert got == ["1", "2", "3", "4", "6"]


async def test_queries_over_the_socket_use_its_token_and_fresh_loaders_each_time(
    open_socket, gql, settings
):
    """The socket's context outlives any one operation: DataLoaders are rebuilt per operation,
    or the second query would be answered from the first one's cache."""
    mine = "query { me { redemptions { edges { node { cost } } } } }"
    async with open_socket() as socket:
        await socket.init(bearer(settings, "alice"))
        await socket.subscribe("q1", mine)
        first = await socket.receive()
        assert first["payload"]["data"]["me"]["redemptions"]["edges"] == []
        assert await socket.receive() == {"id": "q1", "type": "complete"}

        adjust = """mutation A($input: AdjustPointsInput!) { adjustPoints(input: $input) {
                      errors { code } } }"""
        credit = {"memberId": "alice", "amount": 100, "reason": "goodwill", "idempotencyKey": "g"}
        body = await gql(adjust, {"input": credit}, as_=ADMIN)
        assert body["data"]["adjustPoints"]["errors"] == [], body
        body = await gql(
            """mutation { upsertReward(input: {key: "mug", name: "Mug", cost: 100}) {
                 errors { code } } }""",
            as_=ADMIN,
        )
        assert body["data"]["upsertReward"]["errors"] == [], body
        body = await gql(
            """mutation { redeemReward(input: {rewardKey: "mug", idempotencyKey: "r1"}) {
                 errors { code } } }""",
            as_=member("alice"),
        )
        assert body["data"]["redeemReward"]["errors"] == [], body

        await socket.subscribe("q2", mine)
        second = await socket.receive()
        assert second["payload"]["data"]["me"]["redemptions"]["edges"] == [{"node": {"cost": 100}}]
        assert await socket.receive() == {"id": "q2", "type": "complete"}


# --- Member.events ---


async def test_member_events_are_newest_first_with_keyset_cursors(gql):
    created = [
        await emit("alice", EventKind.POINTS_CREDITED, message=f"You earned {n} points", points=n)
        for n in range(1, 6)
    ]
    await emit("bob", message="not alice's")
    newest_first = [str(event.id) for event in reversed(created)]

    page = (await gql(EVENTS_PAGE, {"first": 2}, as_=member("alice")))["data"]["me"]["events"]
    assert [edge["node"]["id"] for edge in page["edges"]] == newest_first[:2]
    assert page["edges"][0]["node"] == {
        "id": newest_first[0],
        "kind": "POINTS_CREDITED",
        "occurredAt": page["edges"][0]["node"]["occurredAt"],
        "message": "You earned 5 points",
        "points": 5,
        "subject": None,
    }
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["pageInfo"]["hasPreviousPage"] is False
    assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
    assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]

    seen = [edge["node"]["id"] for edge in page["edges"]]
    after = page["pageInfo"]["endCursor"]
    # A new event while paging does not shift the pages already keyed.
    await emit("alice", message="newer")
    while True:
        body = await gql(EVENTS_PAGE, {"first": 2, "after": after}, as_=member("alice"))
        page = body["data"]["me"]["events"]
        assert page["pageInfo"]["hasPreviousPage"] is True
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == newest_first

    body = await gql(EVENTS_PAGE, {"after": "bm90LWEtY3Vyc29y"}, as_=member("alice"))
    assert codes(body) == ["INVALID_CURSOR"]


async def test_admins_see_a_members_events(gql):
    await emit("alice", EventKind.CHALLENGE_COMPLETED, message="Done!", subject="spring")
    body = await gql(
        'query { member(id: "alice") { events { edges { node { kind subject } } } } }', as_=ADMIN
    )
    assert body["data"]["member"]["events"]["edges"] == [
        {"node": {"kind": "CHALLENGE_COMPLETED", "subject": "spring"}}
    ]


# --- Lost publishes: the sweep ---


async def test_an_event_whose_publish_was_lost_is_published_by_the_sweep(
    open_socket, server, hub, settings, monkeypatch
):
    async with open_socket() as socket:
        await socket.init(bearer(settings, "alice"))
        await socket.subscribe()
        await subscribed(server, hub, "alice")

        # No publisher (a crash or a Redis outage at commit): the row waits, unpublished.
        monkeypatch.setattr(events.publisher, "redis", None)
        lost = await emit("alice", message="lost at commit")
        monkeypatch.undo()
        await socket.nothing_more()
        assert (await MemberEvent.get(id=lost.id)).published is False

        # The worker's sweep leaves it alone until it is overdue...
        await MemberEvent.filter(id=lost.id).update(occurred_at=datetime.now(UTC))
        assert await tasks.sweep_pending({"runtime": server.runtime}) == 0
        await socket.nothing_more()

        # ...then publishes it, once.
        overdue = datetime.now(UTC) - timedelta(minutes=1)
        await MemberEvent.filter(id=lost.id).update(occurred_at=overdue)
        assert await tasks.sweep_pending({"runtime": server.runtime}) == 1
        message = await socket.receive(within=1.0)
        assert message["payload"]["data"]["memberEvents"]["id"] == str(lost.id)
        assert message["payload"]["data"]["memberEvents"]["message"] == "lost at commit"
        assert (await MemberEvent.get(id=lost.id)).published is True
        assert await events.publish_pending(server.runtime.redis, timedelta(0)) == 0
        await socket.nothing_more()


# --- The real path: an awarded interaction credits points, and the member sees it live ---


async def test_an_awarded_interaction_reaches_the_member_live_as_points_credited(
    open_socket, server, hub, gql, drain, settings
):
    await define(gql, "app.daily_open", points=10)
    async with open_socket() as socket:
        await socket.init(bearer(settings, "alice"))
        await socket.subscribe()
        await subscribed(server, hub, "alice")

        await record(gql, member("alice"), "app.daily_open", key="open-1")
        await drain()

        message = await socket.receive(within=2.0)
        event = message["payload"]["data"]["memberEvents"]
        assert event["kind"] == "POINTS_CREDITED"
        assert event["points"] == 10
        assert "10 points" in event["message"]

    body = await gql(EVENTS_PAGE, {"first": 5}, as_=member("alice"))
    kinds = [edge["node"]["kind"] for edge in body["data"]["me"]["events"]["edges"]]
    assert "POINTS_CREDITED" in kinds


async def test_an_interaction_that_earns_a_badge_reaches_the_member_as_badge_earned(
    open_socket, server, hub, gql, drain, settings
):
    from domain.goals.badges import upsert_badge
    from gamification.badges import BadgeDefinition
    from gamification.goals import Goal, Metric

    await define(gql, "app.daily_open", points=10)
    goals = (Goal(Metric.ACTION_COUNT, "app.daily_open", 1),)
    await upsert_badge("root", BadgeDefinition("opener", "Opener", "", None, False, goals, 0))
    async with open_socket() as socket:
        await socket.init(bearer(settings, "alice"))
        await socket.subscribe()
        await subscribed(server, hub, "alice")

        await record(gql, member("alice"), "app.daily_open", key="open-1")
        await drain()

        # The transaction's events arrive in the order they were written, within a second.
        kinds = [
            (await socket.receive(within=1.0))["payload"]["data"]["memberEvents"] for _ in range(2)
        ]
        assert [(e["kind"], e["subject"]) for e in kinds] == [
            ("POINTS_CREDITED", None),
            ("BADGE_EARNED", "opener"),
        ]
        assert kinds[1]["message"] == "You earned the Opener badge"


# --- The hub on its own: a Redis outage, a slow listener ---


async def test_the_hub_reconnects_and_resubscribes_after_a_redis_outage(spare_redis, caplog):
    spare_redis.start()
    redis = Redis.from_url(spare_redis.url, socket_connect_timeout=1, socket_timeout=2)
    publisher = Redis.from_url(spare_redis.url)
    hub = EventHub(redis)
    try:
        async with hub.listen(events.channel("alice")) as queue:
            await eventually(lambda: _numsub_is(publisher, "alice", 1))
            await publisher.publish(events.channel("alice"), json.dumps({"id": 1}))
            assert await asyncio.wait_for(queue.get(), 1) == {"id": 1}

            with caplog.at_level(logging.WARNING, logger="plaudit.events.hub"):
                spare_redis.stop()
                await asyncio.sleep(0.5)
                spare_redis.start()
                await publisher.connection_pool.disconnect()
                await eventually(lambda: _numsub_is(publisher, "alice", 1), within=10)
            assert any("reconnecting" in record.message for record in caplog.records)

            await publisher.publish(events.channel("alice"), json.dumps({"id": 2}))
            assert await asyncio.wait_for(queue.get(), 1) == {"id": 2}
        await eventually(lambda: _numsub_is(publisher, "alice", 0))
    finally:
        await hub.close()
        await redis.aclose()
        await publisher.aclose()


async def test_a_slow_listener_loses_its_oldest_events_not_the_newest(spare_redis, caplog):
    spare_redis.start()
    redis = Redis.from_url(spare_redis.url)
    hub = EventHub(redis, queue_size=3)
    try:
        async with (
            hub.listen(events.channel("alice")) as slow,
            hub.listen(events.channel("alice")) as other,
        ):
            await eventually(lambda: _numsub_is(redis, "alice", 1))
            with caplog.at_level(logging.WARNING, logger="plaudit.events.hub"):
                for n in range(1, 6):
                    await redis.publish(events.channel("alice"), json.dumps({"id": n}))

                async def dropped_twice_each() -> bool:
                    lost = [r for r in caplog.records if "lost its oldest event" in r.message]
                    return len(lost) == 4

                await eventually(dropped_twice_each)
            for queue in (slow, other):
                assert [queue.get_nowait() for _ in range(3)] == [{"id": 3}, {"id": 4}, {"id": 5}]
                assert queue.empty()
    finally:
        await hub.close()
        await redis.aclose()


async def test_closing_the_hub_ends_its_listeners_streams(spare_redis):
    spare_redis.start()
    redis = Redis.from_url(spare_redis.url)
    hub = EventHub(redis)
    try:
        async with hub.listen(events.channel("alice")) as queue:
            await eventually(lambda: _numsub_is(redis, "alice", 1))
            await hub.close()
            assert await asyncio.wait_for(queue.get(), 1) is None
        with pytest.raises(RuntimeError):
            async with hub.listen(events.channel("alice")):
                pass
    finally:
        await hub.close()
        await redis.aclose()


async def _numsub_is(redis: Redis, member_id: str, count: int) -> bool:
    try:
        return await subscribers(redis, member_id) == count
    except OSError:
        return False
    except Exception as exc:  # redis-py's ConnectionError while the server restarts
        if "connect" in str(exc).lower() or "closed" in str(exc).lower():
            return False
        raise
