"""Members' challenge participations: one query per batch, whatever the number of challenges."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from domain.goals import progress


async def _load_participations(ids: Sequence[str]) -> list[list[progress.ChallengeRows]]:
    found = await progress.participations(ids)
    return [found.get(i, []) for i in ids]


class ChallengeLoaders:
    def __init__(self) -> None:
        # Every participant row of a member (a repeating challenge's rounds too), by challenge;
        # `Member.challenges(status)` picks the current round and filters, so one load serves
        # any status asked for in the same request, and the hidden challenges' visibility.
        self.participations: DataLoader[str, list[progress.ChallengeRows]] = DataLoader(
            load_fn=_load_participations
        )
