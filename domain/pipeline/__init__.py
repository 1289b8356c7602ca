"""The award pipeline: interactions in batches, decided in memory, written once per table.

A worker claims PENDING interactions (`batch.claim`), locks their members, and loads what the
batch can touch in a handful of set-based reads (`state.load`). The award chain (`chain`) then
decides every interaction with the pure rules of `gamification/`, each member's in `occurredAt`
order, against that in-memory state, and leaves what changed in a `Changes` buffer, which is
written with one multi-row statement per table (`writes`) and committed once. After the commit
the new scores are projected to Redis and the events published, one round trip each.

Admin credits, hand-awarded badges, backfills and spending go through the same `Session`, with
one member (`posting.post` for spending, refunds and expiry): there is one award chain, whatever
started it. The activity counters it keeps are read back through `activity`.

The webhook messages of a session (`messages`) are derived from its changes and written with
them, in the same transaction.

May import `domain.members`, `domain.leaderboards`, `domain.program`, `domain.outbox`,
`domain.infra`, `domain.runtime`, `domain.models`, `domain.errors` and `gamification`; the
features import it, never the reverse.
"""

from domain.pipeline.batch import award_claimed, drain, process_ids
from domain.pipeline.session import Session

__all__ = ["Session", "award_claimed", "drain", "process_ids"]
