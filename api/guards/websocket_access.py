"""Who may open a GraphQL WebSocket, and what a refused client is told.

Two checks, in order: the handshake's `Origin` (a browser page on an origin that is neither the
server's own nor listed in PLAUDIT_CORS_ORIGINS), then the token in the `connection_init`
payload (`{"authorization": "Bearer <jwt>"}`; handshake headers are ignored). A refused socket
is closed with 4403 and a reason that says what to do; a browser shows the reason in the
`CloseEvent`, where a handshake refused with HTTP 403 would show nothing. The socket is accepted
only to be closed: no message of it is read before the origin passed, and no operation runs
before the token did. Each refusal is logged once at INFO (`plaudit.websocket`): a client's
mistake, not the server's trouble.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping

from starlette.websockets import WebSocket
from strawberry.http.websocket_origin import is_same_origin, normalize_origin

from api.auth import AuthenticationFailed, TokenVerifier
from api.guards import cors

log = logging.getLogger("plaudit.websocket")

CLOSE_FORBIDDEN = 4403
# Close reasons (a close frame holds at most 123 bytes): each says what to change.
NO_TOKEN = 'no token: send {"authorization": "Bearer <token>"} in connection_init'
NOT_BEARER = 'the authorization must be "Bearer <token>"'
ORIGIN_NOT_LISTED = cors.ORIGIN_NOT_LISTED
# How much of a client's Origin header the log line keeps.
MAX_LOGGED_ORIGIN = 200


class Refused(Exception):
    """A socket that may not go on; `reason` is its close reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def origin_allowed(websocket: WebSocket, allowed_origins: Collection[str]) -> bool:
    """What Strawberry's `allowed_origins` check decides (the same rules), without its warning:
    no Origin (not a browser: servers, mobile apps), the server's own pages (GraphiQL), `*`, or
    an origin listed in PLAUDIT_CORS_ORIGINS."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    if websocket.headers.get("sec-fetch-site") == "same-origin":
        return True
    if is_same_origin(origin, websocket.headers.get("host")) or "*" in allowed_origins:
        return True
    normalized = normalize_origin(origin)
    return normalized is not None and normalized in allowed_origins


def authorization(params: Mapping[str, object], verifier: TokenVerifier) -> str:
    """The `authorization` of a `connection_init` payload (the key in any case) when it holds a
    valid Bearer token; otherwise raises `Refused` saying what is wrong."""
    value = next((value for key, value in params.items() if key.lower() == "authorization"), None)
    if value is None or value == "":
        raise Refused(NO_TOKEN)
    if not isinstance(value, str):
        raise Refused(NOT_BEARER)
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Refused(NOT_BEARER)
    try:
        verifier.verify(token.strip())
    except AuthenticationFailed as exc:
        raise Refused(str(exc)) from None  # "the token has expired"...: safe to show
    return value


def log_refusal(websocket: WebSocket, reason: str) -> None:
    client = websocket.client.host if websocket.client is not None else None
    origin = (websocket.headers.get("origin") or "")[:MAX_LOGGED_ORIGIN] or None
    log.info(
        "websocket refused: %s",
        reason,
        extra={"fields": {"client": client, "origin": origin, "close_code": CLOSE_FORBIDDEN}},
    )


async def refuse_origin(websocket: WebSocket, subprotocol: str | None) -> None:
    """Accept the handshake (with the client's subprotocol, which a browser requires) only to
    close it at once with the reason: nothing the socket sends is read."""
    log_refusal(websocket, ORIGIN_NOT_LISTED)
    await websocket.accept(subprotocol=subprotocol)
    await websocket.close(code=CLOSE_FORBIDDEN, reason=ORIGIN_NOT_LISTED)
