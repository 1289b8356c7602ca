"""Members' streaks: one query per batch, plus the program's definitions (which actions have
streak goals), read once per request with the badges' (`BadgeLoaders.definitions`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from strawberry.dataloader import DataLoader

from domain.goals import progress
from domain.program import definitions

DefinitionsOf = Callable[[], Awaitable[definitions.Definitions]]


class StreakLoaders:
    def __init__(self, definitions_of: DefinitionsOf | None = None) -> None:
        self._definitions_of = definitions_of or definitions.cache.current
        self.of_member: DataLoader[str, list[progress.StreakStanding]] = DataLoader(
            load_fn=self._load_streaks
        )

    async def _load_streaks(self, ids: Sequence[str]) -> list[list[progress.StreakStanding]]:
        found = await progress.streaks(ids, await self._definitions_of())
        return [found[i] for i in ids]
