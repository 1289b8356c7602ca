"""What every console request can reach: the settings, the token verifier and the clock.

One `Console` per app, handed to each request in its ASGI scope by `api.console.app.ConsoleApp`
(`console_of(request)`); the runtime (database, Redis) is the app's own (`runtime_of`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from starlette.requests import Request

from api.auth import TokenVerifier
from domain.infra.settings import Settings
from domain.runtime import Runtime

SCOPE_KEY = "plaudit.console"


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Console:
    settings: Settings
    verifier: TokenVerifier
    # When sessions end is decided with this clock: tests move it instead of sleeping.
    clock: Callable[[], datetime] = field(default=_utc_now)

    def now(self) -> datetime:
        return self.clock()


def console_of(request: Request) -> Console:
    console: Console = request.scope[SCOPE_KEY]
    return console


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime
