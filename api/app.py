"""The Starlette application: GraphQL at /graphql, probes, request logging, body size limit."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from api import graphiql
from api.auth import TokenVerifier
from api.console import console_routes
from api.events.hub import EventHub
from api.guards.body_limit import BodyLimitMiddleware
from api.guards.cors import cors_middleware
from api.guards.frame_limit import FrameLimitMiddleware
from api.guards.rate_limits import RateLimiter
from api.guards.refusals import http_exception
from api.health import healthz, readyz
from api.http import GraphQLView
from api.logging import RequestLogMiddleware
from api.metrics_endpoint import metrics_endpoint
from api.schema import MAX_TOKENS, build_schema
from domain.infra.cancel import cancel_and_wait
from domain.infra.metrics import serve_worker_metrics
from domain.infra.settings import Settings
from domain.runtime import Runtime

log = logging.getLogger("plaudit.api")

WORKER_STOP_S = 5.0  # the in-process worker's jobs are cancelled (rolled back) at shutdown


def create_app(settings: Settings, *, with_worker: bool = False) -> Starlette:
    """Build the app. With `with_worker`, an arq worker runs inside this process (embedded mode)."""
    verifier = TokenVerifier(settings)
    graphql = _ViewSlot()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # The in-process worker's series are at /metrics too (one registry); on their own port
        # only if configured. First, so that a port taken fails before anything is opened.
        port = settings.worker_metrics_port if with_worker else 0
        stop_worker_metrics = serve_worker_metrics(settings.host, port)
        runtime = await Runtime.open(settings)
        app.state.runtime = runtime
        # Members' live events: one Redis pub/sub connection, opened at the first subscriber.
        hub = app.state.event_hub = EventHub(runtime.redis)
        limiter = (
            RateLimiter(settings, runtime.endpoint, max_tokens=MAX_TOKENS)
            if settings.rate_limits
            else None
        )
        graphql.view = GraphQLView(
            build_schema(introspection=settings.introspection),
            runtime,
            verifier,
            hub,
            rate_limiter=limiter,
            graphql_ide="graphiql" if settings.introspection else None,
            allow_queries_via_get=True,
            multipart_uploads_enabled=False,
            allowed_origins=settings.cors_origins,  # the WebSocket handshake's Origin check
        )
        worker_task = None
        app.state.worker = None
        if with_worker:
            from workers.supervisor import Supervisor

            app.state.worker = supervisor = Supervisor(runtime, kind="in-process")
            worker_task = asyncio.create_task(supervisor.run(), name="plaudit-worker")
            worker_task.add_done_callback(_worker_ended)
        try:
            yield
        finally:
            if worker_task is not None:
                worker_task.remove_done_callback(_worker_ended)
                # One cancellation can be lost (`domain.infra.cancel`): never wait for ever.
                stopped = await cancel_and_wait(worker_task, within_s=WORKER_STOP_S)
                if stopped and not worker_task.cancelled() and worker_task.exception():
                    log.warning("the in-process worker failed as it stopped: %r", worker_task)
            stop_worker_metrics()
            await hub.close()
            if limiter is not None:
                await limiter.close()
            await runtime.close()

    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_endpoint, methods=["GET"]),
            # GraphiQL's React, GraphiQL and explorer files: the page loads nothing from a CDN.
            Mount(graphiql.ASSETS_PATH, app=StaticFiles(directory=graphiql.ASSETS)),
            # The admin console's pages (`api.console`), on the same port and process.
            *console_routes(settings),
        ],
        # CORS first: preflights are answered before routing, and refusals carry its headers.
        middleware=[
            *cors_middleware(settings),
            Middleware(RequestLogMiddleware),
            Middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes),
            Middleware(FrameLimitMiddleware, max_frame_bytes=settings.max_body_bytes),
        ],
        exception_handlers={HTTPException: http_exception},
        lifespan=lifespan,
    )


def _worker_ended(task: asyncio.Task[None]) -> None:
    """The in-process worker's supervisor only ends on a fatal error (a Redis namespace owned by
    another database, a bug in the supervisor itself): take the process down, so that its
    supervisor (systemd, Kubernetes...) restarts it, rather than serve without a worker."""
    error = None if task.cancelled() else task.exception()
    log.critical("the in-process worker stopped (%s); shutting the API down", error or "no error")
    fatal.append(error or RuntimeError("the in-process worker stopped"))
    os.kill(os.getpid(), signal.SIGTERM)


# Why the process is shutting down on its own, for `plaudit serve`'s exit code.
fatal: list[BaseException] = []


class _ViewSlot:
    """The GraphQL route's ASGI app, filled in by the lifespan once the runtime exists."""

    view: GraphQLView | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.view is not None, "the lifespan has not started"
        await self.view(scope, receive, send)
