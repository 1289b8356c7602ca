"""Members' challenge participations: one query per batch, whatever the number of challenges."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from domain.goals import progress


async def _load_participations(ids: Sequence[str]) -> list[list[progress.Participation]]:
    found = await progress.participations(ids)
    return [found.get(i, []) for i in ids]


class ChallengeLoaders:
    def __init__(self) -> None:
        # Every participation of a member; `Member.challenges(status)` filters them, so one
        # load serves any status asked for in the same request.
        self.participations: DataLoader[str, list[progress.Participation]] = DataLoader(
            load_fn=_load_participations
        )
