"""Cross-origin access for web front-ends (`PLAUDIT_CORS_ORIGINS`).

HTTP goes through Starlette's `CORSMiddleware`: preflights (OPTIONS with Origin and
Access-Control-Request-Method) are answered there, before routing, and every response to a
listed origin carries its `Access-Control-*` headers, refusals (413, 429...) included, so the
front-end can read them.

Browsers do not apply CORS to WebSockets: they send the page's Origin with the handshake and
let any server accept it. The GraphQL view checks it (Strawberry's `allowed_origins`, given the
same list by `api.app`): a handshake from an origin neither listed nor the server's own is
refused with 403 before any message. Clients that send no Origin (servers, mobile apps) are not
browsers and pass. With no origins configured, HTTP gets no CORS headers and WebSockets accept
only same-origin pages (GraphiQL) and Origin-less clients.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from domain.infra.settings import Settings

# What a GraphQL front-end sends besides simple headers: its token and its media types.
ALLOWED_HEADERS = ("authorization", "content-type", "accept")
MAX_AGE_S = 600


def cors_middleware(settings: Settings) -> list[Middleware]:
    """The middleware serving `settings.cors_origins`; none when CORS is off."""
    if not settings.cors_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=list(ALLOWED_HEADERS),
            allow_credentials=settings.cors_allow_credentials,
            expose_headers=["retry-after"],
            max_age=MAX_AGE_S,
        ),
    ]
