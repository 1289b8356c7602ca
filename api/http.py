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
change (`api.guards.websocket_access`); a socket without a token may only follow leaderboards.
Each operation on a socket gets a fresh context (DataLoaders), counts against the rate limits as
a request does, and a socket runs at most `MAX_OPERATIONS_PER_SOCKET` operations at a time. A
`leaderboardChanged` subscription the fan-out recognises is sent pre-rendered messages instead
of being executed (`api.leaderboards.live`).
"""

from __future__ import annotations

import contextlib
import functools
import json
from datetime import timedelta
from typing import Any

from cross_web import HTTPException, StarletteRequestAdapter
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
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    SubscribeMessage,
)
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from api import graphiql, http_caching
from api.auth import AuthenticationFailed, Role, TokenVerifier
from api.context import Context
from api.events.hub import EventHub
from api.guards import websocket_access
from api.guards.rate_limits import RateLimiter
from api.guards.refusals import GRAPHQL_RESPONSE, JSON, negotiate, refusal
from api.leaderboards import live
from api.persisted_queries import PersistedQueries, Refused
from api.read_cache.cache import ReadCache
from api.schema import MAX_TOKENS
from domain.errors import ErrorCode
from domain.persisted_queries.registry import Registry
from domain.persisted_queries.safelist import Safelist
from domain.runtime import Runtime

__all__ = ["GRAPHQL_RESPONSE", "JSON", "GraphQLView", "negotiate"]
# Strawberry's reason for a POST body in a media type it does not read.
UNSUPPORTED_CONTENT_TYPE = "Unsupported content type"
# Operations (subscriptions, or queries still running) one WebSocket may have open at a time.
MAX_OPERATIONS_PER_SOCKET = 5


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws with a fresh context per operation: the socket's own context lives as
    long as the socket, and DataLoaders must not cache for that long. Live boards the fan-out
    renders skip execution (`run_operation`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.socket_context = self.context
        # Each operation's context, from its `subscribe` until its task starts.
        self.operation_contexts: dict[str, Context] = {}

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
        unpersisted = await self._persisted(message) if self.connection_acknowledged else None
        if unpersisted is not None:
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [unpersisted.formatted]}
            )
            return
        refused = _over_token_limit(message["payload"].get("query"))
        if refused is not None and self.connection_acknowledged:
            # Strawberry would let the parser's error escape the operation's task: a bare
            # `complete` for the client, a traceback in the log. Refuse it as HTTP does.
            refused.extensions = {"code": str(ErrorCode.GRAPHQL_PARSE_FAILED)}
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [refused.formatted]}
            )
            return
        refusal = await self._refusal(message) if self.connection_acknowledged else None
        if refusal is not None:
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [refusal.formatted]}
            )
            return
        self.context = self.socket_context.for_operation()
        self.operation_contexts[message["id"]] = self.context
        await super().handle_subscribe(message)
        if message["id"] not in self.operations:  # refused (the operation limit)
            self.operation_contexts.pop(message["id"], None)

    async def _persisted(self, message: SubscribeMessage) -> GraphQLError | None:
        """Persisted queries and the safelist as over HTTP (`api.persisted_queries`): a hash
        alone is replaced by its document, a refusal is the operation's error (a WebSocket
        operation registers nothing)."""
        assert isinstance(self.view, GraphQLView)
        payload: Any = message.get("payload")
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str | None):
            return None  # Strawberry's own refusal (4400)
        extensions = payload.get("extensions")
        try:
            resolved = await self.view.persisted_queries.resolve(
                payload.get("query"),
                extensions if isinstance(extensions, dict) else None,
                may_register=False,
            )
        except Refused as refused:
            return GraphQLError(refused.reason, extensions={"code": refused.code.value})
        if resolved.query is not None:
            payload["query"] = resolved.query
        return None

    async def _refusal(self, message: SubscribeMessage) -> GraphQLError | None:
        """Why this operation may not run (None: it may). Every `subscribe` counts against the
        rate limits of the socket's IP and token subject, as a request over HTTP does; on an
        anonymous socket only following a board may run (`websocket_access`)."""
        assert isinstance(self.view, GraphQLView)
        payload = message["payload"]
        query, name = payload.get("query"), payload.get("operationName")
        limiter = self.view.rate_limiter
        if limiter is not None:
            try:
                viewer = self.view.verifier.viewer_from_header(self.socket_context.authorization)
            except AuthenticationFailed:
                viewer = None
            websocket = getattr(self.websocket, "ws", None)
            client = websocket.client if isinstance(websocket, WebSocket) else None
            over = await limiter.check(
                subject=viewer.subject if viewer is not None else None,
                ip=client.host if client is not None else None,
                mutation=limiter.is_mutation(query, name if isinstance(name, str) else None),
            )
            if over is not None:
                reason = RateLimited(over.limit, over.retry_after_s).reason
                return GraphQLError(reason, extensions={"code": ErrorCode.RATE_LIMITED.value})
        if self.socket_context.authorization is None and not websocket_access.anonymous_may_run(
            query, name
        ):
            code = ErrorCode.UNAUTHENTICATED.value
            return GraphQLError(websocket_access.ANONYMOUS_REFUSED, extensions={"code": code})
        return None

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        """A `leaderboardChanged` subscription the fan-out renders itself is sent its
        pre-rendered messages (`api.leaderboards.live.Prerendered`); anything else runs as
        usual, with its own context."""
        context = self.operation_contexts.pop(operation.id, self.context)
        try:
            follow = await live.prerendered(
                context,
                getattr(self.schema, "_schema", None),  # graphql-core's schema under Strawberry's
                MAX_TOKENS,
                operation.query,
                operation.variables,
                operation.operation_name,
            )
        except Exception as error:
            follow = None
            await self.handle_task_exception(error)
        if follow is None:
            self.context = context  # read by Strawberry's run_operation before its first await
            await super().run_operation(operation)
            return
        try:
            await follow.run(operation.id, self._send_text)
        except Exception as error:
            await self.handle_task_exception(error)
        with contextlib.suppress(Exception):
            await operation.send_operation_message({"id": operation.id, "type": "complete"})
        self.operations.pop(operation.id, None)

    async def _send_text(self, text: str) -> bool:
        """Send an encoded message; False once the socket is gone."""
        websocket = getattr(self.websocket, "ws", None)
        if not isinstance(websocket, WebSocket):
            return False
        if websocket.application_state is not WebSocketState.CONNECTED:
            return False
        try:
            await websocket.send_text(text)
        except WebSocketDisconnect:
            return False
        return True


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


class RequestAdapter(StarletteRequestAdapter):
    """Strawberry's adapter, keeping the Starlette request in sight of `parse_http_body`."""

    def __init__(self, request: Request) -> None:
        super().__init__(request)
        self.request = request


# Where `parse_http_body` leaves the hash and document an APQ request registers once it ran.
REGISTER_STATE = "persisted_query_register"
# Set once a request has been counted against the rate limits (the read cache counts the
# requests it may answer before it looks, and `execute_single` must not count them again).
COUNTED_STATE = "rate_limits_counted"
# The request's parsed body, once `parse_http_body` has read it: the read cache parses a
# member's request to look it up, and a request it does not answer is not parsed again.
PARSED_STATE = "graphql_request_data"


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's view with Plaudit's context; batching stays off (Strawberry's default)."""

    graphql_transport_ws_handler_class = TransportWSHandler
    request_adapter_class = RequestAdapter

    def __init__(
        self,
        schema: Any,
        runtime: Runtime,
        verifier: TokenVerifier,
        hub: EventHub | None = None,
        rate_limiter: RateLimiter | None = None,
        persisted_queries: PersistedQueries | None = None,
        read_cache: ReadCache | None = None,
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
        # Apollo's persisted queries and the safelist (`api.persisted_queries`).
        self.persisted_queries = persisted_queries or PersistedQueries(
            runtime.settings.persisted_queries,
            Registry(runtime.redis, runtime.settings.redis_namespace),
            Safelist(),
            schema._schema,
        )
        # Members' answers kept per member (`api.read_cache`); None with PLAUDIT_READ_CACHE=false.
        if read_cache is None and runtime.settings.read_cache and runtime.read_versions:
            read_cache = ReadCache(runtime, runtime.read_versions)
        self.read_cache = read_cache

    def should_render_graphql_ide(self, request: Any) -> bool:
        """Strawberry's rule (a GET without `query` that accepts HTML or `*/*`), except for a
        persisted query sent by its hash alone: it has `extensions` and no `query`."""
        return "extensions" not in request.query_params and super().should_render_graphql_ide(
            request
        )

    @property
    def graphql_ide_html(self) -> str:
        """GraphiQL from Plaudit's own assets, opening on a Plaudit example (`api/graphiql.py`)."""
        page = super().graphql_ide_html
        if self.graphql_ide != "graphiql":
            return page
        return graphiql.with_example(graphiql.with_local_assets(page))

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
            refused = False
        except HTTPException as exc:
            response = _request_failure(exc, request)
            refused = True
        registration = request.scope.get("state", {}).get(REGISTER_STATE)
        if registration is not None and not refused and response.status_code == 200:
            await self.persisted_queries.register(*registration)
        # ETag, 304 and Cache-Control, on executed answers and cached ones alike.
        response = http_caching.finish(request, response, refused=refused)
        await response(scope, receive, send)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        """Strawberry's, with the member read cache around it for HTTP (`api.read_cache`): a
        member's query it holds is answered from it without executing; a miss is executed,
        then kept when it may be."""
        if self.read_cache is None or not isinstance(request, Request) or context is not UNSET:
            return await super().run(request, context, root_value)
        lookup = await self.read_cache.look_up(self, request)
        if lookup.response is not None:
            return lookup.response
        if lookup.pending is None:
            return await super().run(request, context, root_value)
        context = await self.get_context(request)
        response = await super().run(request, context, root_value)
        if isinstance(response, Response):
            response = await self.read_cache.keep(lookup.pending, request, response, context)
        return response

    async def count_request(self, request: Request, request_data: Any) -> None:
        """Count a request against the rate limits (raising `RateLimited` when it is over),
        and name its operation for the request log; once per request."""
        state = request.scope.setdefault("state", {})
        if state.get(COUNTED_STATE):
            return
        state[COUNTED_STATE] = True
        state["graphql_operation"] = request_data.operation_name or _first_operation_name(
            request_data.query
        )
        if self.rate_limiter is not None:
            await self._within_rate_limits(request, request_data)

    async def parse_http_body(self, request_adapter: Any) -> Any:
        """Strawberry's, then Apollo's persisted queries resolved (`api.persisted_queries`):
        everything after sees a plain request with its `query` filled in, or nothing runs."""
        state: dict[str, Any] | None = None
        if isinstance(request_adapter, RequestAdapter):
            state = request_adapter.request.scope.setdefault("state", {})
            if (parsed := state.get(PARSED_STATE)) is not None:
                return parsed
        request_data = await super().parse_http_body(request_adapter)
        if not isinstance(request_data, GraphQLRequestData):
            return request_data  # a batch: refused further on (batching is off)
        resolved = await self.persisted_queries.resolve(
            request_data.query, request_data.extensions, may_register=True
        )
        if resolved.register is not None and state is not None:
            state[REGISTER_STATE] = (resolved.register, resolved.query)
        request_data.query = resolved.query
        if state is not None:
            state[PARSED_STATE] = request_data
        return request_data

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

    def parse_query_params(self, params: Any) -> dict[str, Any]:
        """Strawberry's, but a refusal names the GET parameter at fault (not "the request
        body"), and `null` stands for no `variables` or `extensions`, as in a POST body."""
        parsed = dict(params)
        for name in ("variables", "extensions"):
            raw = parsed.get(name)
            if not raw:
                continue
            try:
                value = self.decode_json(raw)
            except (ValueError, UnicodeDecodeError) as exc:
                raise HTTPException(400, f"the `{name}` parameter is not JSON") from exc
            if value is not None and not isinstance(value, dict):
                raise HTTPException(400, f"the `{name}` parameter must be a JSON object")
            parsed[name] = value
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
            # Before the shared page cache: a cached answer still counts against the limits.
            await self.count_request(request, request_data)
        try:
            key = _public_board_key(request_data)
            if key is None:
                return await super().execute_single(request, request_adapter, *args, **kwargs)
            # Admins also see hidden challenges' boards: their answers are shared among admins
            # only, never with members or anonymous readers.
            key = (*key, self._sees_hidden(request))
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

    def _sees_hidden(self, request: Request) -> bool:
        """Whether the caller is an admin (who sees hidden challenges' boards)."""
        try:
            viewer = self.verifier.viewer_from_header(request.headers.get("authorization"))
        except AuthenticationFailed:
            return False
        return viewer is not None and viewer.role is Role.ADMIN

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
        """A request error (nothing executed) has no `data` entry, per the GraphQL spec. Whether
        there were errors is noted for `http_caching` (no ETag, `no-store`)."""
        request.scope.setdefault("state", {})[http_caching.ERRORS_STATE] = bool(result.errors)
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
    code = exc.code if isinstance(exc, Refused) else None
    accept = request.headers.get("accept")
    return refusal(status, exc.reason, accept, headers=headers, code=code)


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
    if request_data is None or set(request_data.extensions or ()) - {"persistedQuery"}:
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
