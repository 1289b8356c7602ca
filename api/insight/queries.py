from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from api.auth import Role
from api.context import Info
from api.insight.types import ChurnModel, ChurnRisk, RfmSegment, SegmentCount
from api.members.types import Member
from api.pagination import PageInfo, clamp_first, decode_id_cursor, encode_id_cursor
from api.permissions import Requires
from domain.insight import reads as insight_reads
from domain.insight import refresh as insight
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


def _local_date(info: Info, moment: datetime | None) -> datetime:
    tz = info.context.runtime.settings.tz
    return (moment or datetime.now(UTC)).astimezone(tz)


@strawberry.type
class InsightQueries:
    @strawberry.field(
        extensions=[Requires(Role.ADMIN)],
        description="The latest fit at or before `asOf` (default: now), fitting afresh when none "
        "is stored for that date.",
    )
    async def churn_model(self, info: Info, as_of: datetime | None = None) -> ChurnModel | None:
        settings = info.context.runtime.settings
        day = _local_date(info, as_of).date()
        fit = await insight_reads.fit_of(day.isoformat())
        if fit is None:
            await insight.refresh(settings, day)
            fit = await insight_reads.latest_fit(day)
        return ChurnModel.of(fit, settings.tz) if fit is not None else None

    @strawberry.field(
        extensions=[Requires(Role.ADMIN)],
        description="Members per segment as of the latest refresh at or before `asOf`.",
    )
    async def segments(self, info: Info, as_of: datetime | None = None) -> list[SegmentCount]:
        latest = await insight_reads.latest_refresh(_local_date(info, as_of).date())
        if latest is None:
            return []
        return [
            SegmentCount(segment=Segment(c.segment), members=c.members, share=c.share)
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
