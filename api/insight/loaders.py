"""Members' insight rows (latest refresh), the fits they were scored with, and campaigns'
draw counts, batched per request: one query whatever the number of items a page shows."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader
from tortoise.functions import Count

from domain.insight import reads as insight_reads
from domain.models import CampaignMember, ChurnFit, MemberInsight


class InsightLoaders:
    def __init__(self) -> None:
        self.rows: DataLoader[str, MemberInsight | None] = DataLoader(load_fn=self._rows)
        self.fits: DataLoader[str, ChurnFit | None] = DataLoader(load_fn=self._fits)
        # Per campaign id: (treated, held out), one grouped count for a whole list.
        self.draws: DataLoader[int, tuple[int, int]] = DataLoader(load_fn=self._draws)

    async def _rows(self, member_ids: Sequence[str]) -> list[MemberInsight | None]:
        found = await insight_reads.of_members(member_ids)
        return [found.get(member_id) for member_id in member_ids]

    async def _fits(self, dates: Sequence[str]) -> list[ChurnFit | None]:
        fits = {fit.as_of: fit for fit in await ChurnFit.filter(as_of__in=list(dates))}
        return [fits.get(as_of) for as_of in dates]

    async def _draws(self, campaign_ids: Sequence[int]) -> list[tuple[int, int]]:
        rows = (
            await CampaignMember.filter(campaign_id__in=list(campaign_ids))
            .annotate(count=Count("id"))
            .group_by("campaign_id", "held_out")
            .values_list("campaign_id", "held_out", "count")
        )
        counts = {(int(c), bool(h)): int(n) for c, h, n in rows}
        return [(counts.get((c, False), 0), counts.get((c, True), 0)) for c in campaign_ids]
