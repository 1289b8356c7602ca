"""Who may open a GraphQL WebSocket, what an anonymous one may run, and what a refused client
is told.

Two checks, in order: the handshake's `Origin` (a browser page on an origin that is neither the
server's own nor listed in PLAUDIT_CORS_ORIGINS), then the token in the `connection_init`
payload (`{"authorization": "Bearer <jwt>"}`; handshake headers are ignored). A refused socket
is closed with 4403 and a reason that says what to do; a browser shows the reason in the
`CloseEvent`, where a handshake refused with HTTP 403 would show nothing. The socket is accepted
only to be closed: no message of it is read before the origin passed, and no operation runs
before the token did. Each refusal is logged once at INFO (`plaudit.websocket`): a client's
mistake, not the server's trouble.

A `connection_init` without a token (no `authorization`, or an empty one) opens an anonymous
socket: it may follow public boards (`leaderboardChanged`, whose `me` is then null; every board
is public, as `leaderboard` is over HTTP), and any other operation gets an `error` with code
UNAUTHENTICATED saying how to send a token (`anonymous_may_run`). A token that is there but
wrong still closes the socket: a client that meant to authenticate hears that it failed.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Collection, Mapping

from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse
from starlette.websockets import WebSocket
from strawberry.http.websocket_origin import is_same_origin, normalize_origin

from api.auth import AuthenticationFailed, TokenVerifier
from api.guards import cors

log = logging.getLogger("plaudit.websocket")

CLOSE_FORBIDDEN = 4403
# Close reasons (a close frame holds at most 123 bytes): each says what to change.
NO_TOKEN = 'no token: send {"authorization": "Bearer <token>"} in connection_init'
# What an anonymous socket is told when it asks for anything but following a board.
ANONYMOUS_REFUSED = (
    'this needs a token: send {"authorization": "Bearer <token>"} in connection_init '
    "(without one, a socket may only follow leaderboards with leaderboardChanged)"
)
# The root fields an anonymous socket may subscribe to.
ANONYMOUS_FIELDS = frozenset({"leaderboardChanged"})
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


def authorization(params: Mapping[str, object], verifier: TokenVerifier) -> str | None:
    """The `authorization` of a `connection_init` payload (the key in any case) when it holds a
    valid Bearer token; None when it holds none (an anonymous socket); otherwise raises
    `Refused` saying what is wrong."""
    value = next((value for key, value in params.items() if key.lower() == "authorization"), None)
    if value is None or value == "":
        return None
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


def anonymous_may_run(query: object, operation_name: object) -> bool:
    """Whether an anonymous socket may run this operation: a subscription whose one root field
    is in ANONYMOUS_FIELDS. A document that does not parse, or names no operation it holds, is
    let through (its execution refuses it with the usual error, which says more)."""
    if not isinstance(query, str) or not isinstance(operation_name, str | None):
        return True
    return _anonymous_may_run(query, operation_name)


@functools.lru_cache(maxsize=512)
def _anonymous_may_run(query: str, operation_name: str | None) -> bool:
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return True
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return True  # none, or several without a name to choose: refused before it runs
    operation = operations[0]
    if operation.operation is not OperationType.SUBSCRIPTION:
        return False
    fields = [root for root in operation.selection_set.selections if isinstance(root, FieldNode)]
    return (
        len(fields) == len(operation.selection_set.selections)
        and {field.name.value for field in fields} <= ANONYMOUS_FIELDS
    )
