"""/admin/insight: segments, churn risk and campaigns, drawn. Reads only.

- The RFM grid as a heat map: members per recency and frequency score on the latest refresh,
  each cell named after its segment (`domain.insight.reads.rfm_grid`).
- Churn risk as a histogram of P(alive), with the HIGH and MEDIUM thresholds marked
  (`reads.alive_histogram`).
- Each campaign's uplift with its 95 % confidence interval, against a zero line
  (`domain.insight.campaigns.results_of`: every campaign's results in the statements of one).

Like the API, the page reads stored refreshes only and computes nothing new: it names the
refresh it shows. A fixed number of SQL statements whatever the number of members and
campaigns (one per 5,000 drawn members for the campaigns' outcomes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.console import charts, figures
from api.console.rendering import gettext_for, locale_of, render
from api.console.session import require_admin
from api.console.state import console_of
from domain.infra.settings import Settings
from domain.insight import campaigns as campaign_reads
from domain.insight import reads
from domain.models import Campaign, ChurnFit
from gamification.rfm import SCORES, RfmSegment, segment_of

BINS = 10


@dataclass(frozen=True)
class CampaignRow:
    campaign: Campaign
    status: str
    results: campaign_reads.Results


@dataclass(frozen=True)
class SegmentRow:
    segment: RfmSegment
    members: int
    share: float


@dataclass(frozen=True)
class InsightData:
    as_of: str | None  # the refresh shown (ISO date), None before the first
    fit: ChurnFit | None
    grid: dict[tuple[int, int], int]
    histogram: reads.AliveHistogram | None
    segments: list[SegmentRow]
    campaigns: list[CampaignRow]


async def insight_data(settings: Settings, now: datetime) -> InsightData:
    """Everything the page shows, in a fixed number of statements."""
    as_of = await reads.latest_refresh()
    fit = await reads.latest_fit()
    grid = await reads.rfm_grid(as_of) if as_of else {}
    histogram = await reads.alive_histogram(as_of, BINS) if as_of else None
    counts: dict[RfmSegment, int] = dict.fromkeys(RfmSegment, 0)
    for (r, f), members in grid.items():
        if r in SCORES and f in SCORES:
            counts[segment_of(r, f)] += members
    total = sum(counts.values())
    segments = [SegmentRow(s, n, n / total if total else 0.0) for s, n in counts.items()]
    listed = await campaign_reads.listing()
    outcomes = await campaign_reads.results_of(settings, listed)
    rows = [CampaignRow(c, campaign_reads.status(c, now), outcomes[c.id]) for c in listed]
    return InsightData(as_of, fit, grid, histogram, segments, rows)


def segment_names(_: Callable[[str], str]) -> dict[RfmSegment, str]:
    """The segments as program managers read them, in the page's language."""
    return {
        RfmSegment.CHAMPIONS: _("Champions"),
        RfmSegment.LOYAL: _("Loyal"),
        RfmSegment.POTENTIAL_LOYALIST: _("Potential loyalists"),
        RfmSegment.NEW: _("New"),
        RfmSegment.PROMISING: _("Promising"),
        RfmSegment.NEEDS_ATTENTION: _("Needs attention"),
        RfmSegment.ABOUT_TO_SLEEP: _("About to sleep"),
        RfmSegment.AT_RISK: _("At risk"),
        RfmSegment.CANNOT_LOSE: _("Cannot lose"),
        RfmSegment.HIBERNATING: _("Hibernating"),
        RfmSegment.LOST: _("Lost"),
    }


def verdict(_: Callable[[str], str], results: campaign_reads.Results) -> str:
    """What the interval says, in words: above 0, below 0, or across it."""
    if not results.treated.members or not results.holdout.members:
        return _("No result yet: both groups need members.")
    if results.uplift.low > 0:
        return _("It worked: the whole interval is above zero.")
    if results.uplift.high < 0:
        return _("It backfired: the whole interval is below zero.")
    return _("Cannot tell yet: the interval includes zero.")


async def insight(request: Request) -> Response:
    await require_admin(request)
    console = console_of(request)
    settings = console.settings
    data = await insight_data(settings, console.now())
    _ = gettext_for(request).gettext
    locale = locale_of(request)
    number = figures.numbers(locale)
    names = segment_names(_)
    rows = list(reversed(SCORES))  # recent (R 5) at the top
    grid = charts.heat_map(
        "chart-rfm",
        _("Members by recency and frequency score"),
        _(
            "Rows are recency scores (5: active most recently), columns frequency scores (5: "
            "active most often); each cell gives its number of members and its segment."
        ),
        [f"R {r}" for r in rows] if data.as_of else [],
        [f"F {f}" for f in SCORES] if data.as_of else [],
        [[data.grid.get((r, f), 0) for f in SCORES] for r in rows] if data.as_of else [],
        notes=[[names[segment_of(r, f)] for f in SCORES] for r in rows] if data.as_of else None,
        row_title=_("Recency"),
        column_title=_("Frequency"),
        legend=(_("fewer"), _("more")),
        fmt=number,
        empty=_("No refresh yet."),
    )
    high = settings.churn_high_below_percent
    medium = settings.churn_medium_below_percent
    bins = [
        charts.Bin(f"{10 * i}\u2013{10 * i + 10} %", count)
        for i, count in enumerate(data.histogram.bins if data.histogram else ())
    ]
    churn = charts.histogram(
        "chart-churn",
        _("Members by probability of still being active"),
        _(
            "How many members have each probability of still being active (P(alive)), in "
            "tenths; the dashed lines mark where HIGH and MEDIUM churn risk end."
        ),
        bins,
        marks=[
            charts.Mark(high / 10, _("HIGH risk below %(percent)s %%") % {"percent": high}),
            charts.Mark(medium / 10, _("MEDIUM below %(percent)s %%") % {"percent": medium}),
        ],
        x_title=_("P(alive): the probability that the member is still active"),
        fmt=number,
        empty=_("No refresh yet."),
    )
    uplift = charts.interval_plot(
        "chart-uplift",
        _("Campaigns' uplift, with confidence intervals (95%)"),
        _(
            "For each campaign, the share of treated members active again within 30 days "
            "minus that of the holdout, in percentage points: the diamond is the estimate, "
            "the whiskers its confidence interval (95%)."
        ),
        [
            charts.Interval(
                row.campaign.name,
                row.results.uplift.estimate,
                row.results.uplift.low,
                row.results.uplift.high,
            )
            for row in data.campaigns
        ],
        fmt=figures.points_of_share(locale),
        zero_label=_("no difference"),
        empty=_("No campaign yet."),
    )
    return render(
        request,
        "insight.html",
        data=data,
        names=names,
        verdicts={row.campaign.id: verdict(_, row.results) for row in data.campaigns},
        percent=lambda share: figures.percent(locale, share),
        points=figures.points_of_share(locale),
        charts=_Charts(grid, churn, uplift),
        high=high,
        medium=medium,
    )


@dataclass(frozen=True)
class _Charts:
    grid: Markup
    churn: Markup
    uplift: Markup


routes = [Route("/insight", insight, name="insight")]
