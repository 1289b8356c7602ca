"""`plaudit insight refresh`: every member's RFM segment and churn risk as of a day (what the
nightly job does, by hand or for another day)."""

from __future__ import annotations

import argparse
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from api.cli.common import Commands, LazyBar, run_with_runtime
from domain.infra.settings import Settings
from gamification.moments import MomentError, parse_day

if TYPE_CHECKING:
    from domain.insight.refresh import Refreshed
    from domain.runtime import Runtime


def register(commands: Commands) -> None:
    """Adds insight (refresh)."""
    insight = commands.add_parser("insight", help="RFM segments and churn risk")
    insight_commands = insight.add_subparsers(required=True, metavar="ACTION")
    refresh = insight_commands.add_parser(
        "refresh", help="recompute every member's segment and churn risk as of a date"
    )
    refresh.add_argument(
        "--as-of",
        type=_iso_date,
        default=None,
        help="YYYY-MM-DD (program time zone; default: yesterday, the last whole day)",
    )
    refresh.set_defaults(handler=_insight_refresh)


def _iso_date(text: str) -> date:
    """A usage error (one line, exit 2) for what is not a date the program can use."""
    try:
        return parse_day(text)
    except MomentError as refusal:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} {refusal}") from None


def _insight_refresh(settings: Settings, args: argparse.Namespace) -> int:
    from domain.insight import refresh as insight

    as_of = args.as_of or datetime.now(settings.tz).date() - timedelta(days=1)
    show = LazyBar("member", "insight")

    async def refresh(runtime: Runtime) -> Refreshed:
        return await insight.refresh(settings, as_of, progress=show)

    try:
        refreshed = run_with_runtime(settings, refresh)
    finally:
        show.close()
    print(f"as of {as_of}: {refreshed.members} member(s) scored in {refreshed.seconds:.1f}s")
    fit = refreshed.fit
    if fit is None:
        print("no churn model: no member has come back yet")
    else:
        print(
            f"churn model: r={fit.r:.4f} alpha={fit.alpha:.4f} a={fit.a:.4f} b={fit.b:.4f} "
            f"log-likelihood={fit.log_likelihood:.1f} over {fit.members} member(s)"
        )
    return 0
