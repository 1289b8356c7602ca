"""Hostile input over graphql-transport-ws: oversized documents and frames, duplicate ids."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.helpers import PLAUDIT, cli_env, free_port
from tests.websockets import MEMBER_EVENTS, PROTOCOL, Socket, bearer


@pytest.fixture
def open_socket(server) -> Callable[[], contextlib.AbstractAsyncContextManager[Socket]]:
    url = server.url.replace("http://", "ws://") + "/graphql"

    @contextlib.asynccontextmanager
    async def opened() -> AsyncIterator[Socket]:
        async with connect(url, subprotocols=[PROTOCOL], open_timeout=5) as ws:
            yield Socket(ws)

    return opened


def error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.ERROR]


async def test_a_document_over_the_token_limit_is_refused_with_an_error(
    open_socket,
    settings,
    caplog,
):
    query = "subscription { memberEvents { " + "id " * 3000 + "} }"
    async with open_socket() as socket:
        assert (await socket.init(bearer(settings, "ann")))["type"] == "connection_ack"
        await socket.subscribe("1", query)
        message = await socket.receive()
        assert message["type"] == "error"
        assert message["id"] == "1"
        assert "more than 2000 tokens" in message["payload"][0]["message"]
        assert message["payload"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert error_records(caplog) == []


async def test_a_frame_over_the_body_limit_closes_the_socket_with_4413(open_socket, settings):
    async with open_socket() as socket:
        assert (await socket.init(bearer(settings, "ann")))["type"] == "connection_ack"
        padding = "x" * (settings.max_body_bytes + 1)
        await socket.send(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {
                    "query": MEMBER_EVENTS,
                    "operationName": None,
                    "extensions": {"pad": padding},
                },
            }
        )
        code, reason = await socket.closed()
        assert code == 4413
        assert str(settings.max_body_bytes) in reason


async def test_a_duplicate_operation_id_closes_the_socket_with_4409(open_socket, settings):
    async with open_socket() as socket:
        assert (await socket.init(bearer(settings, "ann")))["type"] == "connection_ack"
        await socket.subscribe("1")
        await socket.subscribe("1")
        code, _ = await socket.closed()
        assert code == 4409


async def test_the_server_shuts_down_promptly_on_sigterm_after_a_duplicate_id(settings):
    """A real `plaudit serve`, one socket with a subscription open and one closed with 4409:
    SIGTERM ends the process within seconds (the subscriptions are cancelled, not awaited)."""
    port = free_port()
    env = cli_env(settings, PLAUDIT_LOG_LEVEL="INFO", PLAUDIT_PORT=str(port))
    process = await asyncio.create_subprocess_exec(
        PLAUDIT, "serve", env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    url = f"ws://127.0.0.1:{port}/graphql"
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            for _ in range(300):  # polling for the port to open, not waiting on behaviour
                try:
                    await http.get(f"http://127.0.0.1:{port}/healthz")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
        async with (
            connect(url, subprotocols=[PROTOCOL], open_timeout=5) as open_ws,
            connect(url, subprotocols=[PROTOCOL], open_timeout=5) as duplicate_ws,
        ):
            kept, duplicated = Socket(open_ws), Socket(duplicate_ws)
            for socket in (kept, duplicated):
                assert (await socket.init(bearer(settings, "ann")))["type"] == "connection_ack"
            await kept.subscribe("1")
            await duplicated.subscribe("1")
            await duplicated.subscribe("1")
            assert (await duplicated.closed())[0] == 4409
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=5)
            assert (await kept.closed())[0] == 1012  # service restart: the client may reconnect
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    # uvicorn re-raises the SIGTERM it handled once it has shut down cleanly
    assert process.returncode in (0, -signal.SIGTERM), stderr.decode()
    assert b"Finished server process" in stderr
