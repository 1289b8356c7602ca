"""Persisted queries at the edge: Apollo's `extensions.persistedQuery`, and the safelist.

Apollo Client's persisted-query link sends `extensions: {persistedQuery: {version: 1,
sha256Hash}}` without the query (over GET with `useGETForHashedQueries`: the extensions as a
JSON query parameter). `PersistedQueries.resolve` turns such a request into a plain one, before
rate limits, caches and execution see it:

- a known hash gets its document (in-process LRU, then the safelist, then Redis:
  `domain.persisted_queries.registry`);
- an unknown one is answered `{"errors": [{"message": "PersistedQueryNotFound", "extensions":
  {"code": "PERSISTED_QUERY_NOT_FOUND"}}]}` with HTTP 200, exactly as Apollo Server answers
  it, so that the link sends the query again with its hash (it gives up on a 400 in Apollo
  Client 3). That retry registers the document once it has run without a request error
  (`register`), after its hash was checked: a hash that is not the query's SHA-256 is refused
  (PERSISTED_QUERY_HASH_MISMATCH, 400) and nothing is registered or run;
- a malformed `persistedQuery` (not an object, a version other than 1, a hash that is not 64
  lowercase hex digits) is a 400 BAD_REQUEST saying which.

`PLAUDIT_PERSISTED_QUERIES` picks the mode. `auto` (the default) is the above, and plain
documents run as ever. `only` runs nothing but the safelist (`plaudit persisted-queries add`):
a document is allowed by its hash or by its full text (the text's SHA-256, or its canonical
form's, is on the list), anything else is refused with PERSISTED_QUERY_NOT_ALLOWED, and clients
register nothing (a hash of the list's documents printed differently is remembered in-process
once its text was allowed). Introspection and GraphiQL's documents are refused like any other:
`only` is for servers that only first-party apps call. `off` answers any persisted query with
PERSISTED_QUERY_NOT_SUPPORTED (HTTP 200), on which Apollo Client sends full queries for good.

The same rules apply to a WebSocket `subscribe` (its `extensions` and `query`), which never
registers anything.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cross_web import HTTPException
from graphql import GraphQLError, GraphQLSchema, parse, validate

from api.schema import MAX_TOKENS
from domain.errors import ErrorCode
from domain.persisted_queries.documents import canonical_hash, sha256_hex
from domain.persisted_queries.registry import MAX_DOCUMENT_BYTES, Registry
from domain.persisted_queries.safelist import Safelist, SafelistUnavailable, Snapshot

log = logging.getLogger("plaudit.persisted_queries")

MODES = ("auto", "only", "off")
VERSION = 1
_SHA256 = re.compile(r"[0-9a-f]{64}")
ALIASES = 1024  # client hashes of safelisted documents printed another way, per process
CANONICAL_CACHE = 4096  # canonical hashes of texts checked against the safelist, per process
NOT_FOUND = "PersistedQueryNotFound"  # the messages Apollo Client looks for
NOT_SUPPORTED = "PersistedQueryNotSupported"
NOT_ALLOWED = (
    "this server runs only registered documents (PLAUDIT_PERSISTED_QUERIES=only): register "
    "this one with `plaudit persisted-queries add FILE`"
)
MISMATCH = "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it"


class Refused(HTTPException):
    """A persisted-query refusal, answered before anything runs, with its code and status."""

    def __init__(self, status: int, message: str, code: ErrorCode) -> None:
        super().__init__(status, message)
        self.code = code


def _bad(message: str) -> Refused:
    return Refused(400, message, ErrorCode.BAD_REQUEST)


@dataclass(frozen=True)
class Resolved:
    """What a request runs: its document (None: it sent none) and, when it registers one, the
    hash to register it under once it ran."""

    query: str | None
    register: str | None = None


class PersistedQueries:
    """The persisted queries of one API process: the mode, the safelist copy, the registry."""

    def __init__(
        self, mode: str, registry: Registry, safelist: Safelist, schema: GraphQLSchema
    ) -> None:
        assert mode in MODES, mode
        self.mode = mode
        self.registry = registry
        self.safelist = safelist
        self.schema = schema
        # A client's hash of a safelisted document it prints its own way: (text, canonical hash).
        self.aliases: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self.canonical: OrderedDict[str, str | None] = OrderedDict()

    async def resolve(
        self, query: str | None, extensions: Mapping[str, Any] | None, *, may_register: bool
    ) -> Resolved:
        """The document this request runs, or `Refused`. `may_register`: over HTTP (a WebSocket
        operation never registers)."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            if self.mode == "only" and query is not None:
                await self._allowed(query, None)
            return Resolved(query)
        if self.mode == "off":
            raise Refused(200, NOT_SUPPORTED, ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED)
        sha256 = _checked(persisted)
        if query is None:
            return Resolved(await self._lookup(sha256))
        if sha256_hex(query) != sha256:
            raise Refused(400, MISMATCH, ErrorCode.PERSISTED_QUERY_HASH_MISMATCH)
        if self.mode == "only":
            await self._allowed(query, sha256)
            return Resolved(query)
        known = sha256 in self.registry.local
        return Resolved(query, register=None if known or not may_register else sha256)

    async def register(self, sha256: str, query: str) -> None:
        """Register `query` (whose hash was checked) once it ran: only a document that parses
        and validates is kept, as Apollo Server does (nor one over the registry's size limit)."""
        if len(query.encode()) > MAX_DOCUMENT_BYTES:
            log.info("persisted query %s not registered: over %d bytes", sha256, MAX_DOCUMENT_BYTES)
            return
        try:
            document = parse(query, no_location=True, max_tokens=MAX_TOKENS)
        except GraphQLError:
            return
        if validate(self.schema, document):
            return
        if not await self.registry.put(sha256, query):
            log.info("persisted query %s not registered: Redis is away", sha256)

    async def _lookup(self, sha256: str) -> str:
        if self.mode == "only":
            snapshot = await self._snapshot()
            found = snapshot.by_hash.get(sha256)
            alias = self.aliases.get(sha256)
            if found is None and alias is not None and alias[1] in snapshot.by_canonical:
                found = alias[0]  # still on the list: a removal ends its aliases too
        else:
            found = self.registry.local.get(sha256) or await self._safelisted(sha256)
            found = found or await self.registry.get(sha256)
        if found is None:
            raise Refused(200, NOT_FOUND, ErrorCode.PERSISTED_QUERY_NOT_FOUND)
        return found

    async def _safelisted(self, sha256: str) -> str | None:
        """In `auto` mode the safelist answers hashes too; while it cannot be read, it doesn't."""
        try:
            return (await self.safelist.current()).by_hash.get(sha256)
        except SafelistUnavailable:
            return None

    async def _allowed(self, query: str, sha256: str | None) -> None:
        snapshot = await self._snapshot()
        digest = sha256 or sha256_hex(query)
        if digest not in snapshot.by_hash:
            canonical = self._canonical(digest, query)
            if canonical is None or canonical not in snapshot.by_canonical:
                raise Refused(400, NOT_ALLOWED, ErrorCode.PERSISTED_QUERY_NOT_ALLOWED)
            if sha256 is not None:
                self._alias(sha256, query, canonical)

    async def _snapshot(self) -> Snapshot:
        try:
            return await self.safelist.current()
        except SafelistUnavailable:
            raise Refused(
                503,
                "the safelist of persisted queries cannot be read now; retry later",
                ErrorCode.UNAVAILABLE,
            ) from None

    def _canonical(self, digest: str, query: str) -> str | None:
        """`canonical_hash(query)`, remembered by the text's digest (never by the text: a
        client's documents may be large), for CANONICAL_CACHE texts."""
        if digest in self.canonical:
            self.canonical.move_to_end(digest)
            return self.canonical[digest]
        found = canonical_hash(query, max_tokens=MAX_TOKENS)
        self.canonical[digest] = found
        while len(self.canonical) > CANONICAL_CACHE:
            self.canonical.popitem(last=False)
        return found

    def _alias(self, sha256: str, query: str, canonical: str) -> None:
        self.aliases[sha256] = (query, canonical)
        self.aliases.move_to_end(sha256)
        while len(self.aliases) > ALIASES:
            self.aliases.popitem(last=False)


def _checked(persisted: object) -> str:
    """The hash of a well-formed `persistedQuery` extension, or a 400 saying what is wrong."""
    if not isinstance(persisted, dict):
        raise _bad("extensions.persistedQuery must be an object: {version: 1, sha256Hash}")
    version = persisted.get("version")
    if type(version) is not int or version != VERSION:
        raise _bad(
            "Unsupported persisted query version: extensions.persistedQuery.version must be 1"
        )
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise _bad(
            "extensions.persistedQuery.sha256Hash must be the SHA-256 of the query: "
            "64 lowercase hexadecimal digits"
        )
    return sha256
