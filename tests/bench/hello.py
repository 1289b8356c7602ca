"""The reads benchmark's yardstick: a bare Strawberry `{ hello }` app served as `plaudit serve`
serves the API, so that a Plaudit read can be reported as a ratio to what the framework itself
manages on the same machine in the same run.

Same as Plaudit: one uvicorn process (`log_config=None`, no access log, proxy headers), a
Starlette route to Strawberry's ASGI view with the same view options (GraphiQL, GET queries, no
multipart), the same extensions (parser and validation caches, token, depth and alias limits,
error masking) and the same schema config. Not included, because they are Plaudit's own work:
the request log middleware, the context (auth, DataLoaders) and every resolver.

`python -m tests.bench.hello --port N` serves it on 127.0.0.1:N.
"""

from __future__ import annotations

import argparse
from typing import Any

import strawberry
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from api.errors import MaskUnexpectedErrors
from api.schema import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS

HELLO = "{ hello }"


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


def build_schema() -> strawberry.Schema:
    """`api.schema.build_schema`'s extensions and config, around one field."""
    limiters = [
        QueryDepthLimiter(max_depth=MAX_DEPTH),
        MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
    ]
    rules = [rule for limiter in limiters for rule in limiter.validation_rules]
    extensions: list[Any] = [
        lambda: ParserCache(maxsize=1024),
        lambda: ValidationCache(maxsize=1024),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(rules),
        MaskUnexpectedErrors,
    ]
    return strawberry.Schema(
        query=Query,
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=True),
    )


def create_app(max_body_bytes: int = 1_000_000) -> Starlette:
    view: GraphQL[None, None] = GraphQL(
        build_schema(),
        graphql_ide="graphiql",
        allow_queries_via_get=True,
        multipart_uploads_enabled=False,
    )
    return Starlette(
        routes=[Route("/graphql", view, methods=["GET", "POST"])],
        max_body_size=max_body_bytes,
    )


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m tests.bench.hello", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    uvicorn.run(
        create_app(),
        host="127.0.0.1",
        port=args.port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
