"""Fixtures of the persisted-query tests: the test server's `PersistedQueries`, a mode switch
(`PLAUDIT_PERSISTED_QUERIES` as the server would read it at start), and requests as Apollo
Client's persisted-query link sends them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from starlette.routing import Route

from api.http import GraphQLView
from api.persisted_queries import PersistedQueries

# Apollo Client 4's HttpLink asks for these.
ACCEPT = {"accept": "application/graphql-response+json,application/json;q=0.9"}
LEGACY = {"accept": "application/json"}


def sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def extensions(sha: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha}}


def graphql_view(server: Any) -> GraphQLView:
    for route in server.app.routes:
        if isinstance(route, Route) and route.path == "/graphql":
            view = route.app.view  # type: ignore[attr-defined]
            assert isinstance(view, GraphQLView)
            return view
    raise AssertionError("no /graphql route")


@pytest.fixture
def persisted(server: Any) -> Iterator[PersistedQueries]:
    """The test server's persisted queries, emptied of this process's registrations and
    aliases before and after (Redis is flushed between tests already)."""
    queries = graphql_view(server).persisted_queries
    queries.registry.local.clear()
    queries.aliases.clear()
    yield queries
    queries.registry.local.clear()
    queries.aliases.clear()
    queries.mode = "auto"


class Apollo:
    """Requests as Apollo Client's persisted-query link and HttpLink send them."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def get(
        self,
        sha: str,
        *,
        query: str | None = None,
        variables: dict[str, Any] | None = None,
        operation_name: str | None = None,
        headers: dict[str, str] | None = None,
        raw_extensions: str | None = None,
    ) -> httpx.Response:
        params: dict[str, str] = {}
        if query is not None:
            params["query"] = query
        if operation_name is not None:
            params["operationName"] = operation_name
        params["variables"] = json.dumps(variables or {})
        params["extensions"] = raw_extensions or json.dumps(extensions(sha))
        return await self.http.get("/graphql", params=params, headers=ACCEPT | (headers or {}))

    async def post(
        self,
        sha: str | None,
        *,
        query: str | None = None,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> httpx.Response:
        if body is None:
            body = {"variables": variables or {}}
            if sha is not None:
                body["extensions"] = extensions(sha)
            if query is not None:
                body["query"] = query
        return await self.http.post("/graphql", json=body, headers=ACCEPT | (headers or {}))


@pytest.fixture
async def apollo(client: httpx.AsyncClient) -> AsyncIterator[Apollo]:
    yield Apollo(client)
