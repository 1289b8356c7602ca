"""Partners in the console: listed with this month's awards, defined through `upsertPartner`,
refused inline, and a partner-scoped token issued on its own page and shown once."""

from __future__ import annotations

import re
from typing import Any

import jwt

from domain.models import AuditRecord, Partner
from tests.api.console.conftest import ADMIN_SUBJECT, ConsoleHttp
from tests.conftest import SECRET
from tests.helpers import define


async def save(page: Any, name: str = "Save") -> None:
    async with page.expect_navigation():
        await page.get_by_role("button", name=name).click()


async def test_a_partner_is_defined_listed_and_given_a_token_shown_once(
    admin_page: Any, gql: Any, axe: Any
) -> None:
    await define(gql, "bikes.service", 25, memberReportable=False)
    await define(gql, "bikes.purchase", 10, memberReportable=False)
    page = admin_page
    await page.goto("/admin/partners")
    await page.get_by_role("heading", name="Partners", level=1).wait_for()
    await axe(page)
    await page.get_by_label("Key", exact=True).fill("bikes.north")
    await page.get_by_label("Name", exact=True).fill("North Bikes")
    await page.get_by_label("Actions it may record").fill("bikes.service\nbikes.purchase\n")
    await page.get_by_label("Monthly budget (points)").fill("5000")
    await save(page)
    assert page.url.endswith("/admin/partners?saved=bikes.north")
    row = page.get_by_role("row").filter(has_text="bikes.north")
    text = await row.inner_text()
    assert "North Bikes" in text and "bikes.service, bikes.purchase" in text
    assert "5,000" in text
    partner = await Partner.get(key="bikes.north")
    assert (partner.actions, partner.monthly_budget, partner.active) == (
        ["bikes.service", "bikes.purchase"],
        5000,
        True,
    )
    record = await AuditRecord.get(operation="upsertPartner", target="partner:bikes.north")
    assert record.actor == ADMIN_SUBJECT

    await page.get_by_role("link", name="Issue a token bikes.north").click()
    await page.wait_for_url(re.compile(r".*/admin/partners/bikes.north/token$"))
    await axe(page)
    await page.get_by_label("Valid for (days)").fill("30")
    await save(page, "Issue a token")
    shown = page.locator("code.secret-value")
    await shown.wait_for()
    token = str(await shown.text_content())
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert (claims["role"], claims["partner"]) == ("service", "bikes.north")
    assert claims["exp"] - claims["iat"] == 30 * 24 * 3600
    await axe(page)
    # Issuing changed nothing of the definition, and the token is never shown again.
    again = await Partner.get(key="bikes.north")
    assert (again.name, again.actions, again.monthly_budget) == (
        "North Bikes",
        ["bikes.service", "bikes.purchase"],
        5000,
    )
    assert "token" not in str((await AuditRecord.filter(operation="upsertPartner")).pop().after)
    await page.goto("/admin/partners/bikes.north/token")
    assert await page.locator("code.secret-value").count() == 0
    assert token not in await page.content()


async def test_an_unknown_action_and_a_bad_validity_are_refused_inline(
    admin_page: Any, gql: Any
) -> None:
    await define(gql, "bikes.service", 25, memberReportable=False)
    page = admin_page
    await page.goto("/admin/partners")
    await page.get_by_label("Key", exact=True).fill("bikes.north")
    await page.get_by_label("Name", exact=True).fill("North Bikes")
    await page.get_by_label("Actions it may record").fill("bikes.service\nno.such")
    await save(page)
    refused = await page.locator("#f-actions-error").inner_text()
    assert "INVALID_INPUT" in refused and "no.such" in refused
    assert await Partner.all().count() == 0

    await page.get_by_label("Actions it may record").fill("bikes.service")
    await save(page)
    await page.goto("/admin/partners/bikes.north/token")
    await page.get_by_label("Valid for (days)").fill("0")
    await save(page, "Issue a token")
    refused = await page.locator("#f-tokenDays-error").inner_text()
    assert "INVALID_INPUT" in refused and "tokenDays" in refused
    assert await page.locator("code.secret-value").count() == 0
    assert await AuditRecord.filter(operation="upsertPartner").count() == 1


async def test_issuing_a_token_needs_the_csrf_token_and_an_existing_partner(
    console_http: ConsoleHttp, gql: Any
) -> None:
    await define(gql, "bikes.service", 25, memberReportable=False)
    await console_http.login()
    missing = await console_http.http.get("/admin/partners/nobody/token")
    assert missing.status_code == 404
    path = "/admin/partners"
    token = await console_http.csrf(path)
    form = {"key": "bikes.north", "name": "North", "actions": "bikes.service", "csrf_token": token}
    assert (await console_http.http.post(path, data=form)).status_code == 303
    refused = await console_http.http.post(
        "/admin/partners/bikes.north/token", data={"tokenDays": "30"}
    )
    assert refused.status_code == 403
    assert "secret-value" not in refused.text
    issued = await console_http.http.post(
        "/admin/partners/bikes.north/token", data={"tokenDays": "30", "csrf_token": token}
    )
    assert issued.status_code == 201
    assert "secret-value" in issued.text
