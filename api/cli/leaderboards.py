"""Leaderboard maintenance: `plaudit leaderboards rebuild|verify|archive`. The database holds
every score; Redis only the boards still shown, which these rebuild, check and archive."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from api.cli.common import Commands, LazyBar, domain_errors, run_with_runtime
from domain.errors import DomainError
from domain.infra.settings import Settings
from gamification.leaderboards import Visibility, decode_profile

if TYPE_CHECKING:
    from domain.leaderboards.scores import Difference
    from domain.runtime import Runtime


def register(commands: Commands) -> None:
    """Adds leaderboards (rebuild, verify, archive)."""
    leaderboards = commands.add_parser("leaderboards", help="leaderboard maintenance")
    leaderboard_commands = leaderboards.add_subparsers(required=True, metavar="ACTION")
    rebuild = leaderboard_commands.add_parser("rebuild", help="recompute Redis boards from the DB")
    rebuild.add_argument("--board", help="only this board's periods (e.g. points)")
    rebuild.set_defaults(handler=_leaderboards_rebuild)
    verify = leaderboard_commands.add_parser(
        "verify",
        help="compare Redis boards (scores and the profiles kept beside them) with the DB; "
        "exit 1 on any difference",
    )
    verify.add_argument("--board", help="only this board's periods (e.g. points)")
    verify.set_defaults(handler=_leaderboards_verify)
    archive = leaderboard_commands.add_parser(
        "archive", help="archive every closed period not archived yet"
    )
    archive.set_defaults(handler=_leaderboards_archive)


def _leaderboards_rebuild(settings: Settings, args: argparse.Namespace) -> int:
    from domain.leaderboards import scores as leaderboards

    show = LazyBar("board", "rebuild")

    async def rebuild(runtime: Runtime) -> dict[str, int]:
        await _known_board(args.board)
        return await leaderboards.rebuild(
            runtime.leaderboards, datetime.now(UTC), settings.tz, progress=show, board=args.board
        )

    try:
        counts = run_with_runtime(settings, rebuild, expected=domain_errors(2))
    finally:
        show.close()
    for board, size in sorted(counts.items()):
        print(f"{board}: {size} members")
    print(f"rebuilt {len(counts)} board(s)")
    return 0


def _leaderboards_archive(settings: Settings, args: argparse.Namespace) -> int:
    from domain.leaderboards import archives as leaderboard_archives

    async def archive(runtime: Runtime) -> int:
        return await leaderboard_archives.archive_closed(
            datetime.now(UTC), settings.tz, settings.leaderboard_archive_depth
        )

    print(f"archived {run_with_runtime(settings, archive)} period(s)")
    return 0


async def _known_board(board: str | None) -> None:
    """NOT_FOUND for a `--board` that names no board (a typo must not pass as "0 boards")."""
    from domain.leaderboards import boards

    if board is not None and await boards.find(board) is None:
        raise DomainError("NOT_FOUND", f"no leaderboard named {board[:100]!r}")


def _leaderboards_verify(settings: Settings, args: argparse.Namespace) -> int:
    from domain.leaderboards import scores as leaderboards

    async def verify(runtime: Runtime) -> list[Difference]:
        await _known_board(args.board)
        return await leaderboards.verify(
            runtime.leaderboards, datetime.now(UTC), settings.tz, board=args.board
        )

    differences = run_with_runtime(settings, verify, expected=domain_errors(2))
    for d in differences:
        expected = "-" if d.expected is None else d.expected
        found = "-" if d.found is None else d.found
        if d.kind == "profile":
            expected, found = _profile(d.member_id, d.expected), _profile(d.member_id, d.found)
        what = "" if d.kind == "score" else f" {d.kind}"
        print(
            f"{d.key.board} {d.key.period.value} {d.key.period_key} {d.member_id}{what}: "
            f"expected {expected}, found {found}"
        )
    print(f"{len(differences)} difference(s)")
    return 1 if differences else 0


def _profile(member_id: str, stored: object) -> str:
    """A stored board profile as verify prints it (`-`: nothing stored, the default one)."""
    if not isinstance(stored, str) or not stored:
        return "-"
    profile = decode_profile(member_id, stored)
    if profile.visibility is Visibility.ANONYMOUS:
        return "ANONYMOUS"
    shown = repr(profile.display_name) + (f" {profile.avatar_url}" if profile.avatar_url else "")
    return f"HIDDEN {shown}" if profile.visibility is Visibility.HIDDEN else shown
