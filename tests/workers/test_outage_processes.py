"""Outages through real processes: `plaudit serve` and `plaudit worker` children, a redis-server
of the test's own (stopped and started again, empty), and, where PostgreSQL is available, a
throwaway PostgreSQL cluster restarted under load. Everything goes through the API.

The Redis outage lasts OUTAGE_S (4 s rather than the issue's 10 s, to keep the suite quick: the
worker's backoff is capped at 5 s, so a longer outage only adds waiting).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.auth import Role, mint_token
from domain.infra.settings import Settings
from tests.conftest import SECRET, RedisProcess
from tests.helpers import (
    INTERACTION,
    LEADERBOARD,
    PLAUDIT,
    RECORD,
    UPSERT_ACTION,
    action_input,
    free_port,
)

OUTAGE_S = 4.0
AWARD_WITHIN_S = 60.0
TOKENS = Settings.from_env({"PLAUDIT_JWT_SECRET": SECRET})


class Program:
    """One Plaudit deployment: `serve --with-worker`, or `serve` plus a separate `worker`."""

    def __init__(self, root: Path, redis_url: str, *, separate_worker: bool, **env: str) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.separate_worker = separate_worker
        clean = {k: v for k, v in os.environ.items() if not k.startswith("PLAUDIT_")}
        self.env = clean | {
            "PLAUDIT_DATA_DIR": str(root / "data"),
            "PLAUDIT_REDIS_URL": redis_url,
            "PLAUDIT_JWT_SECRET": SECRET,
            "PLAUDIT_PORT": str(self.port),
            "PLAUDIT_LOG_LEVEL": "INFO",
            "PLAUDIT_SWEEP_AFTER_SECONDS": "1",
            # The test polls every waiting interaction four times a second while an outage
            # delays them: production's per-token limit (6000/minute) would refuse it.
            "PLAUDIT_RATE_LIMIT_SUBJECT_REQUESTS": "1000000/minute",
            **env,
        }
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=30)

    @property
    def settings(self) -> Settings:
        return Settings.from_env(self.env)

    def spawn(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.root / f"{name}.log").open("ab")
        process = subprocess.Popen([PLAUDIT, *args], env=self.env, stdout=log, stderr=log)
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text(errors="replace")

    def start(self) -> Program:
        if not self.settings.uses_sqlite:
            migrate = subprocess.run(
                [PLAUDIT, "migrate"], env=self.env, capture_output=True, timeout=120
            )
            assert migrate.returncode == 0, migrate.stderr
        self.spawn("api", "serve", *([] if self.separate_worker else ["--with-worker"]))
        self.wait_until_up()
        if self.separate_worker:
            self.wait_until_working(self.spawn("worker", "worker"))
        return self

    @property
    def worker(self) -> subprocess.Popen[bytes]:
        return self.processes["worker" if self.separate_worker else "api"]

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.processes["api"].poll() is None, self.log("api")
            try:
                if self.http.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError("plaudit serve did not start:\n" + self.log("api"))

    def wait_until_working(self, worker: subprocess.Popen[bytes]) -> None:
        """Until the worker beats: it found the database and Redis at start-up (a worker that
        cannot reach them then exits, so an outage must not begin before this)."""
        name = next(n for n, p in self.processes.items() if p is worker)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert worker.poll() is None, self.log(name)
            if f"pid {worker.pid}): running" in self.plaudit("status").stdout:
                return
            time.sleep(0.2)
        raise AssertionError(f"plaudit worker ({name}) did not start:\n" + self.log(name))

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.http.close()

    def gql(self, query: str, variables: dict[str, Any], who: tuple[str, str]) -> dict[str, Any]:
        subject, role = who
        bearer = mint_token(TOKENS, subject, Role(role), timedelta(hours=1))
        response = self.http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {bearer}"},
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def define(self, key: str = "app.visit", points: int = 10) -> None:
        body = self.gql(
            UPSERT_ACTION,
            {"input": action_input(key, points, memberReportable=True)},
            ("root", "admin"),
        )
        assert body["data"]["upsertAction"]["errors"] == [], body

    def record(self, member: str, key: str, action: str = "app.visit") -> dict[str, Any]:
        """The API's answer to one recordInteraction (a payload, or the errors)."""
        return self.gql(
            RECORD, {"input": {"action": action, "idempotencyKey": key}}, (member, "member")
        )

    def recorded(self, member: str, key: str) -> str:
        body = self.record(member, key)
        assert "errors" not in body, body
        payload = body["data"]["recordInteraction"]
        assert payload["errors"] == [], payload
        interaction_id: str = payload["interaction"]["id"]
        return interaction_id

    def status(self, interaction_id: str) -> str:
        body = self.gql(INTERACTION, {"id": interaction_id}, ("root", "admin"))
        status: str = body["data"]["interaction"]["status"]
        return status

    def wait_awarded(self, ids: list[str], within: float = AWARD_WITHIN_S) -> None:
        deadline = time.monotonic() + within
        waiting = list(ids)
        while waiting and time.monotonic() < deadline:
            waiting = [i for i in waiting if self.status(i) != "AWARDED"]
            if waiting:
                time.sleep(0.25)
        assert not waiting, f"not AWARDED within {within}s: {waiting}\n" + self.logs()

    def logs(self) -> str:
        return "\n".join(f"--- {name}\n{self.log(name)[-4000:]}" for name in self.processes)

    def plaudit(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PLAUDIT, *args], env=self.env | env, capture_output=True, text=True, timeout=60
        )


def messages(log: str) -> list[str]:
    found = []
    for line in log.splitlines():
        try:
            found.append(str(json.loads(line).get("msg", "")))
        except ValueError:
            found.append(line)
    return found


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisProcess]:
    (tmp_path / "redis").mkdir()
    redis = RedisProcess(tmp_path / "redis")
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def programs() -> Iterator[list[Program]]:
    started: list[Program] = []
    yield started
    for program in started:
        program.stop()


@pytest.mark.parametrize("separate_worker", [False, True], ids=["with-worker", "plaudit-worker"])
def test_a_redis_outage_delays_awards_and_the_same_worker_process_resumes(
    tmp_path: Path, redis_server: RedisProcess, programs: list[Program], separate_worker: bool
) -> None:
    program = Program(tmp_path / "program", redis_server.url, separate_worker=separate_worker)
    programs.append(program.start())
    program.define()
    before = [program.recorded("ada", f"before-{n}") for n in range(3)]
    program.wait_awarded(before)
    worker_pid = program.worker.pid

    redis_server.stop()
    outage_ends = time.monotonic() + OUTAGE_S
    during = []
    while time.monotonic() < outage_ends:
        during.append(program.recorded("ada", f"during-{len(during)}"))
        time.sleep(0.5)
    assert program.http.get("/readyz").status_code == 503
    board = program.gql(LEADERBOARD, {"period": "WEEKLY"}, ("ada", "member"))
    assert [e["extensions"]["code"] for e in board["errors"]] == ["UNAVAILABLE"], board
    redis_server.start()  # empty, as after a crash
    after = [program.recorded("bob", f"after-{n}") for n in range(3)]

    program.wait_awarded(during + after)
    assert program.worker.poll() is None and program.worker.pid == worker_pid
    later = [program.recorded("bob", f"later-{n}") for n in range(3)]
    program.wait_awarded(later, within=15)

    ready = program.http.get("/readyz")
    assert ready.status_code == 200, ready.text
    if not separate_worker:
        assert ready.json()["checks"]["worker"] == "ok"
    status = program.plaudit("status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert f"pid {worker_pid}): running" in status.stdout
    assert "sweeps" in status.stdout and "last never" not in status.stdout.split("batches")[1]

    worker_log = messages(program.log("worker" if separate_worker else "api"))
    assert sum("redis unavailable" in m for m in worker_log) == 1, worker_log
    assert sum("redis available again" in m for m in worker_log) == 1, worker_log
    assert not [m for m in worker_log if "Traceback" in m or "worker failed" in m]


def test_two_programs_share_a_redis_server_and_each_awards_its_own(
    tmp_path: Path, redis_server: RedisProcess, programs: list[Program]
) -> None:
    first = Program(tmp_path / "first", redis_server.url, separate_worker=False)
    second = Program(tmp_path / "second", redis_server.url, separate_worker=True)
    assert first.settings.redis_namespace != second.settings.redis_namespace
    programs += [first.start(), second.start()]
    first.define(points=10)
    second.define(points=7)

    ids = {program: [program.recorded("ada", f"k{n}") for n in range(5)] for program in programs}
    for program, interactions in ids.items():
        program.wait_awarded(interactions, within=20)
    me = "query { me { points { balance } } }"
    assert first.gql(me, {}, ("ada", "member"))["data"]["me"]["points"]["balance"] == 50
    assert second.gql(me, {}, ("ada", "member"))["data"]["me"]["points"]["balance"] == 35


def test_a_namespace_claimed_by_another_database_refuses_to_start(
    tmp_path: Path, redis_server: RedisProcess, programs: list[Program]
) -> None:
    owner = Program(tmp_path / "owner", redis_server.url, separate_worker=False)
    programs.append(owner.start())
    taken = owner.settings.redis_namespace
    intruder = Program(
        tmp_path / "intruder", redis_server.url, separate_worker=False, PLAUDIT_REDIS_PREFIX=taken
    )
    for command in (["worker"], ["serve", "--with-worker"]):
        result = intruder.plaudit(*command)
        assert result.returncode == 2, result.stdout + result.stderr
        [line] = result.stderr.splitlines()
        assert line.startswith("plaudit: invalid configuration: PLAUDIT_REDIS_PREFIX:")
        assert "already claimed by database" in line
    # The owner is untouched.
    owner.define()
    owner.wait_awarded([owner.recorded("ada", "k")], within=20)


# PostgreSQL restarted under load (only where PostgreSQL runs: `.ci/run`'s PostgreSQL pass).

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class ThrowawayPostgres:
    """A PostgreSQL cluster of the test's own, in a temporary directory, to restart at will."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.data = directory / "pgdata"
        self.port = free_port()

    def _as_postgres(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"

    def create(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._as_postgres(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust"
        )
        self.start()
        self._as_postgres(
            str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "plaudit_outage",
        )  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/plaudit_outage"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        self._as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
            "-l", str(self.directory / "postgres.log"), "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def postgres() -> Iterator[ThrowawayPostgres]:
    if not os.environ.get("PLAUDIT_DATABASE_URL"):
        pytest.skip("PostgreSQL tests run in the PostgreSQL pass (PLAUDIT_DATABASE_URL set)")
    if not (PG_BIN / "initdb").exists() or (os.geteuid() != 0 and not shutil.which("pg_ctl")):
        pytest.skip("needs PostgreSQL 15's binaries to start a throwaway cluster")
    # Not under tmp_path: the postgres user must be able to reach the directory.
    with tempfile.TemporaryDirectory(prefix="plaudit-pg-") as directory:
        server = ThrowawayPostgres(Path(directory))
        server.create()
        yield server
        with contextlib.suppress(AssertionError):
            server.stop()


def test_postgres_restarted_under_load_loses_and_doubles_nothing(
    tmp_path: Path, redis_server: RedisProcess, postgres: ThrowawayPostgres, programs: list[Program]
) -> None:
    program = Program(
        tmp_path / "program",
        redis_server.url,
        separate_worker=True,
        PLAUDIT_DATABASE_URL=postgres.url,
        PLAUDIT_WORKER_BATCH_SIZE="5",
    )
    programs.append(program.start())
    # A second worker, so batches race the restart.
    program.wait_until_working(program.spawn("api-worker", "worker"))
    program.define(points=10)
    api_pid, worker_pid = program.processes["api"].pid, program.worker.pid

    keys = [(f"m{n % 7}", f"load-{n}") for n in range(80)]
    recorded: dict[tuple[str, str], str] = {}
    unavailable: list[dict[str, Any]] = []

    def load() -> None:
        for member, key in keys:
            while (member, key) not in recorded:  # an UNAVAILABLE answer is retried, same key
                body = program.record(member, key)
                if "errors" in body:
                    unavailable.append(body)
                    time.sleep(0.2)
                    continue
                recorded[member, key] = body["data"]["recordInteraction"]["interaction"]["id"]
            time.sleep(0.05)

    loader = threading.Thread(target=load)
    loader.start()
    time.sleep(1.5)
    postgres.stop()
    time.sleep(OUTAGE_S)
    postgres.start()
    loader.join(120)
    assert not loader.is_alive()

    program.wait_awarded(list(recorded.values()))
    assert unavailable, "the restart was not noticed: no request was refused"
    for body in unavailable:
        assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAVAILABLE"], body
    points = "query { me { points { balance lifetime } history(first: 100) { edges { cursor } } } }"
    for member in {member for member, _ in keys}:
        mine = sum(1 for m, _ in keys if m == member)
        me = program.gql(points, {}, (member, "member"))["data"]["me"]
        assert me["points"] == {"balance": 10 * mine, "lifetime": 10 * mine}, member
        assert len(me["history"]["edges"]) == mine
    assert program.processes["api"].poll() is None and program.processes["api"].pid == api_pid
    assert program.worker.poll() is None and program.worker.pid == worker_pid
    for name in program.processes:
        assert "Traceback" not in program.log(name), program.log(name)[-4000:]
