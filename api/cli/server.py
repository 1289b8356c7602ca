"""The long-running processes and their check: `plaudit serve`, `plaudit worker`,
`plaudit status`.

A process that cannot serve says so in one line and stops; one that is asked to stop (SIGINT,
SIGTERM) stops, in every phase. `plaudit serve` runs its start-up in this order, each step
ending the command at once, with one line and a non-zero exit, when it fails: the database and
Redis answer; the Redis namespace is ours; the embedded database is migrated; the port is bound
(`_listen`); the runtime opens and the in-process worker starts (the app's lifespan, entered by
hand, so that its failure is ours to report); only then does uvicorn accept connections and
the banner (with the dev token) appear. One signal handler serves every phase (`_serve_app`):
during start-up it cancels it, while serving it asks uvicorn to shut down; and once a stop has
begun, a `_Deadline` ends the process should anything hang.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from api.cli.common import Commands, Refusal, run_coroutine, run_with_runtime
from domain.infra import gc_policy
from domain.infra.reachability import Unreachable
from domain.infra.settings import Settings, SettingsError

if TYPE_CHECKING:
    import uvicorn
    from starlette.applications import Starlette

    from domain.runtime import Runtime

log = logging.getLogger("plaudit.server")

SHUTDOWN_GRACE_S = 10.0  # the standalone worker's stop: its jobs are cancelled (rolled back)
EXIT_WITHIN_S = 30.0  # once a stop has begun, the process ends within this, whatever hangs
FAILED_EXIT_WITHIN_S = 5.0  # after a failure, with nothing left to stop
BACKLOG = 2048  # uvicorn's default


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


# How uvicorn serves WebSockets (the tests' server too, `tests.conftest`):
# - websockets' Sans-I/O protocol: a send is one frame written to the transport, where the
#   legacy protocol ran three tasks per socket and awaited a drain per send;
# - no permessage-deflate: every socket compresses with its own context, so a live board's
#   push was compressed once per subscriber, about 40 µs each, more than the rest of the push
#   (`api.leaderboards.fanout`); the messages are small JSON.
WEBSOCKETS: dict[str, Any] = {"ws": "websockets-sansio", "ws_per_message_deflate": False}


class _CannotStart(Exception):
    """A start-up step failed for a reason that is neither the configuration nor an unreachable
    service (`main` words those): `plaudit serve` prints this one line and exits 1."""


class _Deadline:
    """Once a stop has begun (a signal, a failure), the process ends within `seconds`. A clean
    stop takes a second or two; should anything hang (a cancellation lost in a library, a job
    stuck in a call, a database thread left open), a timer thread ends the process with one line
    saying so."""

    def __init__(self, command: str, seconds: float = EXIT_WITHIN_S) -> None:
        self.command = command
        self.seconds = seconds
        self.timer: threading.Timer | None = None
        self.ends_at = float("inf")

    def arm(self, seconds: float | None = None) -> None:
        """End the process `seconds` from now (by default the deadline's own), unless an earlier
        call already set an earlier end."""
        seconds = self.seconds if seconds is None else seconds
        if time.monotonic() + seconds >= self.ends_at:
            return
        if self.timer is not None:
            self.timer.cancel()
        self.ends_at = time.monotonic() + seconds
        self.timer = threading.Timer(seconds, self._expire, args=(seconds,))
        self.timer.daemon = True
        self.timer.start()

    def _expire(self, seconds: float) -> None:
        print(
            f"plaudit {self.command}: did not stop within {seconds:g}s; exiting",
            file=sys.stderr,
            flush=True,
        )
        os._exit(1)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    """However it ends, the process ends: after a failure within `FAILED_EXIT_WITHIN_S` (nothing
    left half-open, a database thread say, may hold it), after a signal within `EXIT_WITHIN_S`."""
    deadline = _Deadline("serve")
    try:
        code = _start_and_serve(settings, args, deadline)
    except asyncio.CancelledError:  # a signal during start-up
        deadline.arm()
        return 130
    except _CannotStart as exc:
        print(f"plaudit: serve could not start: {exc}", file=sys.stderr)
        deadline.arm(FAILED_EXIT_WITHIN_S)
        return 1
    except BaseException:
        deadline.arm(FAILED_EXIT_WITHIN_S)
        raise
    deadline.arm()
    return code


def _start_and_serve(settings: Settings, args: argparse.Namespace, deadline: _Deadline) -> int:
    import uvicorn

    from api import app as application
    from domain.infra import migrations, reachability

    _refuse_dev_secret_in_production(settings)
    # Until the app serves, Ctrl-C ends the process at once. asyncio's own handler only cancels
    # the running task, and Python 3.11 can lose that cancellation inside a Redis or database
    # call (as it lost the in-process worker's): the check would then wait out its timeout and
    # exit 2.
    signal.signal(signal.SIGINT, _interrupt_now)
    run_coroutine(reachability.check(settings))
    if not settings.embedded_redis:
        _check_namespace(settings)  # refuse before serving, in one line (exit 2)
    if settings.uses_sqlite:
        with _starting("migrating the database"):
            applied = run_coroutine(migrations.apply(settings))
        if applied:
            print(f"applied migrations: {', '.join(applied)}", flush=True)
    sockets = _listen(settings.host, settings.port)
    app = application.create_app(settings, with_worker=args.with_worker)
    port = sockets[0].getsockname()[1]
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        # Open WebSockets are closed (1012) on SIGTERM and their subscriptions cancelled; should
        # one still hang, uvicorn cancels it after this many seconds rather than wait forever.
        timeout_graceful_shutdown=10,
        lifespan="off",  # entered by `_serve_app`, which reports its failure
        **WEBSOCKETS,
    )
    server = _server(config, on_started=lambda: _banner(settings, port))
    try:
        with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
            runner.run(_serve_app(settings, app, server, sockets, deadline))
    finally:
        for listening in sockets:
            listening.close()
    for error in application.fatal:
        if isinstance(error, SettingsError):
            raise error
    return 1 if application.fatal else 0


def _interrupt_now(signum: int, frame: object) -> None:
    """SIGINT before serving: end the process here, with 130. Nothing runs yet that needs
    stopping (a migration's transaction rolls back by itself, the embedded Redis's watchdog
    stops it), and unwinding a KeyboardInterrupt through the call it lands in printed
    tracebacks at exit: from a half-built asyncio `StreamWriter`'s finalizer, or from the Redis
    check's task holding the interrupt as its unretrieved exception."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


async def _serve_app(
    settings: Settings,
    app: Starlette,
    server: uvicorn.Server,
    sockets: list[socket.socket],
    deadline: _Deadline,
) -> None:
    """Enter the app's lifespan (the runtime, the in-process worker), serve, leave it. SIGINT and
    SIGTERM: during start-up, cancel it (exit 130); then, ask uvicorn to shut down (a second
    Ctrl-C stops waiting for open requests). Either way, and after a failure, the deadline runs."""
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    assert main is not None
    starting = True

    def on_signal(signum: int) -> None:
        deadline.arm()
        if server.should_exit and signum == signal.SIGINT:
            server.force_exit = True
        server.should_exit = True  # also when a cancellation below is lost: serve nothing
        if starting:
            main.cancel()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_signal, signum)
    try:
        try:
            lifespan = app.router.lifespan_context(app)
            await lifespan.__aenter__()
        except Exception as exc:
            raise await _why_not_started(settings, exc) from exc
        # Full collections walk only what was made since the last one (`gc_policy`).
        collector = gc_policy.FreezeSurvivors()
        collector.install()
        sweeping = asyncio.create_task(collector.sweep_every())
        try:
            starting = False
            if not settings.uses_sqlite:
                await _warn_if_schema_behind(settings)
            await server.serve(sockets=sockets)
        finally:
            sweeping.cancel()
            collector.uninstall()
            await lifespan.__aexit__(None, None, None)
    finally:
        deadline.arm()


async def _warn_if_schema_behind(settings: Settings) -> None:
    """On PostgreSQL `serve` does not migrate: with migrations pending it serves all the same
    (`plaudit migrate` may run while it does, and it turns ready then), but says so at once."""
    from api.health import BEHIND
    from domain.infra import migrations

    try:
        pending = await migrations.pending(settings)
    except Exception:  # the database went away since the check: /readyz will say so
        return
    if pending:
        log.warning("%s (pending: %s); /readyz answers 503 until then", BEHIND, ", ".join(pending))


async def _why_not_started(settings: Settings, exc: Exception) -> Exception:
    """The one line for a failed start-up: a configuration error as it is; else, when the
    database or Redis does not answer now, which (as the check before start-up words it); else
    what failed (the traceback at DEBUG)."""
    from domain.infra import reachability

    if isinstance(exc, SettingsError):
        return exc
    try:
        await reachability.check(settings)
    except Unreachable as unreachable:
        return unreachable
    log.debug("start-up failed", exc_info=exc)
    return _CannotStart(f"opening the database and Redis: {_described(exc)}")


@contextlib.contextmanager
def _starting(step: str) -> Iterator[None]:
    """A start-up step whose unexpected failure is one line (`_CannotStart`) rather than a
    traceback (at DEBUG); configuration errors and unreachable services go to `main` as such."""
    try:
        yield
    except (SettingsError, Unreachable):
        raise
    except Exception as exc:
        log.debug("start-up failed while %s", step, exc_info=exc)
        raise _CannotStart(f"{step}: {_described(exc)}") from exc


def _described(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


def _listen(host: str, port: int) -> list[socket.socket]:
    """The API's listening sockets, bound before anything starts, as asyncio's `create_server`
    binds them (every address the host resolves to, SO_REUSEADDR, IPv6 sockets IPv6-only): a
    port taken is one line and exit 2, with nothing started or printed."""
    try:
        found = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as exc:
        raise SettingsError(
            "PLAUDIT_HOST", f"cannot listen on {host}:{port} ({exc.strerror})"
        ) from None
    sockets: list[socket.socket] = []
    try:
        for family, kind, protocol, _, address in dict.fromkeys(found):
            listening = socket.socket(family, kind, protocol)
            sockets.append(listening)
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                listening.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            listening.bind(address)
            listening.listen(BACKLOG)
    except OSError as exc:
        for listening in sockets:
            listening.close()
        culprit = (
            "PLAUDIT_PORT" if exc.errno in (errno.EADDRINUSE, errno.EACCES) else "PLAUDIT_HOST"
        )
        raise SettingsError(culprit, f"cannot listen on {host}:{port} ({exc.strerror})") from None
    return sockets


def _banner(settings: Settings, port: int) -> None:
    """Printed once the server accepts connections, never before."""
    from api.auth import Role, mint_token

    print(f"Plaudit on http://{settings.host}:{port}/graphql (GraphiQL in a browser)")
    print(f"admin console on http://{settings.host}:{port}/admin (`plaudit console-link` signs in)")
    if not settings.jwt_secret and not settings.jwt_public_key:
        admin = mint_token(settings, "dev-admin", Role.ADMIN, timedelta(days=7))
        print("dev admin token (7 days; secret generated in the data dir):")
        print(f"  Authorization: Bearer {admin}")
    sys.stdout.flush()


def _server(config: uvicorn.Config, on_started: Callable[[], None]) -> uvicorn.Server:
    """uvicorn's server, calling `on_started` once it accepts connections, and without signal
    handling of its own: `_serve_app` handles the signals in every phase, where uvicorn's would
    see them only while serving, and raise them again once stopped, before the clean-up."""
    import uvicorn

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Generator[None, None, None]:
            yield

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started and not self.should_exit:
                on_started()

    return Server(config)


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


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    """Not `run_with_runtime`: the signals must be handled before the runtime opens, and a
    signal during the opening ends the worker quietly."""
    from domain.infra import reachability
    from domain.infra.cancel import cancel_and_wait
    from domain.infra.metrics import serve_worker_metrics
    from domain.runtime import Runtime
    from workers.supervisor import Supervisor

    run_coroutine(reachability.check(settings))
    deadline = _Deadline("worker")

    async def run() -> None:
        # Ctrl-C / SIGTERM cancel the start-up, then stop the supervisor (cancelled until it
        # ends: one cancellation can be lost, `domain.infra.cancel`). Handled from the first
        # moment, so a signal during start-up does not meet Python's default handler half-way
        # through opening Redis.
        current = asyncio.current_task()
        assert current is not None
        loop = asyncio.get_running_loop()
        stopping = asyncio.Event()
        starting = True

        def stop() -> None:
            deadline.arm()
            stopping.set()
            if starting:
                current.cancel()

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
        starting = False
        try:
            supervised = asyncio.create_task(
                Supervisor(runtime, kind="standalone").run(), name="plaudit-worker"
            )
            signalled = asyncio.create_task(stopping.wait())
            await asyncio.wait({supervised, signalled}, return_when=asyncio.FIRST_COMPLETED)
            signalled.cancel()
            await cancel_and_wait(supervised, within_s=SHUTDOWN_GRACE_S)
            if supervised.done() and not supervised.cancelled():
                error = supervised.exception()  # NamespaceClaimed: one line, from `main`
                if error is not None:
                    raise error
        finally:
            deadline.arm()
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
