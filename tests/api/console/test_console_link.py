"""`plaudit console-link`: a one-time URL that signs the dev admin in, and nothing more."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from domain.models import AuditRecord
from tests.helpers import cli_env, run_plaudit

ME = "{ actions { key } }"


async def console_link(settings: Any, server: Any, *args: str) -> str:
    code, out, err = await run_plaudit(
        "console-link", "--base-url", server.url, *args, env=cli_env(settings)
    )
    assert code == 0, err
    found = re.search(r"(http://\S+/admin/login/link\?code=\S+)", out)
    assert found is not None, out
    assert "within 15 minutes" in out
    return found.group(1)


async def test_the_link_signs_in_once_and_the_session_writes_as_its_admin(
    page: Any, settings: Any, server: Any, axe: Any
) -> None:
    link = await console_link(settings, server, "--sub", "ops-lea")
    await page.goto(link)
    await axe(page)
    await page.get_by_role("button", name="Sign in as ops-lea").click()
    await page.wait_for_url(re.compile(r".*/admin/$"))
    await page.goto("/admin/tiers")
    assert "Signed in as ops-lea" in await page.locator("header").inner_text()
    await page.get_by_label("Key", exact=True).fill("gold")
    await page.get_by_label("Name", exact=True).fill("Gold")
    await page.get_by_label("Threshold (points)").fill("10")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Save").click()
    assert (await AuditRecord.get(operation="upsertTier")).actor == "ops-lea"
    # Used up: opening it again (from another browser, say) says so.
    await page.context.clear_cookies()
    response = await page.goto(link)
    assert response.status == 400
    assert "already used" in await page.locator("main").inner_text()


async def test_the_link_is_no_bearer_token_for_the_api(
    client: Any, settings: Any, server: Any
) -> None:
    link = await console_link(settings, server)
    code = parse_qs(urlsplit(link).query)["code"][0]
    answer = await client.post(
        "/graphql", json={"query": ME}, headers={"authorization": f"Bearer {code}"}
    )
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_forged_or_tampered_link_is_refused(
    client: Any, settings: Any, server: Any
) -> None:
    link = await console_link(settings, server)
    tampered = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    for url in (
        tampered,
        f"{server.url}/admin/login/link?code=nonsense",
        f"{server.url}/admin/login/link",
    ):
        response = await client.get(url)
        assert response.status_code == 400
        assert "not a valid sign-in link" in response.text


async def test_a_bad_session_length_is_refused_in_one_line(settings: Any) -> None:
    code, _, err = await run_plaudit("console-link", "--ttl", "forever", env=cli_env(settings))
    assert code == 2
    assert err.strip().endswith("expected e.g. 90s, 15m, 24h or 30d, got 'forever'")
