"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse
from tortoise import connections

from domain.infra import migrations, outages
from domain.runtime import Runtime

BEHIND = "the database schema is behind the code: run `plaudit migrate`"


async def healthz(request: Request) -> JSONResponse:
    """The process is up."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    """Database and Redis both answer, the database has every shipped migration applied, and
    the in-process worker (if any) is running; 503 naming what failed otherwise. A schema
    behind the code would fail every query, so it is not ready either."""
    runtime: Runtime = request.app.state.runtime
    checks = {"database": _database(), "redis": _redis(runtime)}
    results = dict(zip(checks, await asyncio.gather(*checks.values()), strict=True))
    pending = await _pending_migrations(runtime) if results["database"] else None
    results["schema"] = pending == []
    worker = getattr(request.app.state, "worker", None)
    if worker is not None:  # `serve --with-worker`: the in-process worker must be polling
        results["worker"] = worker.running
    if results["database"]:
        outages.database.ok()
    if results["redis"]:
        outages.redis.ok()
    failed = [name for name, ok in results.items() if not ok]
    body: dict[str, object] = {
        "status": "ready" if not failed else "unavailable",
        "checks": {name: "ok" if ok else "failed" for name, ok in results.items()},
    }
    if pending:
        body["message"] = BEHIND
        body["pending_migrations"] = pending
    return JSONResponse(body, status_code=503 if failed else 200)


async def _database() -> bool:
    try:
        await asyncio.wait_for(connections.get("default").execute_query("SELECT 1"), 2)
    except Exception:  # any failure means not ready; the reason is not the prober's business
        return False
    return True


async def _pending_migrations(runtime: Runtime) -> list[str] | None:
    """The migrations still to apply; None when that cannot be told (the database failed)."""
    try:
        return await asyncio.wait_for(migrations.pending(runtime.settings), 2)
    except Exception:
        return None


async def _redis(runtime: Runtime) -> bool:
    try:
        return bool(await asyncio.wait_for(runtime.redis.ping(), 2))
    except Exception:
        return False
