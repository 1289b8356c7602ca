"""A request's reads of leaderboards, batched: every `size`, `entries` and `around` of one board
that a request resolves together goes to Redis as one script call (one round trip)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from domain.leaderboards.store import BoardRead, LeaderboardStore
from gamification.leaderboards import BoardKey

ReadKey = tuple[BoardKey, BoardRead]


class BoardLoaders:
    def __init__(self, store: Callable[[], LeaderboardStore]) -> None:
        # The store is looked up at load time: operations may swap the runtime's store.
        self._store = store
        self.reads: DataLoader[ReadKey, Any] = DataLoader(load_fn=self._load)

    async def _load(self, keys: Sequence[ReadKey]) -> list[Any]:
        store = self._store()
        boards: dict[BoardKey, list[int]] = {}
        for index, (board, _) in enumerate(keys):
            boards.setdefault(board, []).append(index)
        answers: list[Any] = [None] * len(keys)
        results = await asyncio.gather(
            *(store.read(board, [keys[i][1] for i in indexes]) for board, indexes in boards.items())
        )
        for indexes, found in zip(boards.values(), results, strict=True):
            for index, answer in zip(indexes, found, strict=True):
                answers[index] = answer
        return answers
