"""Members' streaks from their activity rows, read once per request with the badges' (as are
the program's definitions, which say which actions have streak goals: `BadgeLoaders`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from strawberry.dataloader import DataLoader

from domain.goals import progress
from domain.models import ActivityStats
from domain.program import definitions

DefinitionsOf = Callable[[], Awaitable[definitions.Definitions]]
# Members' activity rows, by id (`BadgeLoaders.activity.load_many`: shared with the badges).
ActivityOf = Callable[[Sequence[str]], Awaitable[list[list[ActivityStats]]]]


class StreakLoaders:
    def __init__(
        self, definitions_of: DefinitionsOf | None = None, activity_of: ActivityOf | None = None
    ) -> None:
        self._definitions_of = definitions_of or definitions.cache.current
        self._activity_of = activity_of
        self.of_member: DataLoader[str, list[progress.StreakStanding]] = DataLoader(
            load_fn=self._load_streaks
        )

    async def _load_streaks(self, ids: Sequence[str]) -> list[list[progress.StreakStanding]]:
        stats = None
        if self._activity_of is not None:
            stats = dict(zip(ids, await self._activity_of(ids), strict=True))
        found = await progress.streaks(ids, await self._definitions_of(), stats)
        return [found[i] for i in ids]
