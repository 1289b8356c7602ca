"""What every console response carries and never carries: the security headers, no inline
script or style, no traceback; an unexpected error is a plain page with a reference that the
log repeats."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest

from api.console import rendering
from api.console.pages import members as members_page
from domain.program import actions
from tests.api.console.conftest import ConsoleHttp

TEMPLATES = Path(rendering.__file__).parent / "templates"


def assert_secured(response: Any) -> None:
    policy = response.headers["content-security-policy"]
    directives = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"


async def test_every_kind_of_response_carries_the_security_headers(
    console_http: ConsoleHttp,
) -> None:
    http = console_http.http
    for response in (
        await http.get("/admin/login"),  # a page
        await http.get("/admin/actions"),  # a redirect to the login
        await http.get("/admin/static/console.css"),  # a static file
        await http.get("/admin/static/nothing.css"),  # a 404
        await http.post("/admin/logout"),  # a 403 (no CSRF token)
    ):
        assert_secured(response)
    await console_http.login()
    page = await http.get("/admin/actions")
    assert page.status_code == 200
    assert_secured(page)
    assert page.headers["cache-control"] == "no-store"
    assert (await http.delete("/admin/actions")).status_code == 405


def test_no_template_holds_inline_script_style_or_event_handlers() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, f"{template.name}: an inline <script>"
        assert "<style" not in text, f"{template.name}: an inline <style>"
        assert not re.search(r"\sstyle=", text), f"{template.name}: a style attribute"
        assert not re.search(r"\son[a-z]+\s*=", text), f"{template.name}: an event handler"
        assert "javascript:" not in text, f"{template.name}: a javascript: URL"
        assert "|safe" not in text.replace(" ", ""), f"{template.name}: output marked safe"


async def test_a_bug_is_a_plain_page_with_the_reference_the_log_repeats(
    admin_page: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, axe: Any
) -> None:
    async def broken(text: str, limit: int = 50) -> list[Any]:
        raise RuntimeError("the search broke: secret detail")

    monkeypatch.setattr(members_page, "search_members", broken)
    with caplog.at_level(logging.ERROR, logger="plaudit.console"):
        response = await admin_page.goto("/admin/members?q=ada")
    assert response.status == 500
    main = await admin_page.locator("main").inner_text()
    assert "Something went wrong" in main
    assert "secret detail" not in await admin_page.content()
    assert "Traceback" not in await admin_page.content()
    reference = await admin_page.locator("code.reference").inner_text()
    assert re.fullmatch(r"[0-9a-f]{16}", reference)
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].levelno == logging.ERROR and logged[0].exc_info is not None
    await axe(admin_page)


async def test_a_bug_under_a_graphql_read_shows_the_schemas_own_reference(
    admin_page: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(include_inactive: bool) -> list[Any]:
        raise RuntimeError("the actions broke")

    monkeypatch.setattr(actions, "list_actions", broken)
    with caplog.at_level(logging.ERROR):
        response = await admin_page.goto("/admin/actions")
    assert response.status == 500
    reference = await admin_page.locator("code.reference").inner_text()
    # `MaskUnexpectedErrors` logged it once, with its traceback, under the same reference.
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is not None


async def test_an_unknown_page_keeps_the_navigation_for_a_signed_in_admin(
    admin_page: Any, axe: Any
) -> None:
    response = await admin_page.goto("/admin/no-such-page")
    assert response.status == 404
    await admin_page.get_by_role("navigation", name="Sections").wait_for()
    await axe(admin_page)


async def test_the_keyboard_reaches_the_skip_link_first_and_it_jumps_to_the_content(
    admin_page: Any,
) -> None:
    await admin_page.goto("/admin/actions")
    await admin_page.keyboard.press("Tab")
    focused = await admin_page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    await admin_page.keyboard.press("Enter")
    assert await admin_page.evaluate("document.activeElement.id") == "main"
    # From there, Tab goes into the page's own content (its first link or field).
    await admin_page.keyboard.press("Tab")
    inside = await admin_page.evaluate("!!document.activeElement.closest('main')")
    assert inside


async def test_a_whole_form_is_filled_and_sent_from_the_keyboard(admin_page: Any) -> None:
    page = admin_page
    await page.goto("/admin/tiers")
    await page.get_by_label("Key", exact=True).focus()
    await page.keyboard.type("gold")
    await page.keyboard.press("Tab")
    await page.keyboard.type("Gold")
    await page.keyboard.press("Tab")
    await page.keyboard.type("100")
    # Multiplier, benefits, archived, then the button: Enter on it sends the form.
    for _ in range(4):
        await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.textContent") == "Save"
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert page.url.endswith("/admin/tiers?saved=gold")


async def test_hostile_requests_get_plain_4xx_pages_and_log_no_error(
    console_http: ConsoleHttp, caplog: pytest.LogCaptureFixture
) -> None:
    await console_http.login()
    http = console_http.http
    token = await console_http.csrf("/admin/actions")
    with caplog.at_level(logging.WARNING):
        answers = [
            await http.get("/admin/members/%00"),
            await http.get("/admin/actions/%00/edit"),
            await http.get(
                "/admin/members", params={"q": "\ud800".encode("utf-8", "surrogatepass")}
            ),
            await http.get("/admin/moderation", params={"after": "\x00"}),
            await http.post(
                "/admin/actions",
                content=b"--x\r\nnonsense",
                headers={"content-type": "multipart/form-data; boundary=x"},
            ),
            await http.post("/admin/actions", json={"csrf_token": token, "key": "a"}),
            await http.post(
                "/admin/actions",
                data={"csrf_token": token, "key": "a\x00b", "name": "x" * 100_000, "points": "1"},
            ),
            await http.post(
                "/admin/members/ada/adjust",
                data={"csrf_token": token, "amount": "99999999999999", "reason": "r"},
            ),
            await http.get("/admin/login", headers={"accept-language": "fr;q=1," * 5000}),
        ]
    statuses = [answer.status_code for answer in answers]
    assert all(status < 500 for status in statuses), statuses
    for answer in answers:
        assert "Traceback" not in answer.text
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []


@pytest.mark.parametrize("path", [path for path, _ in rendering.NAV] + ["/admin/members/ada"])
async def test_every_page_needs_a_session_and_a_member_token_is_none(
    console_http: ConsoleHttp, path: str
) -> None:
    from tests.conftest import token

    member = {"authorization": f"Bearer {token(console_http.settings, 'ada')}"}
    response = await console_http.http.get(path, headers=member)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/admin/login?next=")
    assert_secured(response)


async def test_what_the_login_page_echoes_is_escaped(page: Any) -> None:
    await page.goto('/admin/login?next=/admin/x"><img src=x onerror=alert(1)>')
    assert await page.locator("img").count() == 0
    echoed = await page.locator("input[name='next']").get_attribute("value")
    assert echoed == '/admin/x"><img src=x onerror=alert(1)>'
