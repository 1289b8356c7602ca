"""`Subscription.leaderboardChanged` through a real websocket: pushed when the top or the
viewer's entry changes, at most once a second, a burst coalesced into its final standings."""

from __future__ import annotations

import asyncio
from typing import Any

from gamification.leaderboards import BoardPeriod, change_channel
from tests.conftest import SERVICE
from tests.helpers import RECORD, define
from tests.websockets import Socket, bearer, eventually

LIVE = """
subscription Live($board: String!, $period: LeaderboardPeriod!, $top: Int) {
  leaderboardChanged(board: $board, period: $period, top: $top) {
    board period
    top { rank score member { id } }
    me { rank score member { id } }
  }
}
"""

BOARD = """
query Board($period: LeaderboardPeriod!) {
  leaderboard(period: $period) { entries(first: 3) { edges { node { rank score member { id } } } } }
}
"""


async def subscribe(socket: Socket, top: int = 3, period: str = "ALL_TIME", board="points"):
    variables = {"board": board, "period": period, "top": top}
    await socket.send(
        {"id": "1", "type": "subscribe", "payload": {"query": LIVE, "variables": variables}}
    )


async def listening(server, hub, period: BoardPeriod = BoardPeriod.ALL_TIME) -> None:
    """Wait until the server's hub listens on the board's channel, locally and on Redis."""
    name = change_channel("points", period, server.runtime.leaderboards.namespace)

    async def ready() -> bool:
        [(_, count)] = await server.runtime.redis.pubsub_numsub(name)
        return hub.listening(name) == 1 and int(count) == 1

    await eventually(ready)


async def earn(gql, who: str, key: str) -> None:
    body = await gql(
        RECORD,
        {"input": {"action": "grant.p5", "idempotencyKey": key, "memberId": who}},
        as_=SERVICE,
    )
    assert body["data"]["recordInteraction"]["errors"] == []


async def updates(socket: Socket, quiet: float = 1.6) -> list[tuple[float, dict[str, Any]]]:
    """Every push until none comes for `quiet` seconds, with when it arrived."""
    received = []
    loop = asyncio.get_running_loop()
    while True:
        try:
            message = await socket.receive(within=quiet)
        except TimeoutError:
            return received
        assert message["type"] == "next", message
        received.append((loop.time(), message["payload"]["data"]["leaderboardChanged"]))


def standings(entries: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    return [(e["rank"], e["score"], e["member"]["id"]) for e in entries]


async def test_a_burst_of_30_credits_gives_one_or_two_pushes_the_last_final(
    open_socket, server, hub, gql, drain, settings
):
    await define(gql, "grant.p5", 5, memberReportable=False)
    async with open_socket() as socket:
        await socket.init(bearer(settings, "ada"))
        await subscribe(socket)
        await listening(server, hub)
        for n in range(30):
            await earn(gql, ["ada", "bob", "cy", "dee", "eve"][n % 5] if n < 25 else "bob", f"k{n}")
        await drain()

        pushed = await updates(socket)
        assert 1 <= len(pushed) <= 2
        if len(pushed) == 2:
            assert pushed[1][0] - pushed[0][0] >= 0.9  # at most one a second
        final = pushed[-1][1]
        assert final["board"] == "points" and final["period"] == "ALL_TIME"
        board = (await gql(BOARD, {"period": "ALL_TIME"}))["data"]["leaderboard"]
        expected = [edge["node"] for edge in board["entries"]["edges"]]
        assert standings(final["top"]) == standings(expected)
        assert standings(final["top"])[0] == (1, 50, "bob")
        assert final["me"]["member"]["id"] == "ada" and final["me"]["score"] == 25


async def test_pushes_are_a_second_apart_and_carry_the_latest_standings(
    open_socket, server, hub, gql, drain, settings
):
    await define(gql, "grant.p5", 5, memberReportable=False)
    async with open_socket() as socket:
        await socket.init(bearer(settings, "ada"))
        await subscribe(socket, period="WEEKLY")
        await listening(server, hub, BoardPeriod.WEEKLY)
        await earn(gql, "ada", "first")
        await drain()
        first_at, first = (await updates(socket, quiet=0.8))[0]
        assert standings(first["top"]) == [(1, 5, "ada")]

        await earn(gql, "bob", "b1")
        await earn(gql, "bob", "b2")
        await drain()
        [(second_at, second)] = await updates(socket)
        assert second_at - first_at >= 0.9
        assert standings(second["top"]) == [(1, 10, "bob"), (2, 5, "ada")]
        assert (second["me"]["rank"], second["period"]) == (2, "WEEKLY")


async def test_a_change_below_the_top_that_leaves_the_viewer_alone_is_not_pushed(
    open_socket, server, hub, gql, drain, settings
):
    await define(gql, "grant.p5", 5, memberReportable=False)
    for who, key in (("ada", "a1"), ("ada", "a2"), ("bob", "b1")):
        await earn(gql, who, key)
    await drain()
    async with open_socket() as socket:
        await socket.init(bearer(settings, "zed"))  # no score: `me` is null
        await subscribe(socket, top=1)
        await listening(server, hub)
        await earn(gql, "cy", "c1")  # third place: outside the top 1
        await drain()
        assert await updates(socket, quiet=1.2) == []

        await earn(gql, "zed", "z1")
        await drain()
        [(_, pushed)] = await updates(socket, quiet=1.2)
        assert standings(pushed["top"]) == [(1, 10, "ada")]
        assert (pushed["me"]["member"]["id"], pushed["me"]["score"]) == ("zed", 5)


async def test_a_viewer_without_a_score_gets_a_null_me(
    open_socket, server, hub, gql, drain, settings
):
    await define(gql, "grant.p5", 5, memberReportable=False)
    async with open_socket() as socket:
        await socket.init(bearer(settings, "root", "admin"))
        await subscribe(socket)
        await listening(server, hub)
        await earn(gql, "ada", "a1")
        await drain()
        [(_, pushed)] = await updates(socket, quiet=1.2)
        assert pushed["me"] is None and standings(pushed["top"]) == [(1, 5, "ada")]


async def test_an_unknown_board_or_a_period_it_lacks_is_refused_before_the_stream(
    open_socket, server, hub, settings
):
    async with open_socket() as socket:
        await socket.init(bearer(settings, "ada"))
        await subscribe(socket, board="nope")
        message = await socket.receive()
        assert message["type"] == "error" and message["id"] == "1"
        assert message["payload"][0]["extensions"]["code"] == "NOT_FOUND"
        await socket.send(
            {
                "id": "2",
                "type": "subscribe",
                "payload": {
                    "query": LIVE,
                    "variables": {"board": "points", "period": "HOURLY", "top": 3},
                },
            }
        )
        message = await socket.receive()
        assert message["type"] == "error" and message["id"] == "2"
        name = change_channel("nope", BoardPeriod.ALL_TIME, server.runtime.leaderboards.namespace)
        assert hub.listening(name) == 0


async def test_a_socket_holds_at_most_five_operations_of_either_kind(
    open_socket, server, hub, settings
):
    async with open_socket() as socket:
        await socket.init(bearer(settings, "ada"))
        for n in range(1, 6):
            variables = {"board": "points", "period": "ALL_TIME", "top": n}
            payload = {"query": LIVE, "variables": variables}
            await socket.send({"id": str(n), "type": "subscribe", "payload": payload})
        await socket.subscribe("6")  # memberEvents counts toward the same limit
        message = await socket.receive()
        assert message["type"] == "error" and message["id"] == "6"
        assert message["payload"][0]["message"] == "Subscription limit reached"
