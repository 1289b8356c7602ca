"""Automatic persisted queries (Apollo's APQ): documents clients register by sending a query
with its SHA-256, then send by hash alone.

The registrations are a cache, not data: Apollo Client sends the full document again whenever
the server answers PERSISTED_QUERY_NOT_FOUND, so losing one costs a client one extra request
and nothing else. They therefore live in Redis (shared by every API process of the program,
under its namespace) behind an in-process LRU, never in the database; a Redis outage only turns
hash-only requests into full ones. Redis holds at most `MAX_DOCUMENTS` of at most
`MAX_DOCUMENT_BYTES` each, and forgets a document nobody fetched from it for `TTL_S`: a client
that floods registrations evicts the oldest ones, which their clients re-register.

The two keys share the hash tag `{apq}`, so the one script that registers (and trims) runs on a
single Redis Cluster slot.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from redis.asyncio import Redis

from domain.infra import outages

TTL_S = 7 * 24 * 3600
MAX_DOCUMENTS = 4096
MAX_DOCUMENT_BYTES = 32 * 1024
LOCAL_DOCUMENTS = 1024

# KEYS: documents (hash of sha256 -> text), used (sorted set of sha256 by last use).
# ARGV: sha256, text, now, ttl, max documents.
_REGISTER = """
local docs, used = KEYS[1], KEYS[2]
local now, ttl, max = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('HSET', docs, ARGV[1], ARGV[2])
redis.call('ZADD', used, now, ARGV[1])
local gone = redis.call('ZRANGEBYSCORE', used, '-inf', now - ttl)
local over = redis.call('ZCARD', used) - max
if over > 0 then
  for _, sha in ipairs(redis.call('ZRANGE', used, 0, over - 1)) do table.insert(gone, sha) end
end
for _, sha in ipairs(gone) do
  redis.call('HDEL', docs, sha)
  redis.call('ZREM', used, sha)
end
redis.call('EXPIRE', docs, ttl)
redis.call('EXPIRE', used, ttl)
return #gone
"""


class Registry:
    """The automatic registrations of one program: `get` and `put` by SHA-256 (hex)."""

    def __init__(
        self,
        redis: Redis,
        namespace: str,
        *,
        max_documents: int = MAX_DOCUMENTS,
        ttl_s: int = TTL_S,
        local_documents: int = LOCAL_DOCUMENTS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.redis = redis
        self.documents_key = f"{namespace}:{{apq}}:documents"
        self.used_key = f"{namespace}:{{apq}}:used"
        self.max_documents = max_documents
        self.ttl_s = ttl_s
        self.clock = clock
        self.local: OrderedDict[str, str] = OrderedDict()
        self.local_documents = local_documents
        self._register = redis.register_script(_REGISTER)

    async def get(self, sha256: str) -> str | None:
        """The document registered under `sha256`, or None (unknown, or Redis unreachable)."""
        document = self.local.get(sha256)
        if document is not None:
            self.local.move_to_end(sha256)
            return document
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.hget(self.documents_key, sha256)
                pipe.zadd(self.used_key, {sha256: self.clock()}, xx=True)
                found, _ = await pipe.execute()
        except Exception as exc:
            if not outages.is_outage(exc):
                raise
            outages.redis.failed(exc)
            return None
        if found is None:
            return None
        document = found.decode() if isinstance(found, bytes) else str(found)
        self._remember(sha256, document)
        return document

    async def put(self, sha256: str, document: str) -> bool:
        """Register `document` under `sha256` (the caller checked that it is its hash); False
        when it is over MAX_DOCUMENT_BYTES or Redis is unreachable (it then runs unregistered)."""
        if len(document.encode()) > MAX_DOCUMENT_BYTES:
            return False
        self._remember(sha256, document)
        try:
            await self._register(
                keys=[self.documents_key, self.used_key],
                args=[sha256, document, self.clock(), self.ttl_s, self.max_documents],
            )
        except Exception as exc:
            if not outages.is_outage(exc):
                raise
            outages.redis.failed(exc)
            return False
        return True

    def _remember(self, sha256: str, document: str) -> None:
        self.local[sha256] = document
        self.local.move_to_end(sha256)
        while len(self.local) > self.local_documents:
            self.local.popitem(last=False)
