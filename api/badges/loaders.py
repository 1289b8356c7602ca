"""Badges by key and members' badge standings: a fixed number of queries per batch."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from domain import progress
from domain.models import Badge, Member


async def _load_badges(keys: Sequence[str]) -> list[Badge | None]:
    found = await progress.badges_by_key(keys)
    return [found.get(key) for key in keys]


class BadgeLoaders:
    def __init__(self) -> None:
        self._lifetimes: dict[str, int] = {}
        self.by_key: DataLoader[str, Badge | None] = DataLoader(load_fn=_load_badges)
        self.standings: DataLoader[str, list[progress.BadgeStanding]] = DataLoader(
            load_fn=self._load_standings
        )

    async def standings_of(self, member: Member) -> list[progress.BadgeStanding]:
        """Progress toward POINTS_EARNED goals reads the member's lifetime points, as loaded."""
        self._lifetimes[member.id] = member.lifetime
        return await self.standings.load(member.id)

    async def _load_standings(self, ids: Sequence[str]) -> list[list[progress.BadgeStanding]]:
        found = await progress.badge_standings({i: self._lifetimes.get(i, 0) for i in ids})
        return [found[i] for i in ids]
