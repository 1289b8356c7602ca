from __future__ import annotations

from datetime import date, datetime

import strawberry

from api.auth import Role
from api.context import Info
from api.insight.types import ChurnModel, ChurnRisk, RfmSegment, SegmentCount, day_start
from api.members.types import Member
from api.pagination import PageInfo, clamp_first, decode_id_cursor, encode_id_cursor
from api.permissions import Requires
from domain.insight import reads as insight_reads
from gamification.churn import ChurnRisk as Risk
from gamification.rfm import RfmSegment as Segment


@strawberry.type
class SegmentMemberEdge:
    cursor: str
    node: Member


@strawberry.type
class SegmentMemberConnection:
    edges: list[SegmentMemberEdge]
    page_info: PageInfo


def _local_day(info: Info, moment: datetime | None) -> date | None:
    """The program-time-zone day of `asOf`, or None (no bound: the latest refresh)."""
    return moment.astimezone(info.context.runtime.settings.tz).date() if moment else None


@strawberry.type
class InsightQueries:
    """Insight reads stored refreshes only: no query fits or stores anything (the nightly
    `refresh_insight` job and `plaudit insight refresh` do), so reading never moves a segment
    under a running campaign, and every answer names the refresh it comes from (`asOf`)."""

    @strawberry.field(
        extensions=[Requires(Role.ADMIN)],
        description="The latest stored fit at or before `asOf` (default: the latest of all); "
        "null when no refresh up to then has one. Reads only: fits are made by the nightly "
        "refresh and `plaudit insight refresh`.",
    )
    async def churn_model(self, info: Info, as_of: datetime | None = None) -> ChurnModel | None:
        fit = await insight_reads.latest_fit(_local_day(info, as_of))
        return ChurnModel.of(fit, info.context.runtime.settings.tz) if fit is not None else None

    @strawberry.field(
        extensions=[Requires(Role.ADMIN)],
        description="Members per segment as of the latest refresh at or before `asOf` (default: "
        "the latest of all), which each count's `asOf` names; empty before the first.",
    )
    async def segments(self, info: Info, as_of: datetime | None = None) -> list[SegmentCount]:
        latest = await insight_reads.latest_refresh(_local_day(info, as_of))
        if latest is None:
            return []
        refreshed = day_start(latest, info.context.runtime.settings.tz)
        return [
            SegmentCount(
                segment=Segment(c.segment), members=c.members, share=c.share, as_of=refreshed
            )
            for c in await insight_reads.segment_counts(latest)
        ]

    @strawberry.field(
        extensions=[Requires(Role.ADMIN)],
        description="Members of a segment and/or churn band, as of the latest refresh.",
    )
    async def segment_members(
        self,
        info: Info,
        segment: RfmSegment | None = None,  # type: ignore[valid-type]
        churn_risk: ChurnRisk | None = None,  # type: ignore[valid-type]
        first: int | None = 20,
        after: str | None = None,
    ) -> SegmentMemberConnection:
        size = clamp_first(first, 20)
        after_id = decode_id_cursor("segment-member", after)
        latest = await insight_reads.latest_refresh()
        rows = []
        if latest is not None:
            rows = await insight_reads.segment_members(
                latest,
                Segment(segment).value if segment is not None else None,
                Risk(churn_risk).value if churn_risk is not None else None,
                size,
                after_id,
            )
        edges = [
            SegmentMemberEdge(
                cursor=encode_id_cursor("segment-member", int(row.id)),
                node=Member.from_model(row.member),
            )
            for row in rows[:size]
        ]
        return SegmentMemberConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(rows) > size,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
