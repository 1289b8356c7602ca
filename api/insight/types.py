from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import strawberry

from api.context import Info
from domain.insight.reads import as_model
from domain.models import ChurnFit
from domain.models import MemberInsight as MemberInsightModel
from gamification import churn
from gamification.rfm import RfmSegment as Segment

RfmSegment = strawberry.enum(Segment, name="RfmSegment")
ChurnRisk = strawberry.enum(churn.ChurnRisk, name="ChurnRisk")


def day_start(as_of: str, tz: ZoneInfo) -> datetime:
    """A refresh date as the DateTime the API shows: the start of that day in the program
    time zone (the refresh counts the whole day)."""
    return datetime.combine(date.fromisoformat(as_of), time.min, tz)


@strawberry.type
class Rfm:
    recency: int = strawberry.field(description="Days since the last active day, as of `asOf`.")
    frequency: int = strawberry.field(description="Active days in the 90 days up to `asOf`.")
    monetary: int = strawberry.field(
        description="Points credited in the 90 days up to `asOf` (or the configured numeric "
        "property, summed)."
    )
    r: int = strawberry.field(
        description="Scores 1 (lowest) to 5 (best) by quintile within the program's population."
    )
    f: int
    m: int
    segment: RfmSegment  # type: ignore[valid-type]
    as_of: datetime


@strawberry.type
class MemberInsight:
    rfm: Rfm | None
    p_alive: float | None = strawberry.field(
        description="Probability that the member is still active (BG/NBD, Fader, Hardie and "
        "Lee 2005)."
    )
    churn_risk: ChurnRisk | None  # type: ignore[valid-type]
    as_of: datetime | None
    _row: strawberry.Private[MemberInsightModel]

    @classmethod
    def of(cls, row: MemberInsightModel, tz: ZoneInfo) -> MemberInsight:
        moment = day_start(row.as_of, tz)
        rfm = Rfm(
            recency=row.recency,
            frequency=row.frequency,
            monetary=min(row.monetary, 2**31 - 1),
            r=row.r,
            f=row.f,
            m=row.m,
            segment=Segment(row.segment),
            as_of=moment,
        )
        risk = churn.ChurnRisk(row.churn_risk) if row.churn_risk else None
        return cls(rfm=rfm, p_alive=row.p_alive, churn_risk=risk, as_of=moment, _row=row)

    @strawberry.field(description="Expected active days in the next `days` days.")
    async def expected_active_days(self, info: Info, days: int = 30) -> float | None:
        fit = await info.context.insight.fits.load(self._row.as_of)
        if fit is None:
            return None
        days = max(0, min(days, 3650))
        row = self._row
        expected = churn.expected_transactions(
            as_model(fit), days / 7, row.repeat_days, row.weeks_to_last, row.weeks_observed
        )
        return float(expected)


@strawberry.type(
    description="BG/NBD fitted by maximum likelihood to every member's active-day history as "
    "of `asOf`, time in weeks: per member x repeat active days, t_x the week of the last one and "
    "T the weeks since the first one."
)
class ChurnModel:
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    members: int = strawberry.field(
        description="Members in the fit (those with a first active day on or before asOf)."
    )
    as_of: datetime

    @classmethod
    def of(cls, fit: ChurnFit, tz: ZoneInfo) -> ChurnModel:
        return cls(
            r=fit.r,
            alpha=fit.alpha,
            a=fit.a,
            b=fit.b,
            log_likelihood=fit.log_likelihood,
            members=fit.members,
            as_of=day_start(fit.as_of, tz),
        )


@strawberry.type
class SegmentCount:
    segment: RfmSegment  # type: ignore[valid-type]
    members: int
    share: float = strawberry.field(description="Of the members with a segment, in [0, 1].")
    as_of: datetime = strawberry.field(
        description="The refresh counted: the start of its day in the program time zone (the "
        "same for every segment of one answer)."
    )
