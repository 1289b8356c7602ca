"""A graphql-transport-ws client for the tests, message by message, and waiting helpers."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.conftest import token

PROTOCOL = "graphql-transport-ws"
MEMBER_EVENTS = "subscription { memberEvents { id kind occurredAt message points subject } }"


class Socket:
    """A graphql-transport-ws client, message by message."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    async def receive(self, within: float = 2.0) -> dict[str, Any]:
        while True:
            message: dict[str, Any] = json.loads(await asyncio.wait_for(self.ws.recv(), within))
            if message["type"] != "ping":
                return message
            await self.send({"type": "pong"})

    async def init(self, authorization: str | None) -> dict[str, Any]:
        payload = {} if authorization is None else {"authorization": authorization}
        await self.send({"type": "connection_init", "payload": payload})
        return await self.receive()

    async def subscribe(self, id: str = "1", query: str = MEMBER_EVENTS) -> None:
        await self.send({"id": id, "type": "subscribe", "payload": {"query": query}})

    async def closed(self, within: float = 2.0) -> tuple[int, str]:
        """Wait for the server to close the socket; its close code and reason."""
        with contextlib.suppress(ConnectionClosed):
            while True:
                await asyncio.wait_for(self.ws.recv(), within)
        assert self.ws.close_code is not None
        return self.ws.close_code, self.ws.close_reason or ""

    async def nothing_more(self, wait: float = 0.3) -> None:
        with pytest.raises(TimeoutError):
            message = await self.receive(within=wait)
            pytest.fail(f"unexpected message {message}")


def socket_opener(url: str) -> Callable[[], contextlib.AbstractAsyncContextManager[Socket]]:
    """`async with opener() as socket`: a fresh graphql-transport-ws connection to `url`."""
    ws_url = url.replace("http://", "ws://") + "/graphql"

    @contextlib.asynccontextmanager
    async def opened() -> AsyncIterator[Socket]:
        async with connect(ws_url, subprotocols=[PROTOCOL], open_timeout=5) as ws:
            assert ws.subprotocol == PROTOCOL
            yield Socket(ws)

    return opened


def bearer(settings, subject: str, role: str = "member") -> str:
    return f"Bearer {token(settings, subject, role)}"


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)
