"""Persisted queries over graphql-transport-ws: a `subscribe` may carry Apollo's hash like an
HTTP request; its refusals are the operation's `error` message, and the socket stays open."""

from __future__ import annotations

from tests.api.persisted_queries.conftest import extensions, sha256
from tests.api.persisted_queries.test_safelist import register
from tests.websockets import bearer

TYPENAME = "query Ping { __typename }"


async def subscribe(socket, payload: dict) -> dict:
    await socket.send({"id": "1", "type": "subscribe", "payload": payload})
    return await socket.receive()


def code(message: dict) -> str:
    assert message["type"] == "error", message
    return message["payload"][0]["extensions"]["code"]


async def test_a_hash_the_server_knows_runs_over_a_socket(open_socket, settings, persisted):
    await persisted.registry.put(sha256(TYPENAME), TYPENAME)
    async with open_socket() as socket:
        await socket.init(bearer(settings, "ada"))
        message = await subscribe(socket, {"extensions": extensions(sha256(TYPENAME))})
        assert message == {"id": "1", "type": "next", "payload": {"data": {"__typename": "Query"}}}


async def test_an_unknown_hash_or_a_wrong_one_is_the_operation_s_error(
    open_socket, settings, persisted
):
    async with open_socket() as socket:
        await socket.init(bearer(settings, "ada"))
        unknown = await subscribe(socket, {"extensions": extensions(sha256(TYPENAME))})
        assert code(unknown) == "PERSISTED_QUERY_NOT_FOUND"
        wrong = {"query": TYPENAME, "extensions": extensions(sha256("{ me { id } }"))}
        await socket.send({"id": "2", "type": "subscribe", "payload": wrong})
        assert code(await socket.receive()) == "PERSISTED_QUERY_HASH_MISMATCH"
        ok = await subscribe(socket, {"query": TYPENAME})  # the socket is still open
        assert ok["type"] == "next"


async def test_a_socket_registers_nothing(open_socket, settings, persisted):
    async with open_socket() as socket:
        await socket.init(bearer(settings, "ada"))
        payload = {"query": TYPENAME, "extensions": extensions(sha256(TYPENAME))}
        assert (await subscribe(socket, payload))["type"] == "next"
    assert await persisted.registry.redis.hlen(persisted.registry.documents_key) == 0


async def test_with_only_the_safelist_runs_over_a_socket(open_socket, settings, persisted):
    bodies = await register("query Ping { __typename }")
    persisted.mode = "only"
    persisted.safelist._snapshot = None
    async with open_socket() as socket:
        await socket.init(bearer(settings, "ada"))
        refused = await subscribe(socket, {"query": "query Other { __typename }"})
        assert code(refused) == "PERSISTED_QUERY_NOT_ALLOWED"
        await socket.send(
            {
                "id": "2",
                "type": "subscribe",
                "payload": {"extensions": extensions(sha256(bodies["Ping"]))},
            }
        )
        assert (await socket.receive())["payload"] == {"data": {"__typename": "Query"}}
