"""Persisted queries: documents known by the SHA-256 of their text.

- `documents`: GraphQL text as Apollo Client hashes it (graphql-js 16's printer, `__typename`
  added, definitions sorted), operations out of `.graphql` files and Apollo manifests;
- `safelist`: the `persisted_query` table (`plaudit persisted-queries add|list|remove`), the
  truth of `PLAUDIT_PERSISTED_QUERIES=only`, and each process's copy of it, refreshed within a
  second of a change;
- `registry`: Apollo's automatic persisted queries, the documents clients register themselves:
  a cache in Redis (bounded, expiring) behind an in-process LRU, which clients refill.

Imports `domain.models` and `domain.infra` only; nothing else in `domain/` reads it (the API's
HTTP view does).
"""
