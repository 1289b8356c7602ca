"""A web front-end on another origin: CORS for HTTP, the Origin check on WebSockets.

The test server allows `FRONTEND_ORIGIN` (tests/conftest.py) and no other.
"""

from __future__ import annotations

import dataclasses
import logging

import httpx
from websockets.asyncio.client import connect

from api.app import create_app
from api.guards.cors import CORS_OFF, ORIGIN_NOT_LISTED
from tests.api.cli.test_cli import plaudit
from tests.conftest import FRONTEND_ORIGIN, token
from tests.websockets import Socket

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


async def test_a_preflight_from_another_origin_is_refused_naming_the_setting(client):
    response = await client.options(
        "/graphql", headers=PREFLIGHT | {"origin": "https://evil.example"}
    )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
    [error] = response.json()["errors"]
    assert error == {"message": ORIGIN_NOT_LISTED, "extensions": {"code": "BAD_REQUEST"}}
    assert "PLAUDIT_CORS_ORIGINS" in error["message"]


async def test_a_preflight_for_another_method_or_header_says_what_is_allowed(client):
    response = await client.options(
        "/graphql",
        headers=PREFLIGHT
        | {"access-control-request-method": "PUT", "access-control-request-headers": "x-debug"},
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert "takes GET and POST" in error["message"]
    assert "send only Authorization, Content-Type, Accept" in error["message"]
    assert "Disallowed" not in response.text  # not the library's words


async def test_with_cors_off_a_preflight_says_which_setting_turns_it_on(settings):
    """The first thing a web developer meets: their page's preflight, before any setting."""
    app = create_app(dataclasses.replace(settings, cors_origins=()))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://plaudit.test"
    ) as http:
        preflight = await http.options("/graphql", headers=PREFLIGHT)
        health = await http.get("/healthz", headers={"origin": FRONTEND_ORIGIN})

    assert preflight.status_code == 400
    assert preflight.json()["errors"][0]["message"] == CORS_OFF
    assert not any(name.startswith("access-control-") for name in health.headers)


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


async def test_a_websocket_from_another_origin_is_closed_saying_which_setting_lists_it(
    server, caplog
):
    """Closed with a reason a browser shows in its CloseEvent (a handshake refused with 403
    would show nothing), before any message is read; logged at INFO, not as a warning."""
    caplog.set_level(logging.INFO)
    async with connect(
        _ws_url(server), subprotocols=["graphql-transport-ws"], origin="https://evil.example"
    ) as ws:
        assert await Socket(ws).closed() == (4403, ORIGIN_NOT_LISTED)
    refusals = [r for r in caplog.records if r.name in ("plaudit.websocket", "strawberry.ws")]
    assert [(r.levelno, r.getMessage()) for r in refusals] == [
        (logging.INFO, f"websocket refused: {ORIGIN_NOT_LISTED}")
    ]
    assert refusals[0].fields["origin"] == "https://evil.example"  # type: ignore[attr-defined]


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
