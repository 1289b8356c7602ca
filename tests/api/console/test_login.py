"""Signing in to the console: ADMIN tokens only, sessions that end, pages behind the login."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx

from api.auth import Role, mint_token
from tests.api.console.conftest import (
    ADMIN_SUBJECT,
    ConsoleHttp,
    admin_token,
    console_state,
    sign_in,
)


async def test_an_admin_token_signs_in_and_the_cookie_is_locked_down(
    page: Any, settings: Any, axe: Any
) -> None:
    response = await page.goto("/admin/login")
    assert response.status == 200
    await axe(page)
    await page.get_by_label("Admin token").fill(admin_token(settings))
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(re.compile(r".*/admin/$"))
    cookies = {c["name"]: c for c in await page.context.cookies()}
    session = cookies["plaudit_console"]
    assert session["httpOnly"] and session["sameSite"] == "Strict"
    assert session["path"] == "/admin"
    assert not session["secure"]  # plain http here; Secure behind https


async def test_member_and_service_tokens_are_refused_with_a_clear_message(
    page: Any, settings: Any
) -> None:
    for role in (Role.MEMBER, Role.SERVICE):
        await page.goto("/admin/login")
        await page.get_by_label("Admin token").fill(
            mint_token(settings, "someone", role, timedelta(hours=1))
        )
        await page.get_by_role("button", name="Sign in").click()
        error = page.locator("#f-token-error")
        await error.wait_for()
        text = await error.inner_text()
        assert "FORBIDDEN" in text
        assert f"this is a {role.value.upper()} token: the console needs an ADMIN token" in text
        assert "plaudit_console" not in {c["name"] for c in await page.context.cookies()}


async def test_a_bad_or_missing_token_is_refused_inline(page: Any, axe: Any) -> None:
    await page.goto("/admin/login")
    await page.get_by_role("button", name="Sign in").click()
    await page.locator("#f-token-error").wait_for()
    assert "INVALID_INPUT" in await page.locator("#f-token-error").inner_text()
    assert await page.get_by_label("Admin token").get_attribute("aria-invalid") == "true"
    await axe(page)
    await page.get_by_label("Admin token").fill("not.a.jwt")
    await page.get_by_role("button", name="Sign in").click()
    await page.locator("#f-token-error").wait_for()
    assert "UNAUTHENTICATED" in await page.locator("#f-token-error").inner_text()


async def test_a_page_without_a_session_redirects_to_login_and_back(
    page: Any, settings: Any
) -> None:
    await page.goto("/admin/members?q=ada")
    assert re.search(r"/admin/login\?next=/admin/members%3Fq%3Dada$", page.url)
    await page.get_by_label("Admin token").fill(admin_token(settings))
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(re.compile(r".*/admin/members\?q=ada$"))


async def test_the_session_ends_when_the_token_expires(
    console_http: ConsoleHttp, server: Any
) -> None:
    await console_http.login()
    assert (await console_http.http.get("/admin/login")).status_code == 303  # signed in
    console = console_state(server)
    original = console.clock
    try:
        later = original() + timedelta(hours=8, seconds=1)
        console.clock = lambda: later
        response = await console_http.http.get("/admin/actions")
        assert response.status_code == 303
        assert response.headers["location"] == "/admin/login?next=/admin/actions&ended=1"
    finally:
        console.clock = original


async def test_logout_ends_the_session_for_every_copy_of_the_cookie(
    console_http: ConsoleHttp,
) -> None:
    await console_http.login()
    stolen = dict(console_http.http.cookies)
    token = await console_http.csrf("/admin/actions")
    response = await console_http.http.post("/admin/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login?signed_out=1"
    async with httpx.AsyncClient(base_url=str(console_http.http.base_url)) as thief:
        thief.cookies.update(stolen)
        replayed = await thief.get("/admin/actions")
    assert replayed.status_code == 303
    assert replayed.headers["location"].startswith("/admin/login")


async def test_login_and_logout_need_the_csrf_token(
    console_http: ConsoleHttp, settings: Any
) -> None:
    await console_http.csrf("/admin/login")  # the login cookie, but no token in the form
    refused = await console_http.http.post("/admin/login", data={"token": admin_token(settings)})
    assert refused.status_code == 403
    assert "plaudit_console" not in refused.headers.get("set-cookie", "")
    await console_http.login()
    refused = await console_http.http.post("/admin/logout", data={})
    assert refused.status_code == 403
    assert (await console_http.http.get("/admin/login")).status_code == 303  # still signed in


async def test_a_post_from_another_origin_is_refused_even_with_the_token(
    console_http: ConsoleHttp,
) -> None:
    await console_http.login()
    token = await console_http.csrf("/admin/actions")
    refused = await console_http.http.post(
        "/admin/logout", data={"csrf_token": token}, headers={"origin": "https://evil.example"}
    )
    assert refused.status_code == 403
    refused = await console_http.http.post(
        "/admin/logout", data={"csrf_token": token}, headers={"sec-fetch-site": "cross-site"}
    )
    assert refused.status_code == 403
    assert (await console_http.http.get("/admin/login")).status_code == 303  # still signed in


async def test_a_next_parameter_cannot_send_the_admin_elsewhere(page: Any, settings: Any) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/graphql"):
        await page.context.clear_cookies()
        await page.goto(f"/admin/login?next={target}")
        await page.get_by_label("Admin token").fill(admin_token(settings))
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(re.compile(r".*/admin/$"))


async def test_signed_in_the_header_names_the_admin(page: Any, settings: Any) -> None:
    await sign_in(page, settings)
    assert ADMIN_SUBJECT in await page.locator("header .who").inner_text()


async def test_behind_https_the_session_cookie_is_secure(console_http: ConsoleHttp) -> None:
    https = {"x-forwarded-proto": "https"}  # as a TLS proxy on loopback says (uvicorn trusts it)
    page = await console_http.http.get("/admin/login", headers=https)
    assert "; secure" in page.headers["set-cookie"].lower()  # the login form's CSRF cookie
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    settings = console_http.settings
    # httpx keeps a Secure cookie for https only: send it back by hand, as the browser would.
    signed_in = await console_http.http.post(
        "/admin/login",
        data={"token": admin_token(settings), "csrf_token": token.group(1)},
        headers={**https, "cookie": f"plaudit_console_csrf={token.group(1)}"},
    )
    assert signed_in.status_code == 303
    cookie = signed_in.headers["set-cookie"].lower()
    assert "plaudit_console=" in cookie and "; secure" in cookie and "samesite=strict" in cookie
    assert "httponly" in cookie
