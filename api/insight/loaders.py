"""Members' insight rows (latest refresh) and the fits they were scored with, batched per
request: one query whatever the number of members a page shows."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from domain import insight_reads
from domain.models import ChurnFit, MemberInsight


class InsightLoaders:
    def __init__(self) -> None:
        self.rows: DataLoader[str, MemberInsight | None] = DataLoader(load_fn=self._rows)
        self.fits: DataLoader[str, ChurnFit | None] = DataLoader(load_fn=self._fits)

    async def _rows(self, member_ids: Sequence[str]) -> list[MemberInsight | None]:
        found = await insight_reads.of_members(member_ids)
        return [found.get(member_id) for member_id in member_ids]

    async def _fits(self, dates: Sequence[str]) -> list[ChurnFit | None]:
        fits = {fit.as_of: fit for fit in await ChurnFit.filter(as_of__in=list(dates))}
        return [fits.get(as_of) for as_of in dates]
