"""The safelist of persisted queries from the command line: `plaudit persisted-queries add
FILE...` (`.graphql`/`.gql` files, or the JSON manifest Apollo's generate-persisted-query-manifest
writes), `list` and `remove HASH|NAME...`. With `PLAUDIT_PERSISTED_QUERIES=only` the API runs
nothing else; running API processes see a change within about a second
(`domain.persisted_queries.safelist`)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from api.cli.common import Commands, run_with_runtime
from domain.infra.settings import Settings

if TYPE_CHECKING:
    from domain.persisted_queries.documents import Operation
    from domain.runtime import Runtime


def register(commands: Commands) -> None:
    """Adds persisted-queries (add, list, remove)."""
    group = commands.add_parser(
        "persisted-queries", help="the safelist of documents (PLAUDIT_PERSISTED_QUERIES=only)"
    )
    actions = group.add_subparsers(required=True, metavar="ACTION")
    add = actions.add_parser(
        "add",
        help="register each operation of .graphql files or of an Apollo persisted-query "
        "manifest (.json), as Apollo Client hashes it",
    )
    add.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add.add_argument(
        "--dry-run", action="store_true", help="print the operations and their ids, register none"
    )
    add.set_defaults(handler=_add)
    listing = actions.add_parser("list", help="print the safelist: id, type, name")
    listing.set_defaults(handler=_list)
    remove = actions.add_parser("remove", help="remove entries by id (SHA-256) or operation name")
    remove.add_argument("selectors", nargs="+", metavar="HASH|NAME")
    remove.set_defaults(handler=_remove)


def _add(settings: Settings, args: argparse.Namespace) -> int:
    from domain.persisted_queries import documents, safelist

    try:
        # One entry per id: a manifest and the files it was made from name the same ones.
        operations = list({o.id: o for o in _operations(args.files)}.values())
    except (documents.DocumentError, OSError, UnicodeDecodeError) as exc:
        print(f"error: {_reason(exc)}", file=sys.stderr)
        return 1
    if args.dry_run:
        for operation in operations:
            print(f"{operation.id}  {operation.type:<12}  {operation.name}")
        return 0

    async def add(runtime: Runtime) -> tuple[list[Operation], int]:
        return await safelist.add(operations, datetime.now(UTC))

    added, known = run_with_runtime(settings, add, migrate=True)
    new = {operation.id for operation in added}
    for operation in operations:
        state = "added" if operation.id in new else "known"
        print(f"{state}  {operation.id}  {operation.type:<12}  {operation.name}")
    print(f"{len(added)} operation(s) added, {known} already registered", file=sys.stderr)
    return 0


def _operations(files: list[Path]) -> list[Operation]:
    """The operations of every file: manifests (.json) as they are, GraphQL files together (an
    operation may use a fragment defined in another of them)."""
    from domain.persisted_queries import documents

    operations: list[Operation] = []
    graphql: list[tuple[str, str]] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() == ".json":
            operations += documents.operations_from_manifest(str(path), text)
        else:
            graphql.append((str(path), text))
    if graphql:
        operations += documents.operations_from_graphql(graphql)
    return operations


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"cannot read {exc.filename}: {exc.strerror or exc}"
    if isinstance(exc, UnicodeDecodeError):
        return "a file is not UTF-8 text"
    return str(exc)


def _list(settings: Settings, args: argparse.Namespace) -> int:
    from domain.persisted_queries import safelist

    async def read(runtime: Runtime) -> list[safelist.Entry]:
        return await safelist.entries()

    entries = run_with_runtime(settings, read, migrate=True)
    for entry in entries:
        print(f"{entry.id}  {entry.type:<12}  {entry.name}")
    print(f"{len(entries)} operation(s) on the safelist", file=sys.stderr)
    return 0


def _remove(settings: Settings, args: argparse.Namespace) -> int:
    from domain.persisted_queries import safelist

    async def remove(runtime: Runtime) -> list[safelist.Entry]:
        return await safelist.remove(args.selectors)

    removed = run_with_runtime(settings, remove, migrate=True)
    for entry in removed:
        print(f"removed  {entry.id}  {entry.type:<12}  {entry.name}")
    if not removed:
        print("error: no entry has that id or operation name", file=sys.stderr)
        return 1
    return 0
