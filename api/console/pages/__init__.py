"""The console's pages, one module each; `console_routes` mounts every module listed here.

Each module exposes `routes: list[Route]` with paths relative to /admin. Append a new page's
module name to `PAGE_MODULES` (order does not matter: paths do not overlap).
"""

from __future__ import annotations

PAGE_MODULES: list[str] = [
    "login",
    "definitions",
    "members",
    "moderation",
    "dashboard",
    "insight",
    "leaderboards",
    "webhooks",
    "audit",
    "streaks",
    "partners",
    "questionnaires",
]
