"""Badge maintenance: `plaudit badges backfill`, for a badge whose goals or levels changed or a
new one that members already meet."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from api.cli.common import Commands, LazyBar, domain_errors, run_with_runtime
from domain.infra.settings import Settings

if TYPE_CHECKING:
    from domain.runtime import Runtime


def register(commands: Commands) -> None:
    """Adds badges (backfill)."""
    badges = commands.add_parser("badges", help="badge maintenance")
    badge_commands = badges.add_subparsers(required=True, metavar="ACTION")
    backfill = badge_commands.add_parser(
        "backfill",
        help="award a badge to every member who meets its goals now, and raise its holders "
        "to the levels they meet",
    )
    backfill.add_argument("key", help="the badge's key")
    backfill.add_argument("--batch", type=int, default=500, help="members read per batch")
    backfill.set_defaults(handler=_badges_backfill)


def _badges_backfill(settings: Settings, args: argparse.Namespace) -> int:
    from domain.goals import badges

    show = LazyBar("member", f"backfill {args.key}")

    async def backfill(runtime: Runtime) -> int:
        return await badges.backfill(runtime, args.key, batch=args.batch, progress=show)

    try:
        awarded = run_with_runtime(settings, backfill, expected=domain_errors(1))
    finally:
        show.close()
    print(f"{awarded} member(s) earned {args.key}")
    return 0
