"""The console's test harness: the real app on its test port, and Debian's Chromium driving it.

Browser tests drive `/usr/bin/chromium` (Debian's package; `PLAUDIT_CHROMIUM` names another)
with Playwright's async API, launched with `executable_path`, so no browser is ever downloaded.
The browser runs in the tests' own event loop, beside the test server: one browser for the
whole session, a fresh context (cookies, storage) per test.

Without Chromium or the `playwright` package the browser tests are skipped with a message
saying what to install; with `PLAUDIT_REQUIRE_BROWSER=1` (as `.ci/run` sets) they fail instead,
so CI cannot pass by skipping them. Tests that only need HTTP (`console_http`) always run.

- `browser`: the session's Chromium. `page`: a fresh tab; the test fails if the page logged a
  script error or a Content-Security-Policy violation. `admin_page`: a tab signed in as
  `ADMIN_SUBJECT` through the login form.
- `axe(page)`: runs axe-core (npm, `tests/api/console/package.json`, installed by `npm ci` on
  first use) in the page and fails on any serious or critical violation.
- `console_http`: an httpx client with the helpers `login()` and `csrf(path)`, for what a
  browser cannot send (a POST without token, from another origin).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.auth import Role, mint_token
from api.console.state import Console
from domain.infra.settings import Settings
from tests.conftest import Server

CHROMIUM = Path(os.environ.get("PLAUDIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
HERE = Path(__file__).parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
ADMIN_SUBJECT = "pm-camille"
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "console"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def _browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM}: `apt-get install chromium` to run them"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing: `make .venv/.installed` installs it"
    return None


def skip_or_fail(reason: str) -> None:
    if os.environ.get("PLAUDIT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (PLAUDIT_REQUIRE_BROWSER=1): {reason}")
    pytest.skip(f"console browser tests skipped: {reason}")


def console_state(server: Server) -> Console:
    """The app's console state (its clock, verifier...), for tests that move time."""
    for route in server.app.routes:
        if getattr(route, "name", None) == "console":
            console: Console = route.app.console
            return console
    raise AssertionError("the console is not mounted")


def admin_token(settings: Settings, subject: str = ADMIN_SUBJECT, hours: float = 8) -> str:
    return mint_token(settings, subject, Role.ADMIN, timedelta(hours=hours))


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    reason = _browser_missing()
    if reason is not None:
        skip_or_fail(reason)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        await chromium.close()


@dataclass
class PageProblems:
    """What a page reported that a test should never see: script errors, CSP refusals."""

    messages: list[str] = field(default_factory=list)

    def console(self, message: Any) -> None:
        if message.type == "error":
            self.messages.append(message.text)

    def page_error(self, error: Any) -> None:
        self.messages.append(str(error))


async def new_page(
    browser: Any, server: Server, locale: str = "en-US"
) -> tuple[Any, Any, PageProblems]:
    context = await browser.new_context(
        base_url=server.url, locale=locale, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = await context.new_page()
    problems = PageProblems()
    page.on("console", problems.console)
    page.on("pageerror", problems.page_error)
    return context, page, problems


@pytest.fixture
async def page(browser: Any, server: Server) -> AsyncIterator[Any]:
    context, tab, problems = await new_page(browser, server)
    yield tab
    await context.close()
    # A 4xx page logs "Failed to load resource" for itself; anything else is a real problem.
    real = [m for m in problems.messages if "Failed to load resource" not in m]
    assert not real, f"the page reported errors: {real}"


async def sign_in(tab: Any, settings: Settings, subject: str = ADMIN_SUBJECT) -> None:
    """Sign in through the login form, as an admin would."""
    await tab.goto("/admin/login")
    await tab.get_by_label("Admin token").fill(admin_token(settings, subject))
    await tab.get_by_role("button", name="Sign in").click()
    await tab.wait_for_url(re.compile(r".*/admin/(?!login).*"))


@pytest.fixture
async def admin_page(page: Any, settings: Settings) -> Any:
    await sign_in(page, settings)
    return page


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            skip_or_fail("npm is missing: it installs axe-core (tests/api/console/package.json)")
        try:
            subprocess.run(
                [str(npm), "ci", "--no-audit", "--no-fund"],
                cwd=HERE,
                capture_output=True,
                timeout=300,
                check=True,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            skip_or_fail(f"npm ci in tests/api/console failed (offline?): {exc}")
    return AXE.read_text()


@pytest.fixture
def axe(axe_source: str) -> Any:
    """`await axe(page)`: no serious or critical accessibility violation on the page."""

    async def check(tab: Any) -> list[dict[str, Any]]:
        # Evaluated through the DevTools protocol, which the page's CSP does not govern.
        await tab.evaluate(axe_source)
        result = await tab.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"][:5])
            for v in bad
        ]
        assert not bad, f"axe found violations on {tab.url}:\n" + "\n".join(summary)
        return list(result["violations"])

    return check


def screenshot_path(name: str) -> Path | None:
    """Where a test saves the README's screenshot `name`, when PLAUDIT_CONSOLE_SCREENSHOTS=1."""
    if os.environ.get("PLAUDIT_CONSOLE_SCREENSHOTS") != "1":
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / name


@dataclass
class ConsoleHttp:
    """Plain HTTP to the console, for requests a browser would not send."""

    http: httpx.AsyncClient
    settings: Settings

    async def login(self, subject: str = ADMIN_SUBJECT) -> None:
        token = await self.csrf("/admin/login")
        response = await self.http.post(
            "/admin/login",
            data={"token": admin_token(self.settings, subject), "csrf_token": token},
        )
        assert response.status_code == 303, response.text

    async def csrf(self, path: str) -> str:
        """The CSRF token of the forms on `path` (and the cookies that go with it)."""
        response = await self.http.get(path)
        assert response.status_code == 200, response.text
        found = CSRF_INPUT.search(response.text)
        assert found is not None, f"no CSRF input on {path}"
        return found.group(1)


@pytest.fixture
async def console_http(server: Server, settings: Settings) -> AsyncIterator[ConsoleHttp]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield ConsoleHttp(http, settings)
