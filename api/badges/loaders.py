"""Badges by key and members' badge standings: a fixed number of queries per batch.

A request reads the program's definitions (one version row) once, whichever of its badge
fields asks first: the standings and the badges by key (a challenge's reward badge) then come
from that one snapshot of the catalog, with no query of their own. The members' activity rows
are read once for the standings and the streaks (`activity`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from domain.goals import progress
from domain.models import ActivityStats, Badge, Member
from domain.program import definitions


async def _load_earned(member_ids: Sequence[str]) -> list[set[str]]:
    found = await progress.earned_badge_keys(member_ids)
    return [found[member_id] for member_id in member_ids]


class BadgeLoaders:
    def __init__(self) -> None:
        self._members: dict[str, Member] = {}
        self._definitions: definitions.Definitions | None = None
        self._reading = asyncio.Lock()
        self.by_key: DataLoader[str, Badge | None] = DataLoader(load_fn=self._load_badges)
        self.earned: DataLoader[str, set[str]] = DataLoader(load_fn=_load_earned)
        self.standings: DataLoader[str, list[progress.BadgeStanding]] = DataLoader(
            load_fn=self._load_standings
        )
        # Members' activity rows for badges and streaks alike: whichever asks first loads them
        # (one query), the other finds them in the loader's cache.
        self.activity: DataLoader[str, list[ActivityStats]] = DataLoader(
            load_fn=self._load_activity
        )

    async def definitions(self) -> definitions.Definitions:
        """The definitions as of this request's first badge read (then the same snapshot)."""
        async with self._reading:
            if self._definitions is None:
                self._definitions = await definitions.cache.current()
            return self._definitions

    async def standings_of(self, member: Member) -> list[progress.BadgeStanding]:
        """Progress reads the member's counters (lifetime points, referrals, content) as
        loaded with the member."""
        self._members[member.id] = member
        return await self.standings.load(member.id)

    async def _load_badges(self, keys: Sequence[str]) -> list[Badge | None]:
        found = await progress.badges_by_key(keys, await self.definitions())
        return [found.get(key) for key in keys]

    async def _load_standings(self, ids: Sequence[str]) -> list[list[progress.BadgeStanding]]:
        members = {i: self._members.get(i) or Member(id=i) for i in ids}
        stats = dict(zip(ids, await self.activity.load_many(ids), strict=True))
        found = await progress.badge_standings(members, await self.definitions(), stats)
        return [found[i] for i in ids]

    async def _load_activity(self, ids: Sequence[str]) -> list[list[ActivityStats]]:
        found = await progress.activity_of(ids, await self.definitions())
        return [found.get(i, []) for i in ids]
