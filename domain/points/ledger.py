"""The points ledger, read side: a member's entries, newest first.

Entries are written only by the award chain (`domain.pipeline.chain.Chain.post`), for awards and
for one-member postings alike (`domain.pipeline.posting.post`): the ledger is append-only, a
correction is a new entry, and the balance is the sum of the entries.
"""

from __future__ import annotations

from domain.infra import keyset
from domain.models import LedgerEntry


async def history(member_id: str, first: int, before_id: int | None) -> list[LedgerEntry]:
    """Newest first, keyset-paginated by id (`domain.infra.keyset.history`)."""
    return await keyset.history(LedgerEntry.filter(member_id=member_id), first, before_id)
