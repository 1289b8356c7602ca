"""`plaudit serve --with-worker` (what `make run` runs), through real processes, on the storage of
the run (PostgreSQL and Redis in the PostgreSQL pass, the embedded defaults otherwise):

- a start-up that fails ends the process with one line and a non-zero exit, never after a
  banner, with nothing left running: a port taken, a database or Redis down
  (`test_operator_cli.py`), a worker metrics port taken, an embedded database that cannot be
  migrated; a PostgreSQL schema behind the code is said at once (serve does not migrate it);
- the banner (and the dev token) appears only once the port is bound;
- SIGINT and SIGTERM stop it, its worker and its embedded Redis, during start-up and while
  serving, within a bound.

Every wait is bounded; the tests wait for events (a line in the output, a connection, a probe
answering, the process ending), never for time to pass.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.api.cli.test_operator_cli import ON_POSTGRES, environment, gone_within, plaudit
from tests.helpers import PLAUDIT, free_port

STOPS_WITHIN_S = 20.0  # a clean stop takes a second or two; the process's own bound is 30 s
STARTS_WITHIN_S = 60.0


def program_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A program of its own (data dir, port) on the storage of the run, with a dev token."""
    env = environment(tmp_path / "program", PLAUDIT_PORT=str(free_port()), PLAUDIT_DEV="true")
    for name in ("PLAUDIT_DATABASE_URL", "PLAUDIT_REDIS_URL"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    return env | extra


def migrated(env: dict[str, str]) -> dict[str, str]:
    """On PostgreSQL `serve` does not migrate: `plaudit migrate` first, as a deploy does."""
    if ON_POSTGRES:
        result = plaudit("migrate", env=env)
        assert result.returncode == 0, result.stderr
    return env


def embedded_redis_pid(env: dict[str, str]) -> int | None:
    """The embedded redis-server's pid, None when this program never started one (or it has
    stopped: redis-server removes its pid file)."""
    registry = Path(env["PLAUDIT_DATA_DIR"]) / "redis.rdb.settings"
    if not registry.exists():
        return None
    pidfile = Path(json.loads(registry.read_text())["pidfile"])
    try:
        return int(pidfile.read_text())
    except FileNotFoundError:
        return None


class Serving:
    """A `plaudit serve --with-worker` child, its stdout and stderr in one file."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.port = int(env["PLAUDIT_PORT"])
        self.log = Path(env["PLAUDIT_DATA_DIR"]).parent / "serve.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [PLAUDIT, "serve", "--with-worker"], env=env, stdout=output, stderr=output
            )

    def output(self) -> str:
        return self.log.read_text()

    def wait_until(self, done: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + STARTS_WITHIN_S
        while not done():
            assert self.process.poll() is None, f"serve ended:\n{self.output()}"
            assert time.monotonic() < deadline, f"never {what}:\n{self.output()}"
            time.sleep(0.05)

    def readyz(self) -> httpx.Response | None:
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/readyz", timeout=5)
        except httpx.HTTPError:
            return None

    def stop(self, signum: int) -> int:
        self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=STOPS_WITHIN_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"serve ignored signal {signum} for {STOPS_WITHIN_S}s:\n{self.output()}")


@contextmanager
def serving(env: dict[str, str]) -> Iterator[Serving]:
    serve = Serving(env)
    try:
        yield serve
    finally:
        if serve.process.poll() is None:
            serve.process.kill()
            serve.process.wait()
        redis_pid = embedded_redis_pid(env)
        if redis_pid is not None and not gone_within(redis_pid, 15):
            os.kill(redis_pid, signal.SIGKILL)


def taken_port() -> socket.socket:
    """A loopback port something else listens on."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    return taken


def test_a_port_taken_is_one_line_and_exit_2_with_no_banner_and_nothing_started(tmp_path):
    with taken_port() as taken:
        port = taken.getsockname()[1]
        env = program_env(tmp_path, PLAUDIT_PORT=str(port))

        started = time.monotonic()
        result = plaudit("serve", "--with-worker", env=env)  # bounded: 60 s

    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        f"plaudit: invalid configuration: PLAUDIT_PORT: cannot listen on 127.0.0.1:{port} "
        "(Address already in use)"
    ]
    assert "Plaudit on" not in result.stdout and "Bearer" not in result.stdout
    # Neither the runtime nor its worker ever started: no embedded redis-server either.
    assert not (Path(env["PLAUDIT_DATA_DIR"]) / "redis.rdb.settings").exists()
    assert time.monotonic() - started < 30


def test_a_worker_metrics_port_taken_is_one_line_and_the_api_port_is_given_back(tmp_path):
    # Found while the app starts (after the API's port is bound): one line all the same.
    with taken_port() as taken:
        port = taken.getsockname()[1]
        env = migrated(program_env(tmp_path, PLAUDIT_WORKER_METRICS_PORT=str(port)))

        result = plaudit("serve", "--with-worker", env=env)

    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        "plaudit: invalid configuration: PLAUDIT_WORKER_METRICS_PORT: cannot listen on "
        f"127.0.0.1:{port} (Address already in use)"
    ]
    assert "Plaudit on" not in result.stdout
    with socket.socket() as again:
        again.bind(("127.0.0.1", int(env["PLAUDIT_PORT"])))


@pytest.mark.skipif(ON_POSTGRES, reason="the embedded SQLite database: serve migrates it")
def test_an_embedded_database_that_cannot_be_migrated_is_one_line_and_exit_1(tmp_path):
    env = program_env(tmp_path)
    data_dir = Path(env["PLAUDIT_DATA_DIR"])
    data_dir.mkdir(parents=True)
    (data_dir / "plaudit.sqlite3").write_bytes(b"not a database, " * 512)

    result = plaudit("serve", "--with-worker", env=env)

    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        "plaudit: serve could not start: migrating the database: DatabaseError: file is not a "
        "database"
    ]
    assert "Plaudit on" not in result.stdout


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_banner_comes_once_the_port_is_bound_and_a_signal_stops_everything(tmp_path, signum):
    env = migrated(program_env(tmp_path))
    with serving(env) as serve:
        serve.wait_until(lambda: "Authorization: Bearer ey" in serve.output(), "printed its banner")
        with socket.create_connection(("127.0.0.1", serve.port), timeout=5):
            pass  # the port the banner names takes connections the moment it is printed
        serve.wait_until(
            lambda: (ready := serve.readyz()) is not None and ready.status_code == 200,
            "became ready",
        )
        checks = serve.readyz().json()["checks"]  # type: ignore[union-attr]
        assert checks["worker"] == "ok"
        redis_pid = embedded_redis_pid(env)

        code = serve.stop(signum)

        output = serve.output()
    assert code == 0, output
    if not ON_POSTGRES:  # the embedded database is migrated before anything is announced
        assert output.index("applied migrations:") < output.index("Plaudit on")
    assert output.count("Plaudit on") == 1
    assert "Traceback" not in output and '"level": "ERROR"' not in output, output
    if redis_pid is not None:
        assert gone_within(redis_pid, 15), "the embedded redis-server outlived serve"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_start_up_stops_it_at_once(tmp_path, signum):
    # A Redis that takes the connection and never answers: start-up waits on it.
    with taken_port() as silent:
        silent.settimeout(STARTS_WITHIN_S)
        env = program_env(
            tmp_path, PLAUDIT_REDIS_URL=f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        )
        with serving(env) as serve:
            connection, _ = silent.accept()  # serve is starting, waiting for Redis
            with connection:
                code = serve.stop(signum)

            output = serve.output()
    # Ctrl-C ends the command (130); SIGTERM, before any handler of ours, ends it by default.
    assert code == (130 if signum == signal.SIGINT else -signal.SIGTERM), output
    assert "Plaudit on" not in output and "Traceback" not in output, output


@pytest.mark.skipif(not ON_POSTGRES, reason="on PostgreSQL, where serve does not migrate")
def test_on_postgres_a_schema_behind_the_code_is_said_at_start_and_readyz_is_503(tmp_path):
    env = migrated(program_env(tmp_path, PLAUDIT_LOG_LEVEL="WARNING"))
    with (
        forgotten_latest_migration(env["PLAUDIT_DATABASE_URL"]) as version,
        serving(env) as serve,
    ):
        serve.wait_until(lambda: serve.readyz() is not None, "answered /readyz")
        ready = serve.readyz()
        assert ready is not None and ready.status_code == 503
        assert ready.json()["checks"]["schema"] == "failed"
        assert ready.json()["pending_migrations"] == [version]
        assert "run `plaudit migrate` (pending: " + version in serve.output()

        code = serve.stop(signal.SIGTERM)

    assert code == 0, serve.output()
    assert "Traceback" not in serve.output()


@contextmanager
def forgotten_latest_migration(url: str) -> Iterator[str]:
    """The database forgets its latest migration (its aerich record), then remembers it."""

    async def forget() -> tuple[int, str, str, str]:
        connection = await asyncpg.connect(url)
        try:
            rows = await connection.fetch("SELECT id, version, app, content FROM aerich")
            latest = max(rows, key=lambda row: int(row["version"].split("_", 1)[0]))
            await connection.execute("DELETE FROM aerich WHERE id = $1", latest["id"])
            return latest["id"], latest["version"], latest["app"], latest["content"]
        finally:
            await connection.close()

    async def remember(row: tuple[int, str, str, str]) -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(
                "INSERT INTO aerich (id, version, app, content) VALUES ($1, $2, $3, $4)", *row
            )
        finally:
            await connection.close()

    row = asyncio.run(forget())
    try:
        yield row[1]
    finally:
        asyncio.run(remember(row))
