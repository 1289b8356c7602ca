"""Requests refused before any GraphQL runs, answered as GraphQL responses.

A refused request (unparsable, wrong method or media type, body too large, over a rate limit,
no such path) gets what a GraphQL client can read: a JSON body with only `errors`, each with a
stable `extensions.code`, in the media type the client asked for (`negotiate`), never the
plain-text bodies Starlette and Strawberry send by default.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse

from domain.errors import ErrorCode

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"

# The code each refusal status carries; anything else unlisted is a BAD_REQUEST.
CODES = {
    400: ErrorCode.BAD_REQUEST,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.BODY_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    429: ErrorCode.RATE_LIMITED,
}


def negotiate(accept: str | None) -> str:
    """graphql-response+json when the client ranks it at least as high as application/json;
    otherwise (no Accept, `*/*`, anything else) application/json, the spec's legacy default."""
    ranks: dict[str, float] = {}
    for part in (accept or "").split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        ranks[media] = max(ranks.get(media, 0.0), quality)
    preferred = ranks.get(GRAPHQL_RESPONSE, 0.0)
    legacy = max(ranks.get(JSON, 0.0), ranks.get("application/*", 0.0), ranks.get("*/*", 0.0))
    return GRAPHQL_RESPONSE if preferred > 0 and preferred >= legacy else JSON


def refusal(
    status: int,
    message: str,
    accept: str | None,
    *,
    headers: Mapping[str, str] | None = None,
    code: ErrorCode | None = None,
) -> JSONResponse:
    """A GraphQL response with one error and no `data`: nothing was executed. Its code is
    `code`, else the one of its status (CODES)."""
    media_type = negotiate(accept)
    code = code or CODES.get(status, ErrorCode.BAD_REQUEST)
    error = {"message": message, "extensions": {"code": code.value}}
    return JSONResponse(
        {"errors": [error]},
        status_code=status,
        headers=dict(headers or {}),
        media_type=f"{GRAPHQL_RESPONSE}; charset=utf-8" if media_type == GRAPHQL_RESPONSE else JSON,
    )


async def http_exception(request: HTTPConnection, exc: Exception) -> JSONResponse:
    """Starlette's own refusals (no such route, a method the route does not take) as JSON."""
    status = getattr(exc, "status_code", 400)
    detail = getattr(exc, "detail", None) or "request refused"
    headers = getattr(exc, "headers", None)
    return refusal(status, str(detail), request.headers.get("accept"), headers=headers)
