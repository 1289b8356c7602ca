"""`plaudit`, the command line of the platform: `main` and the parser assembly here, then one
module per command group, each adding its sub-commands in `register(commands)`:

- `server`: serve, worker, status (the processes);
- `database`: migrate, migrations make|check;
- `tokens`: token; `console`: console-link; `schema`: schema; `demo`: demo;
- `leaderboards`: leaderboards rebuild|verify|archive; `insight`: insight refresh;
- `badges`: badges backfill; `jobs`: jobs list|run; `ingest`: import;
- `members`: members export|erase|erasures (members' rights over their data);
- `persisted_queries`: persisted-queries add|list|remove (the safelist of documents);
- `common`: what they share, above all `run_with_runtime` (open the runtime, run, close, report
  an expected failure in one line with its exit code).

The group modules import `common`, never this module nor each other; their commands import the
application inside their bodies, so that `plaudit --help` starts at once."""

from __future__ import annotations

import argparse
import sys

from api.cli import (
    badges,
    console,
    database,
    demo,
    ingest,
    insight,
    jobs,
    leaderboards,
    members,
    persisted_queries,
    schema,
    server,
    tokens,
)
from api.cli.common import Exit, Handler
from domain.infra.reachability import Unreachable
from domain.infra.settings import Settings, SettingsError

DESCRIPTION = (
    "`plaudit`: the command line of the platform (serve, worker, migrate, token, schema, demo,\n"
    "import...)."
)

GROUPS = (
    server,
    database,
    tokens,
    console,
    schema,
    demo,
    leaderboards,
    insight,
    badges,
    jobs,
    ingest,
    members,
    persisted_queries,
)
"""In the order `plaudit --help` lists their commands."""


def main(argv: list[str] | None = None) -> int:
    """The `plaudit` entry point: one line and exit 2 for a bad configuration or a service
    that does not answer, 130 on Ctrl-C, else what the command returns."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"plaudit: invalid configuration: {exc}", file=sys.stderr)
        return 2
    from api.logging import configure_logging

    configure_logging(settings.log_level)
    handler: Handler = args.handler
    try:
        return handler(settings, args)
    except Exit as exc:
        return exc.code
    except SettingsError as exc:
        print(f"plaudit: invalid configuration: {exc}", file=sys.stderr)
        return 2
    except Unreachable as exc:
        print(f"plaudit: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plaudit", description=DESCRIPTION)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(commands)
    return parser
