"""The database's schema: `plaudit migrate`, `plaudit migrations make|check`."""

from __future__ import annotations

import argparse

from api.cli.common import Commands, run_coroutine
from domain.infra.settings import Settings


def register(commands: Commands) -> None:
    """Adds migrate and migrations (make, check)."""
    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(handler=_migrate)

    migrations = commands.add_parser("migrations", help="generate or check migrations (aerich)")
    migrations_commands = migrations.add_subparsers(required=True, metavar="ACTION")
    make = migrations_commands.add_parser("make", help="generate a migration for model changes")
    make.add_argument("name")
    make.set_defaults(handler=_migrations_make)
    check = migrations_commands.add_parser("check", help="fail if models drifted from migrations")
    check.set_defaults(handler=_migrations_check)


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from domain.infra import migrations, reachability

    run_coroutine(reachability.check(settings, redis=False))
    applied = run_coroutine(migrations.apply(settings))
    print(f"applied {len(applied)} migration(s){': ' + ', '.join(applied) if applied else ''}")
    return 0


def _migrations_make(settings: Settings, args: argparse.Namespace) -> int:
    from domain.infra import migrations

    made = run_coroutine(migrations.make(settings, args.name))
    print(f"generated: {made}" if made else "no changes detected")
    return 0


def _migrations_check(settings: Settings, args: argparse.Namespace) -> int:
    from domain.infra import migrations

    drift = run_coroutine(migrations.drift(settings))
    if drift:
        print("models differ from the committed migrations; aerich would generate:")
        print(drift)
        print("run `plaudit migrations make NAME` on SQLite and on PostgreSQL, and commit both")
        return 1
    print("migrations match the models")
    return 0
