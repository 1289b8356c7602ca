"""GraphQL over HTTP: Strawberry's ASGI view, with the request context, request logging and the
GraphQL-over-HTTP spec's media types and status codes.

Strawberry answers every GraphQL result with 200 `application/json` and every request failure
with a plain-text body. The spec (and graphql-http's audit) wants more:

- `Accept: application/graphql-response+json` gets that content-type back, and a request error
  (unparsable or invalid document, variable coercion failure, bad JSON, no query...) gets 400 with
  a JSON `{"errors": [...]}` body and no `data` entry;
- `application/json`, `*/*` and a missing Accept keep the legacy behaviour: 200 for any GraphQL
  result, errors included;
- a mutation over GET is 405 Method Not Allowed.

WebSockets speak graphql-transport-ws only. The token comes in the `connection_init` payload as
`{"authorization": "Bearer <jwt>"}` (handshake headers are ignored); a browser page's origin must
be the server's own or listed. A refusal closes the socket with 4403 and a reason saying what to
change (`api.guards.websocket_access`). Each operation on a socket gets a fresh context
(DataLoaders), and a socket runs at most `MAX_OPERATIONS_PER_SOCKET` operations at a time.
"""

from __future__ import annotations

import functools
import json
from datetime import timedelta
from typing import Any

from cross_web import HTTPException
from graphql import (
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
)
from graphql.error import GraphQLSyntaxError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    SubscribeMessage,
)
from strawberry.types import ExecutionResult

from api import graphiql
from api.auth import AuthenticationFailed, TokenVerifier
from api.context import Context
from api.events.hub import EventHub
from api.guards import websocket_access
from api.guards.rate_limits import RateLimiter
from api.guards.refusals import GRAPHQL_RESPONSE, JSON, negotiate, refusal
from api.schema import MAX_TOKENS
from domain.errors import ErrorCode
from domain.runtime import Runtime

__all__ = ["GRAPHQL_RESPONSE", "JSON", "GraphQLView", "negotiate"]
# Strawberry's reason for a POST body in a media type it does not read.
UNSUPPORTED_CONTENT_TYPE = "Unsupported content type"
# Operations (subscriptions, or queries still running) one WebSocket may have open at a time.
MAX_OPERATIONS_PER_SOCKET = 5


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws with a fresh context per operation: the socket's own context lives as
    long as the socket, and DataLoaders must not cache for that long."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.socket_context = self.context

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        """Check the payload's token before Strawberry acknowledges: a refusal closes with 4403
        and says why (Strawberry's own refusal says only "Forbidden"). A second `connection_init`
        or a payload that is not an object keep Strawberry's answers (4429, 4400)."""
        payload = message.get("payload", {})
        first = not self.connection_init_received and not self.connection_timed_out
        if first and isinstance(payload, dict):
            assert isinstance(self.view, GraphQLView)
            try:
                self.socket_context.authorization = websocket_access.authorization(
                    payload, self.view.verifier
                )
            except websocket_access.Refused as refused:
                self.connection_init_received = True
                websocket = getattr(self.websocket, "ws", None)
                if isinstance(websocket, WebSocket):
                    websocket_access.log_refusal(websocket, refused.reason)
                await self.websocket.close(websocket_access.CLOSE_FORBIDDEN, refused.reason)
                return
        await super().handle_connection_init(message)

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        refused = _over_token_limit(message["payload"].get("query"))
        if refused is not None and self.connection_acknowledged:
            # Strawberry would let the parser's error escape the operation's task: a bare
            # `complete` for the client, a traceback in the log. Refuse it as HTTP does.
            refused.extensions = {"code": str(ErrorCode.GRAPHQL_PARSE_FAILED)}
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [refused.formatted]}
            )
            return
        self.context = self.socket_context.for_operation()
        await super().handle_subscribe(message)


def _over_token_limit(query: object) -> GraphQLSyntaxError | None:
    """The parser's error when `query` has more than MAX_TOKENS tokens, else None (other syntax
    errors keep Strawberry's handling: close with 4400)."""
    if not isinstance(query, str):
        return None
    try:
        parse(query, no_location=True, max_tokens=MAX_TOKENS)
    except GraphQLSyntaxError as error:
        if "more than" in error.message and "tokens" in error.message:
            return error
    return None


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's view with Plaudit's context; batching stays off (Strawberry's default)."""

    graphql_transport_ws_handler_class = TransportWSHandler

    def __init__(
        self,
        schema: Any,
        runtime: Runtime,
        verifier: TokenVerifier,
        hub: EventHub | None = None,
        rate_limiter: RateLimiter | None = None,
        **kwargs: Any,
    ):
        kwargs.setdefault("subscription_protocols", (GRAPHQL_TRANSPORT_WS_PROTOCOL,))
        kwargs.setdefault("max_subscriptions_per_connection", MAX_OPERATIONS_PER_SOCKET)
        kwargs.setdefault("connection_init_wait_timeout", timedelta(seconds=10))
        super().__init__(schema, **kwargs)
        self.runtime = runtime
        self.verifier = verifier
        self.hub = hub
        self.rate_limiter = rate_limiter

    @property
    def graphql_ide_html(self) -> str:
        """GraphiQL opens on a Plaudit example (`api/graphiql.py`), not the stock welcome."""
        page = super().graphql_ide_html
        return graphiql.with_example(page) if self.graphql_ide == "graphiql" else page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Strawberry's own `__call__`, but request failures get a GraphQL-shaped JSON body, and a
        WebSocket from an origin not allowed is closed with a reason (not refused with 403)."""
        if scope["type"] == "websocket":
            websocket = WebSocket(scope, receive, send)
            if not websocket_access.origin_allowed(websocket, self.allowed_origins):
                subprotocol = await self.pick_websocket_subprotocol(websocket)
                await websocket_access.refuse_origin(websocket, subprotocol)
                return
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except HTTPException as exc:
            response = _request_failure(exc, request)
        await response(scope, receive, send)

    def parse_json(self, data: str | bytes) -> Any:
        """Strawberry's, but a body that is not UTF-8 JSON holding an object (or a list, which
        the batch check refuses) is a 400 too, not a 500 further on."""
        try:
            parsed = self.decode_json(data)
        except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
            raise HTTPException(400, "Unable to parse request body as JSON") from exc
        if not isinstance(parsed, dict | list):
            raise HTTPException(400, "the request body must be a JSON object")
        if isinstance(parsed, dict) and not isinstance(parsed.get("operationName"), str | None):
            raise HTTPException(400, "`operationName` must be a string or null, if provided")
        return parsed

    async def get_context(self, request: Any, response: Any = None) -> Context:
        # On a WebSocket the credentials come with `connection_init` (`handle_connection_init`).
        websocket = isinstance(request, WebSocket)
        return Context(
            runtime=self.runtime,
            authorization=None if websocket else request.headers.get("authorization"),
            verifier=self.verifier,
            hub=self.hub,
        )

    async def get_sub_response(self, request: Any) -> Response:
        """Negotiate the media type up front: `create_response` only sees the sub-response."""
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = negotiate(request.headers.get("accept"))
        return sub_response

    async def execute_single(
        self, request: Request, request_adapter: Any, *args: Any, **kwargs: Any
    ) -> Any:
        request_data = kwargs.get("request_data")
        if request_data is not None:
            request.scope.setdefault("state", {})["graphql_operation"] = (
                request_data.operation_name or _first_operation_name(request_data.query)
            )
        if self.rate_limiter is not None and request_data is not None:
            # Before the shared page cache: a cached answer still counts against the limits.
            await self._within_rate_limits(request, request_data)
        try:
            key = _public_board_key(request_data)
            if key is None:
                return await super().execute_single(request, request_adapter, *args, **kwargs)
            # A document that reads only public leaderboard pages answers the same to everybody:
            # shared for up to a second, computed once per burst (see `MicroCache`).
            return await self.runtime.leaderboards.pages.get(
                key,
                lambda: super(GraphQLView, self).execute_single(
                    request, request_adapter, *args, **kwargs
                ),
                keep=_without_errors,
            )
        except HTTPException as exc:
            if request_adapter.method == "GET" and isinstance(
                exc.__cause__, InvalidOperationTypeError
            ):
                # GraphQL over HTTP: an operation that may not run over GET is a 405.
                raise HTTPException(405, exc.reason) from exc
            raise

    async def _within_rate_limits(self, request: Request, request_data: Any) -> None:
        """Raise `RateLimited` (429, nothing executed) when this request is over a limit."""
        assert self.rate_limiter is not None
        try:
            viewer = self.verifier.viewer_from_header(request.headers.get("authorization"))
        except AuthenticationFailed:
            viewer = None  # refused later with UNAUTHENTICATED; its IP still counts
        refused = await self.rate_limiter.check(
            subject=viewer.subject if viewer is not None else None,
            ip=request.client.host if request.client is not None else None,
            mutation=self.rate_limiter.is_mutation(request_data.query, request_data.operation_name),
        )
        if refused is not None:
            raise RateLimited(refused.limit, refused.retry_after_s)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """A request error (nothing executed) has no `data` entry, per the GraphQL spec."""
        response = await super().process_result(request, result)
        if _is_request_error(result):
            response.pop("data", None)
        return response

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        """With graphql-response+json, that content-type, and 400 when nothing was executed."""
        response = super().create_response(response_data, sub_response)
        if sub_response.media_type == GRAPHQL_RESPONSE:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
            executed = not isinstance(response_data, dict) or "data" in response_data
            if not executed and not sub_response.status_code:
                response.status_code = 400
        return response


class RateLimited(HTTPException):
    """Over a rate limit: 429 with Retry-After, before anything is executed."""

    def __init__(self, limit: str, retry_after_s: int) -> None:
        super().__init__(429, f"rate limit exceeded ({limit}); retry in {retry_after_s}s")
        self.retry_after_s = retry_after_s


def _is_request_error(result: ExecutionResult) -> bool:
    """No data and no error with a path: parsing, validation or variable coercion failed, so
    execution never started (a field error always carries the path of its field)."""
    return (
        result.data is None
        and bool(result.errors)
        and all(error.path is None for error in result.errors or [])
    )


def _request_failure(exc: HTTPException, request: Request) -> Response:
    """A request Strawberry refused (bad JSON, no query, batching, GET mutation...) or a rate
    limit did, as a GraphQL response with only `errors` (and a code), in the negotiated media
    type."""
    headers: dict[str, str] = {}
    if exc.status_code == 405 and request.method == "GET":
        headers["allow"] = "POST"
    if isinstance(exc, RateLimited):
        headers["retry-after"] = str(exc.retry_after_s)
    status = exc.status_code
    if status == 400 and exc.reason == UNSUPPORTED_CONTENT_TYPE:
        status = 415  # Strawberry says 400; HTTP has a status for it
    return refusal(status, exc.reason, request.headers.get("accept"), headers=headers)


# The fields a document may select, besides `leaderboard` at the root, for its response to be
# shared between callers: a board's public page and size, nothing that depends on the viewer
# (`around` defaults to the viewer) and nothing that needs a token.
PUBLIC_BOARD_FIELDS = frozenset(
    {
        "__typename",
        "board",
        "period",
        "size",
        "entries",
        "edges",
        "cursor",
        "node",
        "rank",
        "score",
        "member",
        "id",
        "displayName",
        "avatarUrl",
        "pageInfo",
        "hasNextPage",
        "hasPreviousPage",
        "startCursor",
        "endCursor",
    }
)


def _public_board_key(request_data: Any) -> tuple[Any, ...] | None:
    """The shared-response cache key of a request that only reads public leaderboard pages, or
    None (the request runs as usual)."""
    if request_data is None or request_data.extensions:
        return None
    query = request_data.query
    if not isinstance(query, str) or "leaderboard" not in query or not _reads_public_boards(query):
        return None
    try:
        variables = json.dumps(request_data.variables or {}, sort_keys=True)
    except (TypeError, ValueError):
        return None
    return ("response", query, request_data.operation_name, variables)


@functools.lru_cache(maxsize=512)
def _reads_public_boards(query: str) -> bool:
    """Whether every operation of `query` is a query selecting only `leaderboard` (and
    `__typename`) at its root and PUBLIC_BOARD_FIELDS below. Conservative: fragments, and
    documents that do not parse, are never shared."""
    try:
        document = parse(query, no_location=True, max_tokens=MAX_TOKENS)
    except GraphQLError:
        return False
    if not document.definitions:
        return False
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            return False  # a fragment definition
        if definition.operation is not OperationType.QUERY:
            return False
        for selection in definition.selection_set.selections:
            if not isinstance(selection, FieldNode):
                return False
            if selection.name.value == "leaderboard":
                if not _only_public_fields(selection.selection_set):
                    return False
            elif selection.name.value != "__typename":
                return False
    return True


def _only_public_fields(selection_set: SelectionSetNode | None) -> bool:
    if selection_set is None:
        return True
    for selection in selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.name.value not in PUBLIC_BOARD_FIELDS:
            return False
        if not _only_public_fields(selection.selection_set):
            return False
    return True


def _without_errors(result: Any) -> bool:
    return isinstance(result, ExecutionResult) and not result.errors


@functools.lru_cache(maxsize=512)
@functools.lru_cache(maxsize=1024)
def _first_operation_name(query: str | None) -> str | None:
    if not query:
        return None
    words = query.replace("{", " { ").replace("(", " ( ").split()
    for index, word in enumerate(words[:-1]):
        if word in ("query", "mutation", "subscription") and words[index + 1] not in ("{", "("):
            return words[index + 1]
    return None
