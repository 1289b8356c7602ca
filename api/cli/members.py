"""Members' rights from the command line: `plaudit members export ID [--output FILE]`,
`plaudit members erase ID`, `plaudit members erasures` (the erasures the audit log holds) and
`plaudit members erase --replay FILE` (erase them again after restoring a backup)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from api.cli.common import (
    Commands,
    LazyBar,
    domain_errors,
    no_expected_failure,
    run_with_runtime,
)
from domain.infra.settings import Settings

if TYPE_CHECKING:
    from domain.runtime import Runtime

# Who the audit log names for an erasure made here.
ACTOR = "plaudit-cli"


def register(commands: Commands) -> None:
    """Adds members (export, erase, erasures)."""
    members = commands.add_parser("members", help="members' data: export, erasure")
    member_commands = members.add_subparsers(required=True, metavar="ACTION")
    export = member_commands.add_parser(
        "export", help="write everything held about a member as JSON (right of access)"
    )
    export.add_argument("id", help="the member's id (their token's subject)")
    export.add_argument("--output", type=Path, help="the file to write (default: standard output)")
    export.set_defaults(handler=_export)
    erase = member_commands.add_parser(
        "erase", help="erase a member for good (right to erasure); idempotent"
    )
    target = erase.add_mutually_exclusive_group(required=True)
    target.add_argument("id", nargs="?", help="the member's id (their token's subject)")
    target.add_argument(
        "--replay",
        type=Path,
        metavar="FILE",
        help="erase again every member listed by `plaudit members erasures` (after a restore)",
    )
    erase.set_defaults(handler=_erase)
    erasures = member_commands.add_parser(
        "erasures",
        help="list the erasures of the audit log (keep the list to replay after a restore)",
    )
    erasures.set_defaults(handler=_erasures)


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from domain.privacy import export

    async def read(runtime: Runtime) -> export.MemberExport | None:
        return await export.member_export(args.id)

    found = run_with_runtime(settings, read)
    if found is None:
        print(f"error: no member {args.id[:100]!r}", file=sys.stderr)
        return 1
    text = json.dumps(found.document(), indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote the export of {args.id[:100]!r} to {args.output}", file=sys.stderr)
    return 0


def _erase(settings: Settings, args: argparse.Namespace) -> int:
    if args.replay is not None:
        return _replay(settings, args.replay)
    from domain.privacy import erasure

    async def erase(runtime: Runtime) -> erasure.Erasure:
        return await erasure.erase(runtime, args.id, ACTOR)

    done = run_with_runtime(settings, erase, expected=domain_errors(2))
    if done.anonymous_id is None:
        print(f"{args.id[:100]!r}: nothing held (never a member, or erased before)")
    else:
        print(f"{args.id[:100]!r}: erased ({sum(done.rows.values())} row(s) deleted or anonymised)")
    return 0


def _replay(settings: Settings, path: Path) -> int:
    from domain.privacy import erasure

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {path}: {exc}", file=sys.stderr)
        return 1
    digests = [word for line in lines for word in line.split() if word.startswith("sha256:")]
    show = LazyBar("member", "replay erasures")

    async def replay(runtime: Runtime) -> int:
        return await erasure.replay(runtime, digests, ACTOR, progress=show)

    try:
        erased = run_with_runtime(settings, replay, expected=no_expected_failure)
    finally:
        show.close()
    print(f"{len(digests)} erasure(s) listed: {erased} member(s) erased again")
    return 0


def _erasures(settings: Settings, args: argparse.Namespace) -> int:
    from domain.privacy import erasure

    async def listed(runtime: Runtime) -> list[erasure.Logged]:
        return await erasure.logged_erasures()

    for logged in run_with_runtime(settings, listed):
        print(f"{logged.at.isoformat()} {logged.digest}")
    return 0
