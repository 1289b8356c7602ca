"""`plaudit import FILE`: the interactions of a JSON Lines or CSV file, recorded in batches as a
SERVICE token would (the module is not named `import`, a keyword)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from api.cli.common import Commands, Expected, Refusal, run_with_runtime
from domain.infra.settings import Settings

if TYPE_CHECKING:
    from domain.interactions.files import ImportSummary
    from domain.runtime import Runtime


def register(commands: Commands) -> None:
    """Adds import."""
    ingest = commands.add_parser(
        "import",
        help="record the interactions of a JSON Lines or CSV file (safe to run again)",
        description="Record every line of FILE (fields: action, memberId, idempotencyKey, "
        "occurredAt, properties) as a SERVICE token would, in batches. Malformed lines are "
        "refused and reported, and every line of the file is counted; running it again replays "
        "every stored line and credits nothing.",
    )
    ingest.add_argument("file", metavar="FILE", type=Path)
    ingest.add_argument(
        "--format", choices=["jsonl", "csv"], help="default: by extension (.jsonl, .ndjson, .csv)"
    )
    ingest.add_argument(
        "--batch", type=_batch_size, default=1000, help="items per transaction, 1..1000"
    )
    ingest.set_defaults(handler=_import)


def _batch_size(text: str) -> int:
    try:
        size = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 1 <= size <= 1000:
        raise argparse.ArgumentTypeError("must be 1 to 1000")
    return size


def _import(settings: Settings, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from domain.interactions import files

    path: Path = args.file
    fmt = args.format or files.format_of(path)
    if fmt is None:
        print(
            f"plaudit import: cannot tell the format of {path} by its extension; "
            "pass --format jsonl or --format csv",
            file=sys.stderr,
        )
        return 2
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise IsADirectoryError(f"{path} is not a file")
    except OSError as exc:
        print(f"plaudit import: cannot read {path}: {exc}", file=sys.stderr)
        return 1

    bar = tqdm(total=size, unit="B", unit_scale=True, desc="import", file=sys.stderr)

    def show(position: int, summary: ImportSummary) -> None:
        bar.update(position - bar.n)
        bar.set_postfix(accepted=summary.accepted, refused=summary.refused, refresh=False)

    async def import_file(runtime: Runtime) -> ImportSummary:
        return await files.import_file(runtime, path, fmt, batch=args.batch, progress=show)

    summary = run_with_runtime(
        settings, import_file, migrate=True, expected=_unreadable(path), before_refusal=bar.close
    )
    bar.close()
    print(
        f"{summary.items:,} item(s): {summary.accepted:,} accepted ({summary.new:,} new, "
        f"{summary.replays:,} replayed), {summary.refused:,} refused "
        f"({summary.rejected:,} rejected at once, {summary.invalid:,} invalid)"
    )
    # Every line of the file is in one of these counts: none is ever lost without a word.
    print(
        f"{summary.lines:,} line(s) = {summary.items:,} item(s) + {summary.header:,} header + "
        f"{summary.blank:,} blank + {summary.continued:,} continuing a multi-line record"
    )
    if summary.refusals:
        print(f"first {len(summary.refusals)} refused line(s):")
        for refusal in summary.refusals:
            print(f"  {refusal.where}: {refusal.reason}")
    return 0


def _unreadable(path: Path) -> Expected:
    """A file that cannot be read, or imported at all (a CSV header without the required
    columns...), ends the import in one line, exit 1."""
    from domain.interactions.files import UnreadableFile

    def refusal(exc: Exception) -> Refusal | None:
        if isinstance(exc, OSError):
            return Refusal(f"plaudit import: cannot read {path}: {exc}", 1)
        if isinstance(exc, UnreadableFile):
            return Refusal(f"plaudit import: cannot import {path}: {exc}", 1)
        return None

    return refusal
