"""The admin console: server-rendered pages at /admin, on the API's own port and process.

For program managers: define actions, tiers, rewards, badges and challenges, moderate content,
look members up, read the dashboard, leaderboards, insight and the audit log. No build step:
Jinja2 templates (`templates/`), one stylesheet and one small script (`static/`), catalogs
(`locale/`).

How a page is written (`pages/<name>.py`, listed in `pages.PAGE_MODULES`):

- the module exposes `routes: list[Route]`, with paths relative to /admin
  (`Route("/actions", ...)` serves /admin/actions);
- a handler starts with `viewer = await require_admin(request)` (`session`), a POST handler
  then `await check_csrf(request)` (`csrf`), and it ends with
  `return render(request, "<name>.html", ...)` (`rendering`);
- reads and writes go through the API's own GraphQL schema, executed in process with the
  admin's token (`graphql`): the same resolvers, the same domain services, the same
  all-or-nothing transaction and audit record as a GraphQL client's mutation. Never a second
  write path;
- forms name their inputs after the GraphQL input fields and show refusals inline with their
  code (`forms`).

Security: cookie sessions from an ADMIN token (`session`), CSRF tokens and an origin check on
every POST (`csrf`), a strict Content-Security-Policy with no inline script and
`frame-ancestors 'none'` on every response (`rendering`, `app`), escaped output everywhere,
error pages without tracebacks (`errors`).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from api.auth import TokenVerifier
from api.console.app import ConsoleApp
from api.console.pages import PAGE_MODULES
from api.console.state import Console
from domain.infra.settings import Settings

STATIC = Path(__file__).parent / "static"


def console_routes(settings: Settings) -> list[BaseRoute]:
    """The console, mounted at /admin: every page module's routes and the static files."""
    console = Console(settings=settings, verifier=TokenVerifier(settings))
    routes: list[BaseRoute] = [Mount("/static", app=StaticFiles(directory=STATIC), name="static")]
    for name in PAGE_MODULES:
        module = importlib.import_module(f"api.console.pages.{name}")
        routes.extend(module.routes)
    return [Mount("/admin", app=ConsoleApp(routes, console), name="console")]
