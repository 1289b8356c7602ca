"""Profile the read paths in-process: the mobile app's `me` progress screen, `around` and top 10.

The wrk benchmark (`--scenario leaderboard`) says how fast a read is beside `{ hello }`; this
script says where a read's time goes, cheaply enough to run after every change. It builds the
real app (`api.app.create_app`, every middleware and extension), and calls it as an ASGI app
straight from this process (no sockets, no HTTP client), one request at a time, so the CPU
time it reports per request is the API's own: routing, authentication, parsing (cached),
execution, the database driver and the Redis client, JSON.

Set-up (`--setup`, destructive: it drops every table of the database and flushes the Redis db):
the bench program (`tests.bench.program`: 50 badges, 10 challenges), `--members` seeded members
with ALL_TIME scores (as `tests.bench.db` seeds them), the reader's 12 interactions decided by a
burst worker, the boards rebuilt. Without `--setup` it reuses what an earlier set-up left.

    PLAUDIT_DATABASE_URL=postgres://plaudit:plaudit@127.0.0.1:5432/plaudit_test_h7 \\
    PLAUDIT_REDIS_URL=redis://127.0.0.1:6379/9 \\
    .venv/bin/python -m tests.bench.profile_reads --setup --requests 300 [--profile me]

It prints one JSON line: per mode, CPU µs and wall µs per request and SQL statements per
request; with `--profile MODE`, the cProfile of that mode's requests (top functions) on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import json
import os
import pstats
import random
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from starlette.applications import Starlette

from api.app import create_app
from api.auth import Role, mint_token
from domain.infra import migrations
from domain.infra.settings import Settings
from domain.leaderboards import scores as leaderboards
from domain.runtime import Runtime
from tests.bench import program, reads
from tests.bench.db import SEED_PREFIX, Postgres, Sqlite, flush_redis
from tests.bench.leaderboard import AROUND, TOP
from tests.helpers import RECORD, UPSERT_ACTION, action_input, counting
from workers.settings import build_worker

MODES = ("me", "around", "top10", "typename")
# The app's fixed cost per request (HTTP, middleware, context, extensions) for reference.
TYPENAME = "query Typename { __typename }"
SECRET = "profile-reads-secret-that-is-long-enough-for-hs256"


class App:
    """The Starlette app, called in-process: one POST /graphql per `post`."""

    def __init__(self, app: Starlette, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def token(self, subject: str, role: str) -> str:
        return mint_token(self.settings, subject, Role(role), timedelta(hours=6))

    async def post(self, query: str, variables: dict[str, Any], bearer: str) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": variables}).encode()
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"host", b"127.0.0.1"),
                (b"content-type", b"application/json"),
                (b"accept", b"application/graphql-response+json, application/json"),
                (b"authorization", f"Bearer {bearer}".encode()),
                (b"content-length", str(len(body)).encode()),
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        sent = False
        chunks: list[bytes] = []
        status = 0

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.Event().wait()  # the client never disconnects
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        answer: dict[str, Any] = json.loads(b"".join(chunks))
        if status != 200 or answer.get("errors"):
            raise RuntimeError(f"{status}: {json.dumps(answer)[:500]}")
        return answer["data"]  # type: ignore[no-any-return]


@contextlib.asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[App]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield App(app, settings)


def settings_from_env() -> Settings:
    env = {key: value for key, value in os.environ.items() if key.startswith("PLAUDIT_")}
    # The data dir holds the SQLite file (when no PLAUDIT_DATABASE_URL) and the dev keys.
    env.setdefault("PLAUDIT_DATA_DIR", str(Path(tempfile.gettempdir()) / "plaudit-profile-reads"))
    env.setdefault("PLAUDIT_JWT_SECRET", SECRET)
    env.setdefault("PLAUDIT_LOG_LEVEL", "WARNING")
    env.setdefault("PLAUDIT_RATE_LIMITS", "false")
    return Settings.from_env(env)


def wipe_and_seed(settings: Settings, members: int) -> None:
    """Empty the database and Redis db, migrate, and seed `members` members with scores."""
    if not settings.uses_sqlite:
        db_name = urlparse(settings.database_identity).path.lstrip("/")
        if "bench" not in db_name and "test" not in db_name:
            raise SystemExit(f"refusing to wipe {db_name!r}: its name has no 'bench' or 'test'")
    redis_url = os.environ.get("PLAUDIT_REDIS_URL")
    if redis_url:
        if urlparse(redis_url).path.strip("/") in ("", "0"):
            raise SystemExit("refusing to flush Redis db 0: give PLAUDIT_REDIS_URL a db number")
        flush_redis(redis_url)
    database: Postgres | Sqlite
    if settings.uses_sqlite:
        path = Path(settings.database_identity)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        asyncio.run(migrations.apply(settings))
        database = Sqlite(path)
    else:
        database = Postgres(settings.database_url)
        database.wipe()
        asyncio.run(migrations.apply(settings))
    try:
        seconds = database.seed(members)
    finally:
        database.close()
    print(f"seeded {members} members in {seconds:.1f}s", file=sys.stderr)


async def define_program(app: App) -> str:
    """The bench action and program, the reader's interactions (awarded by a burst worker),
    the boards rebuilt. Returns the reader's id."""
    admin = app.token("bench-admin", "admin")
    action = reads.ACTION
    definition = action_input(action, 10, limits=[], cooldownSeconds=0, memberReportable=False)
    await app.post(UPSERT_ACTION, {"input": definition}, admin)
    now = datetime.now(UTC)
    for index in range(program.BADGES):
        badge = {
            "key": f"bench.badge{index}",
            "name": f"Bench badge {index}",
            "secret": index % 10 == 9,
            "goals": program.badge_goals(index, action, False),
            "rewardPoints": 5 if index % 2 else 0,
        }
        await app.post(program.UPSERT_BADGE, {"input": badge}, admin)
    for index in range(program.CHALLENGES):
        challenge = {
            "key": f"bench.challenge{index}",
            "name": f"Bench challenge {index}",
            "startsAt": (now - timedelta(hours=1)).isoformat(),
            "endsAt": (now + timedelta(days=7)).isoformat(),
            "goals": [
                {"metric": "ACTION_COUNT", "action": action, "target": 10 * (1 + index)},
                {"metric": "ACTIVE_DAYS", "target": 1},
            ],
            "rewardPoints": 20,
            "rewardBadgeKey": f"bench.badge{index}" if index < 3 else None,
        }
        await app.post(program.UPSERT_CHALLENGE, {"input": challenge}, admin)
    service = app.token("bench-service", "service")
    for index in range(reads.READER_INTERACTIONS):
        occurred = now - timedelta(days=index % 4, minutes=5 + index)
        variables = {
            "action": action,
            "idempotencyKey": f"read-{index}",
            "memberId": reads.READER,
            "occurredAt": occurred.isoformat(),
        }
        await app.post(RECORD, {"input": variables}, service)
    runtime: Runtime = app.app.state.runtime
    await build_worker(runtime, burst=True).async_run()
    await leaderboards.rebuild(runtime.leaderboards, datetime.now(UTC), app.settings.tz)
    return reads.READER


async def measure(
    app: App, mode: str, requests: int, members: int, profile: cProfile.Profile | None
) -> dict[str, Any]:
    viewer = app.token(f"{SEED_PREFIX}1", "member")
    reader = app.token(reads.READER, "member")
    chooser = random.Random(7)

    def request() -> tuple[str, dict[str, Any], str]:
        if mode == "me":
            return reads.ME, {}, reader
        if mode == "around":
            return AROUND, {"memberId": f"{SEED_PREFIX}{chooser.randint(1, members)}"}, viewer
        if mode == "top10":
            return TOP, {}, viewer
        return TYPENAME, {}, viewer

    for _ in range(min(50, requests)):  # warm: caches, loaders, the JIT-less interpreter's own
        await app.post(*request())
    calls = [request() for _ in range(requests)]
    with counting() as statements:
        cpu, wall = time.process_time(), time.perf_counter()
        if profile is not None:
            profile.enable()
        for call in calls:
            await app.post(*call)
        if profile is not None:
            profile.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "requests": requests,
        "cpu_us_per_request": round(cpu / requests * 1e6),
        "wall_us_per_request": round(wall / requests * 1e6),
        "sql_statements_per_request": round(len(statements.statements) / requests, 2),
    }


async def profile_reads(settings: Settings, options: argparse.Namespace) -> dict[str, Any]:
    async with running(settings) as app:
        if options.setup:
            await define_program(app)
        screen = (await app.post(reads.ME, {}, app.token(reads.READER, "member")))["me"]
        report: dict[str, Any] = {
            "database": "sqlite" if settings.uses_sqlite else "postgres",
            "members": options.members,
            "me_screen": {
                "badges": len(screen["badges"]),
                "earned": sum(1 for badge in screen["badges"] if badge["earned"]),
                "challenges": len(screen["challenges"]),
            },
        }
        for mode in options.modes:
            profile = cProfile.Profile() if mode == options.profile else None
            report[mode] = await measure(app, mode, options.requests, options.members, profile)
            if profile is not None:
                out = io.StringIO()
                stats = pstats.Stats(profile, stream=out).strip_dirs()
                stats.sort_stats(options.sort).print_stats(options.top)
                print(out.getvalue(), file=sys.stderr)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.profile_reads")
    parser.add_argument("--setup", action="store_true", help="wipe, seed and define (destructive)")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--profile", choices=MODES, help="cProfile this mode's requests")
    parser.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative)")
    parser.add_argument("--top", type=int, default=40, help="functions shown in the profile")
    options = parser.parse_args(argv)
    settings = settings_from_env()
    if options.setup:
        wipe_and_seed(settings, options.members)
    report = asyncio.run(profile_reads(settings, options))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
