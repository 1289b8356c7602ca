"""The long-running processes and their check: `plaudit serve`, `plaudit worker`,
`plaudit status`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from api.cli.common import Commands, Refusal, run_coroutine, run_with_runtime
from domain.infra.settings import Settings, SettingsError

if TYPE_CHECKING:
    from domain.runtime import Runtime

SHUTDOWN_GRACE_S = 10.0


def register(commands: Commands) -> None:
    """Adds serve, worker and status."""
    serve = commands.add_parser("serve", help="run the API (migrates the embedded database first)")
    serve.add_argument("--with-worker", action="store_true", help="run a worker in this process")
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser("worker", help="run an arq worker")
    worker.set_defaults(handler=_worker)

    status = commands.add_parser(
        "status", help="print the program's Redis namespace and its live workers' heartbeats"
    )
    status.set_defaults(handler=_status)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from api import app as application
    from api.auth import Role, mint_token
    from domain.infra import migrations, reachability

    _refuse_dev_secret_in_production(settings)
    run_coroutine(reachability.check(settings))
    if not settings.embedded_redis:
        _check_namespace(settings)  # refuse before serving, in one line (exit 2)
    if settings.uses_sqlite:
        applied = run_coroutine(migrations.apply(settings))
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


def _check_namespace(settings: Settings) -> None:
    """Opening the runtime claims the Redis namespace, or raises NamespaceClaimed when it
    belongs to another database."""

    async def nothing(runtime: Runtime) -> None:
        return None

    run_with_runtime(settings, nothing, database=False)


def _exit_after_grace() -> None:
    import logging
    import os

    logging.getLogger("plaudit.worker").warning(
        "the worker did not stop within %.0fs of the signal; exiting", SHUTDOWN_GRACE_S
    )
    os._exit(130)


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    """Not `run_with_runtime`: the signals must be handled before the runtime opens, and a
    signal during the opening ends the worker quietly."""
    import signal

    from domain.infra import reachability
    from domain.infra.metrics import serve_worker_metrics
    from domain.runtime import Runtime
    from workers.supervisor import Supervisor

    run_coroutine(reachability.check(settings))

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

    run_coroutine(run())
    return 0


def _status(settings: Settings, args: argparse.Namespace) -> int:
    from domain.infra.namespace import owner_key
    from workers.supervisor import heartbeats

    async def read(runtime: Runtime) -> tuple[str | None, list[dict[str, Any]]]:
        owner = await runtime.redis.get(owner_key(settings.redis_namespace))
        return (owner.decode() if owner else None), await heartbeats(runtime)

    print(f"namespace {settings.redis_namespace} (database {settings.database_identity})")
    owner, beats = run_with_runtime(settings, read, database=False, expected=_redis_unreachable)
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


def _redis_unreachable(exc: Exception) -> Refusal | None:
    """Status reports on stdout, an unreachable Redis included (exit 1): it is what it checks."""
    if isinstance(exc, (OSError, ConnectionError)) or type(exc).__module__.startswith("redis"):
        return Refusal(f"redis unreachable: {exc}", 1, to_stdout=True)
    return None


def _ago(stamp: str | None, now: datetime) -> str:
    if not stamp:
        return "never"
    seconds = (now - datetime.fromisoformat(stamp)).total_seconds()
    return f"{max(0.0, seconds):.0f}s ago"
