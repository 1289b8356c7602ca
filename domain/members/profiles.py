"""Public member profiles (name, avatar) for leaderboards, cached briefly in each process.

A leaderboard page shows the same few members to everybody; loading them from the database on
every read was a fifth of a top-10 request's cost. Profiles change rarely, and a rename showing
on boards a few seconds late is harmless, so each process keeps them for `TTL_SECONDS`
(a rename through this process is visible at once).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise import connections

from domain.infra.db import dialect
from domain.leaderboards.store import invalidate_read_caches
from domain.models import Member

TTL_SECONDS = 5.0
MAX_PROFILES = 100_000


@dataclass(frozen=True)
class PublicProfile:
    member_id: str
    display_name: str
    avatar_url: str | None


class _ProfileCache:
    def __init__(self) -> None:
        self._entries: OrderedDict[str, tuple[float, PublicProfile]] = OrderedDict()

    def get(self, member_id: str, now: float) -> PublicProfile | None:
        entry = self._entries.get(member_id)
        if entry is None or entry[0] < now:
            return None
        return entry[1]

    def put(self, profile: PublicProfile, now: float) -> None:
        self._entries[profile.member_id] = (now + TTL_SECONDS, profile)
        self._entries.move_to_end(profile.member_id)
        while len(self._entries) > MAX_PROFILES:
            self._entries.popitem(last=False)

    def forget(self, member_id: str) -> None:
        self._entries.pop(member_id, None)
        invalidate_read_caches()  # cached leaderboard pages show the old profile

    def clear(self) -> None:
        self._entries.clear()
        invalidate_read_caches()


cache = _ProfileCache()


async def public_profiles(member_ids: Sequence[str]) -> list[PublicProfile | None]:
    """Profiles in the order asked; None for ids that are not members. One query for misses."""
    now = time.monotonic()
    found = {m: p for m in member_ids if (p := cache.get(m, now)) is not None}
    missing = [m for m in dict.fromkeys(member_ids) if m not in found]
    if missing:
        for member_id, display_name, avatar_url in await _load(missing):
            profile = PublicProfile(str(member_id), str(display_name), avatar_url)
            cache.put(profile, now)
            found[profile.member_id] = profile
    return [found.get(m) for m in member_ids]


async def _load(member_ids: list[str]) -> list[tuple[object, object, str | None]]:
    """One raw statement: on a random `around` at a million members every profile misses the
    cache, and building the ORM query cost more than running it."""
    table = Member._meta.db_table
    values: list[Any]
    if dialect() == "postgres":
        where, values = "id = ANY($1)", [member_ids]
    else:
        where, values = f"id IN ({', '.join('?' * len(member_ids))})", list(member_ids)
    sql = f'SELECT id, display_name, avatar_url FROM "{table}" WHERE {where}'
    _, rows = await connections.get("default").execute_query(sql, values)
    return [(row["id"], row["display_name"], row["avatar_url"]) for row in rows]
