"""Cross-origin access for web front-ends (`PLAUDIT_CORS_ORIGINS`).

HTTP goes through Starlette's `CORSMiddleware`: preflights (OPTIONS with Origin and
Access-Control-Request-Method) are answered there, before routing, and every response to a
listed origin carries its `Access-Control-*` headers, refusals (413, 429...) included, so the
front-end can read them.

Browsers do not apply CORS to WebSockets: they send the page's Origin with the handshake and
let any server accept it. The GraphQL view checks it against the same list
(`api.guards.websocket_access`): a socket from an origin neither listed nor the server's own is
closed with 4403 and a reason naming PLAUDIT_CORS_ORIGINS before any message is read. Clients
that send no Origin (servers, mobile apps) are not browsers and pass. With no origins
configured, HTTP gets no CORS headers and WebSockets accept only same-origin pages (GraphiQL)
and Origin-less clients.

A refused preflight says what to change, in the setting's name (PLAUDIT_CORS_ORIGINS), not in
the library's words ("Disallowed CORS origin"), as a GraphQL-shaped refusal (400 BAD_REQUEST);
with CORS off too, where it would otherwise be a bare 405.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from api.guards.refusals import refusal
from domain.infra.settings import Settings

# What a GraphQL front-end sends besides simple headers: its token, its media types, and the
# ETag of the answer it holds (`api.http_caching`: a 304 when it is still the answer).
ALLOWED_HEADERS = ("authorization", "content-type", "accept", "if-none-match")
MAX_AGE_S = 600
ALLOWED_METHODS = ("GET", "POST")
CORS_OFF = "cross-origin requests are off: list this page's origin in PLAUDIT_CORS_ORIGINS"
ORIGIN_NOT_LISTED = "this page's origin is not allowed: add it to PLAUDIT_CORS_ORIGINS"


class PlauditCORS(CORSMiddleware):
    """Starlette's CORS, with refusals that say what to change. With no origin configured it
    touches nothing but preflights: every other request goes straight through, without headers."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.allow_origins and not _is_preflight(scope):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    def preflight_response(self, request_headers: Headers) -> Response:
        answer = super().preflight_response(request_headers)
        if answer.status_code != 400:
            return answer
        headers = {"vary": answer.headers.get("vary", "Origin")}
        reason = "; ".join(self._failures(request_headers))
        return refusal(400, reason, request_headers.get("accept"), headers=headers)

    def _failures(self, request_headers: Headers) -> list[str]:
        """What the preflight asked for that is not allowed, each with its remedy."""
        failures = []
        if not self.is_allowed_origin(request_headers["origin"]):
            failures.append(ORIGIN_NOT_LISTED if self.allow_origins else CORS_OFF)
        method = request_headers["access-control-request-method"]
        if method not in self.allow_methods:
            failures.append(f"method {method[:20]!r} is not allowed: /graphql takes GET and POST")
        asked = request_headers.get("access-control-request-headers") or ""
        requested = [h.strip() for h in asked.lower().split(",") if h.strip()]
        if any(header not in self.allow_headers for header in requested):
            failures.append(
                "a request header is not allowed: send only Authorization, Content-Type, Accept, "
                "If-None-Match and the CORS-safelisted ones"
            )
        return failures or ["the preflight asks for more than this server allows"]


def _is_preflight(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] != "OPTIONS":
        return False
    names = {name for name, _ in scope["headers"]}
    return b"origin" in names and b"access-control-request-method" in names


def cors_middleware(settings: Settings) -> list[Middleware]:
    """The middleware serving `settings.cors_origins`; with CORS off, only refused preflights
    that name the setting to change."""
    return [
        Middleware(
            PlauditCORS,
            allow_origins=list(settings.cors_origins),
            allow_methods=list(ALLOWED_METHODS),
            allow_headers=list(ALLOWED_HEADERS),
            allow_credentials=settings.cors_allow_credentials,
            expose_headers=["retry-after", "etag"],
            max_age=MAX_AGE_S,
        ),
    ]
