"""`plaudit`: the command line of the platform (serve, worker, migrate, token, schema, demo,
import...)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from domain.errors import DomainError
from domain.infra.reachability import Unreachable
from domain.infra.settings import Settings, SettingsError

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
    except Unreachable as exc:
        print(f"plaudit: {exc}", file=sys.stderr)
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

    status = commands.add_parser(
        "status", help="print the program's Redis namespace and its live workers' heartbeats"
    )
    status.set_defaults(handler=_status)

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
    rebuild.add_argument("--board", help="only this board's periods (e.g. points)")
    rebuild.set_defaults(handler=_leaderboards_rebuild)
    verify = leaderboard_commands.add_parser(
        "verify", help="compare Redis boards with the DB; exit 1 on any difference"
    )
    verify.add_argument("--board", help="only this board's periods (e.g. points)")
    verify.set_defaults(handler=_leaderboards_verify)
    archive = leaderboard_commands.add_parser(
        "archive", help="archive every closed period not archived yet"
    )
    archive.set_defaults(handler=_leaderboards_archive)

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

    badges = commands.add_parser("badges", help="badge maintenance")
    badge_commands = badges.add_subparsers(required=True, metavar="ACTION")
    backfill = badge_commands.add_parser(
        "backfill", help="award a badge to every member who meets its goals now"
    )
    backfill.add_argument("key", help="the badge's key")
    backfill.add_argument("--batch", type=int, default=500, help="members read per batch")
    backfill.set_defaults(handler=_badges_backfill)

    jobs = commands.add_parser("jobs", help="the scheduled jobs: list them, run one by hand")
    job_commands = jobs.add_subparsers(required=True, metavar="ACTION")
    jobs_list = job_commands.add_parser("list", help="every scheduled job and its next run")
    jobs_list.set_defaults(handler=_jobs_list)
    jobs_run = job_commands.add_parser("run", help="run one scheduled job now")
    jobs_run.add_argument("name", metavar="NAME")
    jobs_run.set_defaults(handler=_jobs_run)

    ingest = commands.add_parser(
        "import",
        help="record the interactions of a JSON Lines or CSV file (safe to run again)",
        description="Record every line of FILE (fields: action, memberId, idempotencyKey, "
        "occurredAt, properties) as a SERVICE token would, in batches. Malformed lines are "
        "refused and reported; running it again replays every stored line and credits nothing.",
    )
    ingest.add_argument("file", metavar="FILE", type=Path)
    ingest.add_argument(
        "--format", choices=["jsonl", "csv"], help="default: by extension (.jsonl, .ndjson, .csv)"
    )
    ingest.add_argument(
        "--batch", type=_batch_size, default=1000, help="items per transaction, 1..1000"
    )
    ingest.set_defaults(handler=_import)
    return parser


def _batch_size(text: str) -> int:
    try:
        size = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 1 <= size <= 1000:
        raise argparse.ArgumentTypeError("must be 1 to 1000")
    return size


def _run(coroutine: Awaitable[Any]) -> Any:
    return asyncio.run(coroutine)  # type: ignore[arg-type]


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from api import app as application
    from api.auth import Role, mint_token
    from domain.infra import migrations, reachability

    _refuse_dev_secret_in_production(settings)
    _run(reachability.check(settings))
    if not settings.embedded_redis:
        _run(_check_namespace(settings))  # refuse before serving, in one line (exit 2)
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
        application.create_app(settings, with_worker=args.with_worker),
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        # Open WebSockets are closed (1012) on SIGTERM and their subscriptions cancelled; should
        # one still hang, uvicorn cancels it after this many seconds rather than wait forever.
        timeout_graceful_shutdown=10,
    )
    for error in application.fatal:
        if isinstance(error, SettingsError):
            raise error
    return 1 if application.fatal else 0


def _refuse_dev_secret_in_production(settings: Settings) -> None:
    """On PostgreSQL a generated dev secret would sign 7-day admin tokens in production: ask
    for the identity provider's key (or a real secret) unless PLAUDIT_DEV says it is a dev box."""
    if settings.uses_sqlite or settings.dev:
        return
    if not settings.jwt_secret and not settings.jwt_public_key:
        raise SettingsError(
            "PLAUDIT_JWT_SECRET",
            "required on PostgreSQL: set PLAUDIT_JWT_PUBLIC_KEY (your identity provider's key) "
            "or PLAUDIT_JWT_SECRET, or PLAUDIT_DEV=true to use a generated dev secret",
        )


async def _check_namespace(settings: Settings) -> None:
    from domain.runtime import Runtime

    runtime = await Runtime.open(settings, database=False)  # raises NamespaceClaimed
    await runtime.close(database=False)


SHUTDOWN_GRACE_S = 10.0


def _exit_after_grace() -> None:
    import logging
    import os

    logging.getLogger("plaudit.worker").warning(
        "the worker did not stop within %.0fs of the signal; exiting", SHUTDOWN_GRACE_S
    )
    os._exit(130)


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    import signal

    from domain.infra import reachability
    from domain.infra.metrics import serve_worker_metrics
    from domain.runtime import Runtime
    from workers.supervisor import Supervisor

    _run(reachability.check(settings))

    async def run() -> None:
        # Ctrl-C / SIGTERM cancel whatever runs: start-up first, then the supervisor (whose
        # cancellation stops it cleanly). Handled from the first moment, so a signal during
        # start-up does not meet Python's default handler half-way through opening Redis.
        current = asyncio.current_task()
        assert current is not None
        running = [current]
        loop = asyncio.get_running_loop()

        def stop() -> None:
            running[-1].cancel()
            # A clean stop takes well under a second; one CI run saw a worker stay idle after
            # its cancellation. It must not outlive the signal: exit after a grace period.
            loop.call_later(SHUTDOWN_GRACE_S, _exit_after_grace)

        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop)
        stop_metrics = serve_worker_metrics(settings.host, settings.worker_metrics_port)
        try:
            runtime = await Runtime.open(settings)
        except asyncio.CancelledError:
            stop_metrics()
            return
        except BaseException:
            stop_metrics()
            raise
        try:
            supervised = asyncio.create_task(Supervisor(runtime, kind="standalone").run())
            running.append(supervised)
            with contextlib.suppress(asyncio.CancelledError):
                await supervised
        finally:
            stop_metrics()
            await runtime.close()

    _run(run())
    return 0


def _status(settings: Settings, args: argparse.Namespace) -> int:
    from domain.infra.namespace import owner_key
    from domain.runtime import Runtime
    from workers.supervisor import heartbeats

    async def run() -> tuple[str | None, list[dict[str, Any]]]:
        runtime = await Runtime.open(settings, database=False)
        try:
            owner = await runtime.redis.get(owner_key(settings.redis_namespace))
            return (owner.decode() if owner else None), await heartbeats(runtime)
        finally:
            await runtime.close(database=False)

    print(f"namespace {settings.redis_namespace} (database {settings.database_identity})")
    try:
        owner, beats = _run(run())
    except (OSError, ConnectionError) as exc:
        print(f"redis unreachable: {exc}")
        return 1
    except Exception as exc:
        if type(exc).__module__.startswith("redis"):
            print(f"redis unreachable: {exc}")
            return 1
        raise
    print(f"claimed by {owner}" if owner else "not claimed yet (no process has started)")
    now = datetime.now(UTC)
    for beat in beats:
        print(
            f"worker {beat['id']} ({beat['kind']}, pid {beat['pid']}): {beat['state']}, "
            f"heartbeat {_ago(beat['heartbeat_at'], now)}, started {_ago(beat['started_at'], now)}"
            f", restarts {beat['restarts']}, batches {beat['batches']} (last "
            f"{_ago(beat['last_batch_at'], now)}), sweeps {beat['sweeps']} (last "
            f"{_ago(beat['last_sweep_at'], now)}), database {beat['database']}"
        )
    if not beats:
        print("no live worker")
        return 1
    return 0


def _ago(stamp: str | None, now: datetime) -> str:
    if not stamp:
        return "never"
    seconds = (now - datetime.fromisoformat(stamp)).total_seconds()
    return f"{max(0.0, seconds):.0f}s ago"


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from domain.infra import migrations, reachability

    _run(reachability.check(settings, redis=False))
    applied = _run(migrations.apply(settings))
    print(f"applied {len(applied)} migration(s){': ' + ', '.join(applied) if applied else ''}")
    return 0


def _migrations_make(settings: Settings, args: argparse.Namespace) -> int:
    from domain.infra import migrations

    made = _run(migrations.make(settings, args.name))
    print(f"generated: {made}" if made else "no changes detected")
    return 0


def _migrations_check(settings: Settings, args: argparse.Namespace) -> int:
    from domain.infra import migrations

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
    from domain import demo
    from domain.infra import migrations
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


class _LazyBar:
    """A `progress(done, total)` callback drawing a tqdm bar on stderr, opened at the first
    report (once the total is known), as every long command shows one."""

    def __init__(self, unit: str, desc: str) -> None:
        self.unit, self.desc = unit, desc
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=self.unit, desc=self.desc, file=sys.stderr)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _leaderboards_rebuild(settings: Settings, args: argparse.Namespace) -> int:
    from domain.leaderboards import scores as leaderboards
    from domain.runtime import Runtime

    show = _LazyBar("board", "rebuild")

    async def run() -> dict[str, int]:
        runtime = await Runtime.open(settings)
        try:
            await _known_board(args.board)
            return await leaderboards.rebuild(
                runtime.leaderboards,
                datetime.now(UTC),
                settings.tz,
                progress=show,
                board=args.board,
            )
        finally:
            await runtime.close()

    try:
        counts = _run(run())
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    finally:
        show.close()
    for board, size in sorted(counts.items()):
        print(f"{board}: {size} members")
    print(f"rebuilt {len(counts)} board(s)")
    return 0


def _leaderboards_archive(settings: Settings, args: argparse.Namespace) -> int:
    from domain.leaderboards import archives as leaderboard_archives
    from domain.runtime import Runtime

    async def run() -> int:
        runtime = await Runtime.open(settings)
        try:
            return await leaderboard_archives.archive_closed(
                datetime.now(UTC), settings.tz, settings.leaderboard_archive_depth
            )
        finally:
            await runtime.close()

    print(f"archived {_run(run())} period(s)")
    return 0


async def _known_board(board: str | None) -> None:
    """NOT_FOUND for a `--board` that names no board (a typo must not pass as "0 boards")."""
    from domain.leaderboards import boards

    if board is not None and await boards.find(board) is None:
        raise DomainError("NOT_FOUND", f"no leaderboard named {board[:100]!r}")


def _leaderboards_verify(settings: Settings, args: argparse.Namespace) -> int:
    from domain.leaderboards import scores as leaderboards
    from domain.runtime import Runtime

    async def run() -> list[leaderboards.Difference]:
        runtime = await Runtime.open(settings)
        try:
            await _known_board(args.board)
            return await leaderboards.verify(
                runtime.leaderboards, datetime.now(UTC), settings.tz, board=args.board
            )
        finally:
            await runtime.close()

    try:
        differences = _run(run())
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    for d in differences:
        expected = "-" if d.expected is None else d.expected
        found = "-" if d.found is None else d.found
        print(
            f"{d.key.board} {d.key.period.value} {d.key.period_key} {d.member_id}: "
            f"expected {expected}, found {found}"
        )
    print(f"{len(differences)} difference(s)")
    return 1 if differences else 0


def _badges_backfill(settings: Settings, args: argparse.Namespace) -> int:
    from domain.goals import badges
    from domain.runtime import Runtime

    show = _LazyBar("member", f"backfill {args.key}")

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
    finally:
        show.close()
    print(f"{awarded} member(s) earned {args.key}")
    return 0


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


def _insight_refresh(settings: Settings, args: argparse.Namespace) -> int:
    from domain.insight import refresh as insight
    from domain.runtime import Runtime

    as_of = args.as_of or datetime.now(settings.tz).date() - timedelta(days=1)
    show = _LazyBar("member", "insight")

    async def run() -> insight.Refreshed:
        runtime = await Runtime.open(settings)
        try:
            return await insight.refresh(settings, as_of, progress=show)
        finally:
            await runtime.close()

    try:
        refreshed = _run(run())
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


def _jobs_list(settings: Settings, args: argparse.Namespace) -> int:
    from workers.schedule import scheduled_jobs

    now = datetime.now(settings.tz)
    print(f"time zone {settings.timezone}")
    for job in scheduled_jobs(settings):
        next_run = job.next_run(now).isoformat(timespec="seconds")
        print(f"{job.name}  next {next_run}  ({job.description})")
    return 0


def _jobs_run(settings: Settings, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from domain.runtime import Runtime
    from workers import schedule

    job = schedule.find(settings, args.name)
    if job is None:
        known = ", ".join(j.name for j in schedule.scheduled_jobs(settings))
        print(f"plaudit jobs run: unknown job {args.name!r} (known: {known})", file=sys.stderr)
        return 2

    with tqdm(unit="item", desc=job.name, file=sys.stderr) as bar:

        def show(seen: int, total: int) -> None:
            bar.total = total
            bar.update(seen - bar.n)

        async def run() -> int:
            runtime = await Runtime.open(settings)
            try:
                return await schedule.run_now(runtime, job, progress=show)
            finally:
                await runtime.close()

        done = _run(run())
    print(f"{job.name}: {done} item(s)")
    return 0


def _import(settings: Settings, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from domain.infra import migrations
    from domain.interactions import ingest
    from domain.runtime import Runtime

    path: Path = args.file
    fmt = args.format or ingest.format_of(path)
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

    def show(position: int, summary: ingest.ImportSummary) -> None:
        bar.update(position - bar.n)
        bar.set_postfix(accepted=summary.accepted, refused=summary.refused, refresh=False)

    async def run() -> ingest.ImportSummary:
        if settings.uses_sqlite:
            await migrations.apply(settings)
        runtime = await Runtime.open(settings)
        try:
            return await ingest.import_file(runtime, path, fmt, batch=args.batch, progress=show)
        finally:
            await runtime.close()

    try:
        summary = _run(run())
    except OSError as exc:
        bar.close()
        print(f"plaudit import: cannot read {path}: {exc}", file=sys.stderr)
        return 1
    except ingest.UnreadableFile as exc:
        bar.close()
        print(f"plaudit import: cannot import {path}: {exc}", file=sys.stderr)
        return 1
    bar.close()
    print(
        f"{summary.items:,} item(s): {summary.accepted:,} accepted ({summary.new:,} new, "
        f"{summary.replays:,} replayed), {summary.refused:,} refused "
        f"({summary.rejected:,} rejected at once, {summary.invalid:,} invalid)"
    )
    if summary.refusals:
        print(f"first {len(summary.refusals)} refused line(s):")
        for refusal in summary.refusals:
            print(f"  line {refusal.line}: {refusal.reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
