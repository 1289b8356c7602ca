"""HTTP caching of GraphQL answers: a strong ETag, 304 Not Modified, Cache-Control and Vary.

`finish` runs on every HTTP answer of the GraphQL view, once it is ready (executed, or taken
from the member read cache), and decides what HTTP caches may do with it:

- **A GraphQL result without errors** gets a strong `ETag`: the one the member read cache
  stored with the entry (`etag` header already set), else `etag_of` its body. A GET whose
  `If-None-Match` names it is answered `304` with no body, and the same ETag, Cache-Control and
  Vary (RFC 9110 §15.4.5). `If-None-Match` is compared as RFC 9110 §13.1.2 says (weakly: a
  proxy that marks our tag `W/` when it compresses still matches), a list of tags or `*`.
  POST answers carry the ETag too (harmless; Apollo ignores it), but only GET and HEAD are
  ever answered 304: a POST may be a mutation.
- **Cache-Control.** Sent with credentials (`Authorization`, or a cookie), the answer is the
  viewer's: `private, no-cache`, never `public` (a browser or the app may keep it, and must
  revalidate, which the ETag makes a 304). Sent without, it depends on nobody (there is no
  viewer: a public leaderboard page, introspection), so a GET's is `public, no-cache`: shared
  caches may keep it, but must revalidate each time, so it is never staler than the server's
  own 1-second page cache (a `max-age` would add its own staleness on top). An anonymous POST
  is `no-cache`.
- **Errors and refusals** (any `errors` entry, any status other than 200, a persisted query the
  server does not know): `no-store`, no ETag, never a 304. A 304 says "what you hold is still
  the answer"; an error may be gone on the next try (UNAVAILABLE, RATE_LIMITED, a hash that the
  client is about to register), and must not be kept at all.
- **Vary: Accept, Authorization** on every cacheable answer: the media type follows `Accept`,
  and a shared cache must never hand an anonymous answer to a request with a token.
"""

from __future__ import annotations

import functools
import hashlib
import re

from starlette.requests import Request
from starlette.responses import Response

JSON_TYPES = (b"application/json", b"application/graphql-response+json")
PRIVATE = "private, no-cache"
PUBLIC = "public, no-cache"
ANONYMOUS_POST = "no-cache"
NO_STORE = "no-store"
VARY = ("Accept", "Authorization")
# Whether the executed result had errors: `GraphQLView.process_result` records it per request.
ERRORS_STATE = "graphql_errors"
_TAG = re.compile(r'(?:W/)?"([^"]*)"')
_REPLACED = (b"etag", b"cache-control", b"vary")


def etag_of(body: bytes, content_type: str) -> str:
    """The strong ETag of a GraphQL answer: a digest of its body and its content-type (two
    representations of one answer differ in their media type), 128 bits of SHA-256."""
    digest = hashlib.sha256(content_type.encode() + b"\n" + body).hexdigest()
    return f'"{digest[:32]}"'


def finish(request: Request, response: Response, *, refused: bool = False) -> Response:
    """`response` with its caching headers; a 304 in its place when the client holds it.

    On every answer, so it reads and writes the raw header lists once each (Starlette's header
    views scan and encode on every access)."""
    content_type = etag = vary = b""
    for name, value in response.raw_headers:
        if name == b"content-type":
            content_type = value
        elif name == b"etag":
            etag = value
        elif name == b"vary":
            vary = value
    if not content_type.startswith(JSON_TYPES):
        return response  # GraphiQL's page
    errors = request.scope.get("state", {}).get(ERRORS_STATE, False)
    if refused or errors or response.status_code != 200:
        response.raw_headers = [*_without_caching(response), (b"cache-control", NO_STORE.encode())]
        return response
    credentials = if_none_match = None
    for name, value in request.scope["headers"]:
        if name in (b"authorization", b"cookie"):
            credentials = value
        elif name == b"if-none-match":
            if_none_match = value
    if not etag:
        etag = etag_of(bytes(response.body), content_type.decode("latin-1")).encode()
    if credentials is not None:
        cache_control = PRIVATE
    else:
        cache_control = PUBLIC if request.method in ("GET", "HEAD") else ANONYMOUS_POST
    caching = [
        (b"etag", etag),
        (b"cache-control", cache_control.encode()),
        (b"vary", _vary(vary)),
    ]
    if (
        if_none_match is not None
        and request.method in ("GET", "HEAD")
        and (
            if_none_match == etag  # what a client sends back, most of the time
            or matches(if_none_match.decode("latin-1"), etag.decode("latin-1"))
        )
    ):
        return not_modified(caching)
    response.raw_headers = [*_without_caching(response), *caching]
    return response


def _without_caching(response: Response) -> list[tuple[bytes, bytes]]:
    return [header for header in response.raw_headers if header[0] not in _REPLACED]


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an `If-None-Match` field value names `etag`: `*`, or a list of entity tags
    compared weakly (RFC 9110 §13.1.2: `W/"x"` matches `"x"`)."""
    if if_none_match is None:
        return False
    if if_none_match.strip() == "*":
        return True
    ours = _TAG.fullmatch(etag)
    if ours is None:
        return False
    return ours.group(1) in _TAG.findall(if_none_match)


def not_modified(headers: list[tuple[bytes, bytes]]) -> Response:
    """304 with no body, and the validator and caching headers the 200 would have carried."""
    response = Response(status_code=304)
    response.raw_headers = list(headers)
    return response


@functools.lru_cache(maxsize=64)
def _vary(present: bytes) -> bytes:
    """`present` (a Vary value, maybe empty) with VARY's names added where missing."""
    names = [v.strip() for v in present.decode("latin-1").split(",") if v.strip()]
    lowered = {v.lower() for v in names}
    added = [*names, *(name for name in VARY if name.lower() not in lowered)]
    return ", ".join(added).encode("latin-1")
