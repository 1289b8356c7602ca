"""A web front-end on another origin: CORS for HTTP, the Origin check on WebSockets.

The test server allows `FRONTEND_ORIGIN` (tests/conftest.py) and no other.
"""

from __future__ import annotations

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.api.cli.test_cli import plaudit
from tests.conftest import FRONTEND_ORIGIN, token

PREFLIGHT = {
    "origin": FRONTEND_ORIGIN,
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization, content-type",
}


async def test_a_preflight_from_an_allowed_origin_is_answered(client):
    response = await client.options("/graphql", headers=PREFLIGHT)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == FRONTEND_ORIGIN
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed_headers
    assert "content-type" in allowed_headers


async def test_a_preflight_from_another_origin_is_refused(client):
    response = await client.options(
        "/graphql", headers=PREFLIGHT | {"origin": "https://evil.example"}
    )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


async def test_a_cross_origin_post_gets_its_answer_with_cors_headers(client, settings):
    response = await client.post(
        "/graphql",
        json={"query": "{ me { id } }"},
        headers={
            "origin": FRONTEND_ORIGIN,
            "authorization": f"Bearer {token(settings, 'ada')}",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == FRONTEND_ORIGIN
    assert response.json()["data"]["me"] == {"id": "ada"}


async def test_a_post_from_another_origin_carries_no_cors_headers(client):
    response = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in response.headers


async def test_credentials_are_not_allowed_unless_configured(client):
    response = await client.options("/graphql", headers=PREFLIGHT)
    assert "access-control-allow-credentials" not in response.headers


def _ws_url(server) -> str:
    return server.url.replace("http://", "ws://") + "/graphql"


async def test_a_websocket_from_an_allowed_origin_is_accepted(server):
    async with connect(
        _ws_url(server), subprotocols=["graphql-transport-ws"], origin=FRONTEND_ORIGIN
    ) as ws:
        assert ws.subprotocol == "graphql-transport-ws"


async def test_a_websocket_without_an_origin_is_accepted(server):
    """Servers and mobile apps send no Origin; only browsers do, and CORS is about browsers."""
    async with connect(_ws_url(server), subprotocols=["graphql-transport-ws"]) as ws:
        assert ws.subprotocol == "graphql-transport-ws"


async def test_a_websocket_from_another_origin_is_refused_at_the_handshake(server):
    with pytest.raises(InvalidStatus) as refused:
        async with connect(
            _ws_url(server), subprotocols=["graphql-transport-ws"], origin="https://evil.example"
        ):
            pass
    assert refused.value.response.status_code == 403


def test_any_origin_with_credentials_is_refused_at_startup(tmp_path):
    result = plaudit(
        "schema",
        PLAUDIT_DATA_DIR=str(tmp_path),
        PLAUDIT_CORS_ORIGINS="*",
        PLAUDIT_CORS_ALLOW_CREDENTIALS="true",
    )
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("plaudit: invalid configuration: PLAUDIT_CORS_ORIGINS:")
    assert "credentials" in line.lower()


def test_an_origin_that_is_not_a_url_is_refused_at_startup(tmp_path):
    result = plaudit("schema", PLAUDIT_DATA_DIR=str(tmp_path), PLAUDIT_CORS_ORIGINS="app.example")
    assert result.returncode == 2
    assert "PLAUDIT_CORS_ORIGINS" in result.stderr
