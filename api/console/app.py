"""The console as one ASGI app mounted at /admin: its routes, its error pages, its headers.

It sits inside the API's own Starlette app (same process, same port, same middleware: request
log, body limit), but answers its own failures: the API's exception handlers answer in JSON
for GraphQL clients, the console answers with pages (`api.console.errors`). So the handlers
the outer app put in the scope are hidden from the console's routes, and every exception comes
back here.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.routing import BaseRoute, Router
from starlette.types import Message, Receive, Scope, Send

from api.console.errors import response_for
from api.console.rendering import SECURITY_HEADERS
from api.console.state import SCOPE_KEY, Console


class ConsoleApp:
    def __init__(self, routes: Sequence[BaseRoute], console: Console) -> None:
        self.router = Router(list(routes))
        self.console = console

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.router(scope, receive, send)
            return
        scope[SCOPE_KEY] = self.console
        # Route-level handling would use the API's (JSON) handlers: keep every error for us.
        scope["starlette.exception_handlers"] = ({}, {})
        static = scope["path"].startswith("/admin/static/")
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if not static:
                    # Pages show members' data: never kept by a browser or proxy cache.
                    headers["cache-control"] = "no-store"
            await send(message)

        try:
            await self.router(scope, receive, send_with_headers)
        except Exception as error:
            if started:
                raise  # the page is half sent: nothing better to do than the server's own
            response = await response_for(Request(scope, receive), error)
            await response(scope, receive, send_with_headers)
