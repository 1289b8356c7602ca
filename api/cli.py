"""`plaudit`: the command line of the platform (serve, worker, migrate, token, schema, demo...)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.settings import Settings, SettingsError

Handler = Callable[[Settings, argparse.Namespace], int]


def main(argv: list[str] | None = None) -> int:
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
    except SettingsError as exc:
        print(f"plaudit: invalid configuration: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plaudit", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the API (migrates the embedded database first)")
    serve.add_argument("--with-worker", action="store_true", help="run a worker in this process")
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser("worker", help="run an arq worker")
    worker.set_defaults(handler=_worker)

    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(handler=_migrate)

    migrations = commands.add_parser("migrations", help="generate or check migrations (aerich)")
    migrations_commands = migrations.add_subparsers(required=True, metavar="ACTION")
    make = migrations_commands.add_parser("make", help="generate a migration for model changes")
    make.add_argument("name")
    make.set_defaults(handler=_migrations_make)
    check = migrations_commands.add_parser("check", help="fail if models drifted from migrations")
    check.set_defaults(handler=_migrations_check)

    token = commands.add_parser("token", help="mint a token with the configured secret")
    token.add_argument("--role", choices=["member", "admin", "service"], required=True)
    token.add_argument("--sub", required=True, help="the subject (member id for members)")
    token.add_argument("--ttl", default="24h", help="lifetime: 90s, 15m, 24h, 30d (default 24h)")
    token.set_defaults(handler=_token)

    schema = commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    schema.set_defaults(handler=_schema)

    demo = commands.add_parser("demo", help="load a small demo program")
    demo.set_defaults(handler=_demo)

    leaderboards = commands.add_parser("leaderboards", help="leaderboard maintenance")
    leaderboard_commands = leaderboards.add_subparsers(required=True, metavar="ACTION")
    rebuild = leaderboard_commands.add_parser("rebuild", help="recompute Redis boards from the DB")
    rebuild.set_defaults(handler=_leaderboards_rebuild)

    badges = commands.add_parser("badges", help="badge maintenance")
    badge_commands = badges.add_subparsers(required=True, metavar="ACTION")
    backfill = badge_commands.add_parser(
        "backfill", help="award a badge to every member who meets its goals now"
    )
    backfill.add_argument("key", help="the badge's key")
    backfill.add_argument("--batch", type=int, default=500, help="members read per batch")
    backfill.set_defaults(handler=_badges_backfill)
    return parser


def _run(coroutine: Awaitable[Any]) -> Any:
    return asyncio.run(coroutine)  # type: ignore[arg-type]


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from api.auth import Role, mint_token
    from domain import migrations

    if settings.uses_sqlite:
        applied = _run(migrations.apply(settings))
        if applied:
            print(f"applied migrations: {', '.join(applied)}")
    print(f"Plaudit on http://{settings.host}:{settings.port}/graphql (GraphiQL in a browser)")
    if not settings.jwt_secret and not settings.jwt_public_key:
        admin = mint_token(settings, "dev-admin", Role.ADMIN, timedelta(days=7))
        print("dev admin token (7 days; secret generated in the data dir):")
        print(f"  Authorization: Bearer {admin}")
    uvicorn.run(
        create_app(settings, with_worker=args.with_worker),
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )
    return 0


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    from domain.runtime import Runtime
    from workers.settings import build_worker

    async def run() -> None:
        runtime = await Runtime.open(settings)
        try:
            worker = build_worker(runtime, handle_signals=True)
            await worker.async_run()
        finally:
            await runtime.close()

    _run(run())
    return 0


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from domain import migrations

    applied = _run(migrations.apply(settings))
    print(f"applied {len(applied)} migration(s){': ' + ', '.join(applied) if applied else ''}")
    return 0


def _migrations_make(settings: Settings, args: argparse.Namespace) -> int:
    from domain import migrations

    made = _run(migrations.make(settings, args.name))
    print(f"generated: {made}" if made else "no changes detected")
    return 0


def _migrations_check(settings: Settings, args: argparse.Namespace) -> int:
    from domain import migrations

    drift = _run(migrations.drift(settings))
    if drift:
        print("models differ from the committed migrations; aerich would generate:")
        print(drift)
        print("run `plaudit migrations make NAME` on SQLite and on PostgreSQL, and commit both")
        return 1
    print("migrations match the models")
    return 0


def _token(settings: Settings, args: argparse.Namespace) -> int:
    from api.auth import Role, mint_token

    print(mint_token(settings, args.sub, Role(args.role), _duration(args.ttl)))
    return 0


def _duration(text: str) -> timedelta:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        amount, unit = int(text[:-1]), units[text[-1]]
    except (ValueError, KeyError, IndexError):
        raise SettingsError("--ttl", f"expected e.g. 90s, 15m, 24h or 30d, got {text!r}") from None
    if amount <= 0:
        raise SettingsError("--ttl", "must be positive")
    return timedelta(seconds=amount * unit)


def _schema(settings: Settings, args: argparse.Namespace) -> int:
    from api.schema import schema_sdl

    sys.stdout.write(schema_sdl())
    return 0


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from domain import demo, migrations
    from domain.runtime import Runtime

    async def run() -> None:
        if settings.uses_sqlite:
            await migrations.apply(settings)
        runtime = await Runtime.open(settings)
        try:
            summary = await demo.load(runtime)
        finally:
            await runtime.close()
        print(summary)

    _run(run())
    return 0


def _leaderboards_rebuild(settings: Settings, args: argparse.Namespace) -> int:
    from domain import leaderboards
    from domain.runtime import Runtime

    async def run() -> dict[str, int]:
        runtime = await Runtime.open(settings)
        try:
            return await leaderboards.rebuild(runtime.leaderboards, datetime.now(UTC), settings.tz)
        finally:
            await runtime.close()

    counts = _run(run())
    for board, size in sorted(counts.items()):
        print(f"{board}: {size} members")
    print(f"rebuilt {len(counts)} board(s)")
    return 0


def _badges_backfill(settings: Settings, args: argparse.Namespace) -> int:
    from domain import badges
    from domain.errors import DomainError
    from domain.runtime import Runtime

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\r[{bar}] {done}/{total} members")
        sys.stderr.flush()

    async def run() -> int:
        runtime = await Runtime.open(settings)
        try:
            return await badges.backfill(runtime, args.key, batch=args.batch, progress=show)
        finally:
            await runtime.close()

    try:
        awarded = _run(run())
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    sys.stderr.write("\n")
    print(f"{awarded} member(s) earned {args.key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
