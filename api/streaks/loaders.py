"""Members' streaks: two queries per batch."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from domain import progress


async def _load_streaks(ids: Sequence[str]) -> list[list[progress.StreakStanding]]:
    found = await progress.streaks(ids)
    return [found[i] for i in ids]


class StreakLoaders:
    def __init__(self) -> None:
        self.of_member: DataLoader[str, list[progress.StreakStanding]] = DataLoader(
            load_fn=_load_streaks
        )
