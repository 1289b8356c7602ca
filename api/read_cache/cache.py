"""The member read cache's two steps around an HTTP request: `look_up` before executing, `keep`
after (`api.http.GraphQLView.run` calls them)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import Response
from strawberry.http import GraphQLRequestData

from api import http_caching
from api.auth import AuthenticationFailed, Role, TokenVerifier
from api.context import Context
from api.guards.refusals import GRAPHQL_RESPONSE, JSON, negotiate
from api.read_cache.boundaries import valid_until
from api.read_cache.documents import Plan, plan_of
from api.read_cache.entries import Entry, decode, gzip_etag, microseconds
from api.read_cache.fingerprint import fingerprint
from domain.infra import metrics
from domain.infra.read_versions import ReadVersions, Snapshot
from domain.runtime import Runtime

# The valid-until of an answer that no moment changes (its TTL still ends it).
NEVER = 2**62
# The content-type each negotiated media type is sent with (`GraphQLView.create_response`).
CONTENT_TYPES = {JSON: JSON, GRAPHQL_RESPONSE: f"{GRAPHQL_RESPONSE}; charset=utf-8"}


class View(Protocol):
    """What the cache needs of the GraphQL view (`api.http.GraphQLView`)."""

    verifier: TokenVerifier

    def request_adapter_class(self, request: Request) -> Any: ...

    def should_render_graphql_ide(self, request: Any) -> bool: ...

    async def parse_http_body(self, request_adapter: Any) -> Any: ...

    async def count_request(self, request: Request, request_data: Any) -> None: ...


@dataclass(frozen=True)
class Pending:
    """A miss to store once executed: under these versions, if it has no errors."""

    member_id: str
    digest: str
    plan: Plan
    member: bytes
    program: bytes


@dataclass(frozen=True)
class Lookup:
    """`response`: the cached answer (send it); else `pending` says what to store, if anything
    (None: execute as usual and store nothing)."""

    response: Response | None = None
    pending: Pending | None = None


PASS = Lookup()


class ReadCache:
    def __init__(self, runtime: Runtime, versions: ReadVersions) -> None:
        self.runtime = runtime
        self.versions = versions
        self._fingerprint = (runtime.settings, fingerprint(runtime.settings))
        self.max_ttl_ms = runtime.settings.read_cache_ttl_seconds * 1000

    @property
    def fingerprint(self) -> bytes:
        """Of the runtime's settings as they are now (tests replace them; a process does not)."""
        settings = self._fingerprint[0]
        if self.runtime.settings is not settings:
            self._fingerprint = (self.runtime.settings, fingerprint(self.runtime.settings))
        return self._fingerprint[1]

    async def look_up(self, view: View, request: Request) -> Lookup:
        """Find this request's answer in the cache: at most one Redis round trip, no SQL, no
        execution. Only a MEMBER's queries of cacheable documents (`plan_of`) are looked up;
        everything else passes (runs as it always did). Raises what parsing the request or
        its rate limits raise, as executing it would."""
        authorization = request.headers.get("authorization")
        if not authorization or request.method not in ("GET", "POST"):
            return PASS
        try:
            viewer = view.verifier.viewer_from_header(authorization)
        except AuthenticationFailed:
            return PASS  # refused as usual
        if viewer is None or viewer.role is not Role.MEMBER:
            return PASS
        adapter = view.request_adapter_class(request)
        if request.method == "GET" and view.should_render_graphql_ide(adapter):
            return PASS
        data = await view.parse_http_body(adapter)
        if not isinstance(data, GraphQLRequestData) or not isinstance(data.query, str):
            return PASS
        if set(data.extensions or ()) - {"persistedQuery"}:
            return PASS  # extensions could change how it runs
        plan = plan_of(data.query, data.operation_name)
        if plan is None:
            return PASS
        # Rate limits first: an answer from the cache counts against them as any other.
        await view.count_request(request, data)
        directives = _cache_control(request)
        if "no-store" in directives:
            _observe("bypass")
            return PASS  # execute, and keep nothing
        digest = self._digest(viewer.subject, data)
        fresh = "no-cache" in directives  # the client wants it computed again
        snapshot = await self.versions.snapshot(viewer.subject, None if fresh else digest)
        if snapshot is None:
            _observe("unavailable")
            return PASS  # Redis failed: uncached
        if snapshot.writing:
            _observe("writing")
            return PASS  # a writer of this member is between its mark and its end
        if snapshot.entry is not None:
            entry = decode(snapshot.entry)
            now = self.runtime.clock()
            if entry is not None and entry.valid_at(snapshot.member, snapshot.program, now):
                _observe("hit")
                return Lookup(response=_response(request, entry))
        if not snapshot.storable:
            settled = await self.versions.versions(viewer.subject)
            if settled is None or not settled.storable:
                _observe("writing" if settled is not None else "unavailable")
                return PASS
            snapshot = settled
        _observe("miss")
        return Lookup(pending=_pending(viewer.subject, digest, plan, snapshot))

    async def keep(
        self, pending: Pending, request: Request, response: Response, context: Context
    ) -> Response:
        """Store an executed answer that had no errors, until its valid-until (at most the
        configured TTL); the versions are those read before it ran. Returns the response to
        send: once stored, as a hit of it will be sent (the same representation and ETag)."""
        state = request.scope.get("state", {})
        if response.status_code != 200 or state.get(http_caching.ERRORS_STATE, True):
            return response
        body = bytes(response.body)
        until = await valid_until(context, volatile=pending.plan.volatile)
        ttl_ms = self.max_ttl_ms
        if until is not None:
            ttl_ms = min((microseconds(until) - microseconds(context.now)) // 1000, ttl_ms)
        if ttl_ms <= 0:
            return response  # changes within the millisecond
        etags = (
            http_caching.etag_of(body, CONTENT_TYPES[JSON]),
            http_caching.etag_of(body, CONTENT_TYPES[GRAPHQL_RESPONSE]),
        )
        until_us = microseconds(until) if until is not None else NEVER
        entry = Entry.of(pending.member, pending.program, until_us, etags, body)
        kept = await self.versions.store(
            pending.member_id, pending.digest, pending.member, entry.encode(), ttl_ms
        )
        return _response(request, entry, body) if kept else response

    def _digest(self, subject: str, data: GraphQLRequestData) -> str:
        """The entry's name within the member's keys: the code and settings, the viewer, the
        document, the operation and the variables (canonical JSON)."""
        variables = json.dumps(
            data.variables or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        digest = hashlib.sha256(self.fingerprint)
        for part in (subject, data.query or "", data.operation_name or "", variables):
            digest.update(b"\0" + part.encode())
        return digest.hexdigest()[:32]


def _pending(member_id: str, digest: str, plan: Plan, snapshot: Snapshot) -> Pending:
    assert snapshot.member is not None and snapshot.program is not None
    return Pending(member_id, digest, plan, snapshot.member, snapshot.program)


def _response(request: Request, entry: Entry, body: bytes | None = None) -> Response:
    """The stored answer as the executed one is sent, in the negotiated content-type with the
    ETag `http_caching` would compute for it; gzipped as stored (with its own ETag) when the
    client accepts that. `body`: the uncompressed body, when at hand."""
    headers = request.headers
    media_type = negotiate(headers.get("accept"))
    etag = entry.etag_graphql if media_type == GRAPHQL_RESPONSE else entry.etag_json
    if accepts_gzip(headers.get("accept-encoding")):
        response = Response(entry.gzipped, media_type=CONTENT_TYPES[media_type])
        response.headers["content-encoding"] = "gzip"
        etag = gzip_etag(etag)
    elif body is None and _revalidated(request, etag):
        # `http_caching.finish` answers 304 for this ETag and drops the body: not unzipped.
        response = Response(b"", media_type=CONTENT_TYPES[media_type])
    else:
        response = Response(body or entry.body(), media_type=CONTENT_TYPES[media_type])
    response.headers["etag"] = etag.decode()
    response.headers["vary"] = "Accept-Encoding"
    return response


def _revalidated(request: Request, etag: bytes) -> bool:
    """Whether the client sent back exactly this ETag on a GET (what an app does): the 304
    `http_caching.finish` gives it needs no body."""
    return request.method in ("GET", "HEAD") and request.headers.get("if-none-match") == (
        etag.decode()
    )


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether `Accept-Encoding` allows gzip (by name or `*`, with a q-value above 0)."""
    if not accept_encoding:
        return False
    for item in accept_encoding.split(","):
        coding, _, parameters = item.partition(";")
        if coding.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        quality = parameters.strip().lower()
        if quality.startswith("q="):
            try:
                return float(quality[2:]) > 0
            except ValueError:
                return False
        return True
    return False


def _cache_control(request: Request) -> set[str]:
    """The request's Cache-Control directives: `no-cache` (compute it again, and keep that)
    and `no-store` (compute it, keep nothing) are honoured."""
    raw = request.headers.get("cache-control")
    if not raw:
        return set()
    return {part.strip().lower() for part in raw.split(",")}


def _observe(outcome: str) -> None:
    metrics.observe_read_cache(outcome)
