"""A request's reads of leaderboards, in one Redis round trip per board.

`leaderboard` reads ahead what the document selects of the board (`api.leaderboards.lookahead`)
in one script call and primes the loader with the answers (`prefetch`): the fields then resolve
from those, without a batch to wait for. A read nobody foresaw still goes through the loader,
which batches whatever a request resolves together into one script call per board.
"""

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

    async def prefetch(self, key: BoardKey, reads: Sequence[BoardRead]) -> None:
        """Read `reads` of one board in one script call and keep the answers for the request."""
        wanted = list(dict.fromkeys(reads))
        if not wanted:
            return
        answers = await self._store().read(key, wanted)
        for read, answer in zip(wanted, answers, strict=True):
            self.reads.prime((key, read), answer)

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
