"""/admin: the dashboard, as charts. Reads only.

- Interactions recorded each hour over the last day, and how many of them were awarded
  (`domain.interactions.throughput.hourly`).
- The PENDING backlog by how long it has waited, and its oldest (`throughput.backlog`).
- Members by tier (`domain.points.tier_members`).
- The top of the all-time points board, from Redis, named from the members' profiles.

Five SQL statements at most and one Redis round trip, whatever the traffic and the number of
members (`dashboard_data`; `tests/api/console/test_page_data.py` counts them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.console import charts, figures
from api.console.paths import member_path
from api.console.rendering import gettext_for, locale_of, render
from api.console.session import require_admin
from api.console.state import console_of, runtime_of
from domain.interactions import throughput
from domain.leaderboards.scores import current_board
from domain.leaderboards.store import PageRead, SizeRead
from domain.members.profiles import PublicProfile, public_profiles
from domain.points.tier_members import TierCount, members_by_tier
from domain.runtime import Runtime
from gamification.leaderboards import POINTS_BOARD, BoardPeriod, Page, Standing, anonymous_name

TOP = 10


@dataclass(frozen=True)
class Leader:
    rank: int
    member_id: str | None  # None for an anonymous entry: no link to the member behind it
    name: str
    points: int


@dataclass(frozen=True)
class DashboardData:
    hours: list[throughput.Hour]
    backlog: throughput.Backlog
    tiers: list[TierCount]
    leaders: list[Leader]
    board_size: int


async def dashboard_data(runtime: Runtime, now: datetime) -> DashboardData:
    """Everything the dashboard shows, read in a fixed number of statements."""
    hours = await throughput.hourly(now)
    backlog = await throughput.backlog(now)
    tiers = await members_by_tier()
    key = current_board(POINTS_BOARD, BoardPeriod.ALL_TIME, now, runtime.settings.tz)
    size, found = await runtime.leaderboards.read(key, [SizeRead(), PageRead(TOP, None)])
    page = cast(Page, found)
    profiles = await public_profiles([s.member_id for s in page.standings])
    leaders = [
        Leader(s.rank, None if s.anonymous else s.member_id, _shown_name(s, p), s.score)
        for s, p in zip(page.standings, profiles, strict=True)
    ]
    return DashboardData(hours, backlog, tiers, leaders, int(size))


def _shown_name(standing: Standing, profile: PublicProfile | None) -> str:
    """As members see the board: an anonymous entry is "Member #<rank>"."""
    if standing.anonymous:
        return anonymous_name(standing.rank)
    return profile.display_name if profile else standing.member_id


async def dashboard(request: Request) -> Response:
    await require_admin(request)
    console = console_of(request)
    data = await dashboard_data(runtime_of(request), console.now())
    _ = gettext_for(request).gettext
    locale = locale_of(request)
    number = figures.numbers(locale)
    tz = console.settings.tz
    labels = [hour.start.astimezone(tz).strftime("%H:%M") for hour in data.hours]
    hourly = charts.line_chart(
        "chart-hourly",
        _("Interactions per hour, last 24 hours"),
        _(
            "Interactions recorded in each hour (solid line, dots) and how many of them were "
            "awarded (dashed line, squares), in the program's time zone."
        ),
        labels,
        [
            charts.Series(_("Recorded"), [hour.recorded for hour in data.hours]),
            charts.Series(_("Awarded"), [hour.awarded for hour in data.hours]),
        ],
        fmt=number,
        empty=_("No data yet."),
    )
    bands = [
        _("Under a minute"),
        _("1 to 10 minutes"),
        _("10 to 60 minutes"),
        _("An hour or more"),
    ]
    backlog = charts.bar_chart(
        "chart-backlog",
        _("Pending interactions by time waited"),
        _("How many interactions wait to be decided, by how long they have waited."),
        [charts.Bar(label, count) for label, count in zip(bands, data.backlog.by_age, strict=True)],
        fmt=number,
        empty=_("No data yet."),
    )
    members = sum(tier.members for tier in data.tiers)
    tiers = charts.bar_chart(
        "chart-tiers",
        _("Members by tier"),
        _("How many members hold each tier, lowest tier first, with their share."),
        [
            charts.Bar(
                _tier_label(_, tier),
                tier.members,
                figures.percent(locale, tier.members / members) if members else None,
            )
            for tier in data.tiers
        ],
        fmt=number,
        empty=_("No data yet."),
    )
    leaders = charts.bar_chart(
        "chart-leaders",
        _("Top of the points board"),
        _("The members with the most points of all time, best first."),
        [charts.Bar(f"{leader.rank}. {leader.name}", leader.points) for leader in data.leaders],
        fmt=number,
        empty=_("Nobody has points yet."),
    )
    return render(
        request,
        "dashboard.html",
        data=data,
        hour_labels=labels,
        members=members,
        bands=bands,
        charts=_Charts(hourly, backlog, tiers, leaders),
        member_path=member_path,
    )


def _tier_label(_: Callable[[str], str], tier: TierCount) -> str:
    """A tier's name; an archived tier some members still hold says so."""
    return _("%(name)s (archived)") % {"name": tier.name} if tier.archived else tier.name


@dataclass(frozen=True)
class _Charts:
    hourly: Markup
    backlog: Markup
    tiers: Markup
    leaders: Markup


routes = [Route("/", dashboard, name="dashboard")]
