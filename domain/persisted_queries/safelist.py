"""The safelist: the documents registered ahead with `plaudit persisted-queries add`.

The `persisted_query` table is the truth. Each API process keeps a copy (`Safelist`) and checks
at most once a second whether the table changed, with one small query (`SELECT COUNT(*),
MAX(id)`: ids are never reused, on SQLite (AUTOINCREMENT) as on PostgreSQL, so every add or
remove changes the pair), reloading the rows only when it did. An `add` on one host therefore
reaches every running API process within about a second, without a restart and without Redis.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise import connections

from domain.infra import outages
from domain.infra.db import transaction
from domain.models import PersistedQuery
from domain.persisted_queries.documents import Operation

CHECK_EVERY_S = 1.0


class SafelistUnavailable(Exception):
    """The safelist could never be read (the database is down since this process started)."""


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    type: str
    body: str
    canonical: str
    created_at: datetime


async def add(operations: Sequence[Operation], now: datetime) -> tuple[list[Operation], int]:
    """Register `operations` (one transaction); returns those that were new, and how many were
    registered already (by hash: adding a document twice changes nothing)."""
    unique = list({operation.id: operation for operation in operations}.values())
    async with transaction():
        hashes = await PersistedQuery.filter(hash__in=[o.id for o in unique]).values_list(
            "hash", flat=True
        )
        known = {str(sha256) for sha256 in hashes}
        new = [operation for operation in unique if operation.id not in known]
        if new:
            await PersistedQuery.bulk_create(
                [
                    PersistedQuery(
                        hash=operation.id,
                        canonical_hash=operation.canonical,
                        name=operation.name[:200],
                        operation_type=operation.type,
                        body=operation.body,
                        created_at=now,
                    )
                    for operation in new
                ]
            )
    return new, len(unique) - len(new)


async def remove(selectors: Sequence[str]) -> list[Entry]:
    """Remove the entries whose hash or operation name is one of `selectors`; returns them."""
    async with transaction():
        rows = await PersistedQuery.filter(hash__in=list(selectors)).all()
        rows += await PersistedQuery.filter(name__in=list(selectors)).exclude(
            id__in=[row.id for row in rows]
        )
        if rows:
            await PersistedQuery.filter(id__in=[row.id for row in rows]).delete()
    return [_entry(row) for row in rows]


async def entries() -> list[Entry]:
    """Every entry, by operation name then hash."""
    return [_entry(row) for row in await PersistedQuery.all().order_by("name", "hash")]


def _entry(row: PersistedQuery) -> Entry:
    return Entry(
        row.hash, row.name, row.operation_type, row.body, row.canonical_hash, row.created_at
    )


@dataclass(frozen=True)
class Snapshot:
    """One process's copy of the safelist: bodies by hash, and by canonical hash."""

    by_hash: Mapping[str, str]
    by_canonical: Mapping[str, str]
    fingerprint: tuple[int, int]

    def __len__(self) -> int:
        return len(self.by_hash)


EMPTY = Snapshot({}, {}, (0, 0))


class Safelist:
    """The process's copy of the table, checked at most every `check_every_s` seconds (the
    check waits on the database only in the one request that makes it)."""

    def __init__(
        self,
        *,
        check_every_s: float = CHECK_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.check_every_s = check_every_s
        self.clock = clock
        self._snapshot: Snapshot | None = None
        self._checked_at = -math.inf
        self._lock = asyncio.Lock()

    def _fresh(self) -> bool:
        return self._snapshot is not None and self.clock() - self._checked_at < self.check_every_s

    async def current(self) -> Snapshot:
        """The safelist as of at most `check_every_s` ago. While the database is down the last
        copy serves; `SafelistUnavailable` when there never was one."""
        if self._fresh():
            assert self._snapshot is not None
            return self._snapshot
        async with self._lock:
            if not self._fresh():
                await self._refresh()
            assert self._snapshot is not None
            return self._snapshot

    async def _refresh(self) -> None:
        try:
            connection = connections.get("default")
            [row] = await connection.execute_query_dict(
                "SELECT COUNT(*) AS n, MAX(id) AS top FROM persisted_query"
            )
            fingerprint = (int(row["n"] or 0), int(row["top"] or 0))
            if self._snapshot is None or fingerprint != self._snapshot.fingerprint:
                self._snapshot = await _load()
        except Exception as exc:
            if not outages.is_outage(exc):
                raise
            outages.database.failed(exc)
            if self._snapshot is None:
                raise SafelistUnavailable(str(exc)) from exc
        self._checked_at = self.clock()


async def _load() -> Snapshot:
    rows = await PersistedQuery.all().values_list("id", "hash", "canonical_hash", "body")
    by_hash = {str(hash_): str(body) for _, hash_, _, body in rows}
    by_canonical = {str(canonical): str(body) for _, _, canonical, body in rows}
    top = max((int(id_) for id_, *_ in rows), default=0)
    return Snapshot(by_hash, by_canonical, (len(rows), top))
