"""The member read cache: whole GraphQL answers of a MEMBER's queries over HTTP, per member.

Mobile apps read the progress screen on every start and after every action, and nothing has
changed for the member most of those times. This package answers such a read from Redis, the
body exactly as the executed answer sent it, in one round trip: no execution, no SQL, no JSON.

- What: queries (never mutations) of a MEMBER token whose root fields are the member's own
  data and the program's definitions (`documents.ROOTS`), answered without errors. The key is
  the viewer, the document, the operation name and the variables, plus the code and settings
  (`fingerprint`): nothing is ever shared between viewers.
- Until: a write that changes what the member sees (their version), a change of the program's
  definitions (the program's version), or the next moment the answer changes by time alone
  (`boundaries`). `domain.infra.read_versions` holds the versions and the protocol that makes
  reads see writes at once; a document that selects a field depending on other members
  (`volatile`) is kept at most a second.
- Where: `api.http.GraphQLView.run` (`ReadCache.look_up` before, `ReadCache.keep` after),
  after persisted queries and rate limits, before HTTP caching (`api.http_caching`).
- A client's `Cache-Control: no-cache` recomputes the answer (and keeps the new one);
  `no-store` recomputes it and keeps nothing. `PLAUDIT_READ_CACHE=false` turns the cache off.
"""
