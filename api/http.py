"""GraphQL over HTTP: Strawberry's ASGI view, with the request context and request logging."""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from strawberry.asgi import GraphQL

from api.auth import TokenVerifier
from api.context import Context
from domain.runtime import Runtime


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's view with Plaudit's context; batching stays off (Strawberry's default)."""

    def __init__(self, schema: Any, runtime: Runtime, verifier: TokenVerifier, **kwargs: Any):
        super().__init__(schema, **kwargs)
        self.runtime = runtime
        self.verifier = verifier

    async def get_context(self, request: Any, response: Any = None) -> Context:
        headers = request.headers
        return Context(
            runtime=self.runtime,
            authorization=headers.get("authorization"),
            verifier=self.verifier,
        )

    async def execute_single(
        self, request: Request, request_adapter: Any, *args: Any, **kwargs: Any
    ) -> Any:
        request_data = kwargs.get("request_data")
        if request_data is not None:
            request.scope.setdefault("state", {})["graphql_operation"] = (
                request_data.operation_name or _first_operation_name(request_data.query)
            )
        try:
            return await super().execute_single(request, request_adapter, *args, **kwargs)
        except HTTPException as exc:
            if request_adapter.method == "GET" and "GET" in exc.reason and exc.status_code == 400:
                # GraphQL over HTTP: an operation that may not run over GET is a 405.
                raise HTTPException(405, exc.reason) from exc
            raise

    async def render_graphql_ide(self, request: Request) -> Response:
        return await super().render_graphql_ide(request)


def _first_operation_name(query: str | None) -> str | None:
    if not query:
        return None
    words = query.replace("{", " { ").replace("(", " ( ").split()
    for index, word in enumerate(words[:-1]):
        if word in ("query", "mutation", "subscription") and words[index + 1] not in ("{", "("):
            return words[index + 1]
    return None
