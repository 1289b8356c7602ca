"""The webhooks page (/admin/webhooks): endpoints created, disabled and enabled through the API's
own mutations, the secret shown once, refusals inline, the delivery log filtered."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from domain.models import (
    AuditRecord,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
)
from tests.api.console.conftest import ADMIN_SUBJECT, ConsoleHttp
from tests.helpers import table_sums, tables_changed

PUBLIC = "https://8.8.8.8/hooks"  # a public address, checked without DNS; nothing is sent


async def test_an_endpoint_is_created_with_its_secret_shown_once_then_disabled_and_enabled(
    admin_page: Any, axe: Any
) -> None:
    page = admin_page
    await page.goto("/admin/webhooks")
    await axe(page)
    await page.get_by_label("URL").fill(PUBLIC)
    await page.get_by_label("Description").fill("CRM <sync>")
    await page.get_by_label("POINTS_CHANGED").check()
    await page.get_by_label("TIER_CHANGED").check()
    await page.get_by_role("button", name="Add the endpoint").click()

    secret = page.locator("code.secret-value")
    await secret.wait_for()
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/=]+", str(await secret.text_content()))
    endpoint = await WebhookEndpoint.get(url=PUBLIC)
    assert endpoint.events == ["POINTS_CHANGED", "TIER_CHANGED"]
    assert endpoint.description == "CRM <sync>" and endpoint.enabled
    row = page.locator("tbody tr", has_text=PUBLIC)
    assert "CRM <sync>" in await row.inner_text()
    await axe(page)
    record = await AuditRecord.get(operation="createWebhookEndpoint")
    assert record.actor == ADMIN_SUBJECT and "secret" not in str(record.after)

    # The secret is never shown again.
    await page.goto("/admin/webhooks")
    assert await page.locator("code.secret-value").count() == 0
    assert endpoint.secret not in await page.content()

    await page.locator("tbody tr", has_text=PUBLIC).get_by_role("button", name="Disable").click()
    await page.get_by_role("status").get_by_text(f"Endpoint {endpoint.id} disabled").wait_for()
    assert not (await WebhookEndpoint.get(id=endpoint.id)).enabled
    assert "Disabled" in await page.locator("tbody tr", has_text=PUBLIC).inner_text()
    await page.locator("tbody tr", has_text=PUBLIC).get_by_role("button", name="Enable").click()
    await page.get_by_role("status").get_by_text(f"Endpoint {endpoint.id} enabled").wait_for()
    assert (await WebhookEndpoint.get(id=endpoint.id)).enabled
    operations = await AuditRecord.filter(actor=ADMIN_SUBJECT).values_list("operation", flat=True)
    assert sorted(operations) == [
        "createWebhookEndpoint",
        "updateWebhookEndpoint",
        "updateWebhookEndpoint",
    ]


async def test_invalid_input_is_refused_inline_with_its_code_and_nothing_is_saved(
    admin_page: Any, axe: Any
) -> None:
    page = admin_page
    await page.goto("/admin/webhooks")
    before = await table_sums()
    await page.get_by_role("button", name="Add the endpoint").click()
    error = page.locator("#f-url-error")
    await error.wait_for()
    assert "INVALID_INPUT" in await error.inner_text()
    assert await page.get_by_label("URL").get_attribute("aria-invalid") == "true"
    await axe(page)

    # Refused by the mutation itself: a private address may not receive webhooks.
    await page.get_by_label("URL").fill("https://127.0.0.1/hooks")
    await page.get_by_label("MEMBER_ERASED").check()
    await page.get_by_role("button", name="Add the endpoint").click()
    await page.locator("#f-url-error").get_by_text("private").wait_for()
    assert "INVALID_INPUT" in await page.locator("#f-url-error").inner_text()
    # What was typed is kept, to correct it.
    assert await page.get_by_label("URL").input_value() == "https://127.0.0.1/hooks"
    assert await page.get_by_label("MEMBER_ERASED").is_checked()
    assert tables_changed(before, await table_sums()) == []
    await axe(page)


async def test_posts_without_a_token_or_from_another_site_are_403_and_change_nothing(
    console_http: ConsoleHttp,
) -> None:
    await console_http.login()
    token = await console_http.csrf("/admin/webhooks")
    form = {"url": PUBLIC, "events": "POINTS_CHANGED"}
    before = await table_sums()
    refused = [
        await console_http.http.post("/admin/webhooks", data=form),
        await console_http.http.post("/admin/webhooks", data={**form, "csrf_token": "x" * 43}),
        await console_http.http.post(
            "/admin/webhooks",
            data={**form, "csrf_token": token},
            headers={"origin": "https://evil.example"},
        ),
    ]
    assert [response.status_code for response in refused] == [403, 403, 403]
    assert all("Traceback" not in response.text for response in refused)
    assert tables_changed(before, await table_sums()) == []

    created = await console_http.http.post("/admin/webhooks", data={**form, "csrf_token": token})
    assert created.status_code == 201
    endpoint = await WebhookEndpoint.get(url=PUBLIC)
    before = await table_sums()
    disable = f"/admin/webhooks/{endpoint.id}/disable"
    assert (await console_http.http.post(disable)).status_code == 403
    assert tables_changed(before, await table_sums()) == []
    done = await console_http.http.post(disable, data={"csrf_token": token})
    assert done.status_code == 303 and not (await WebhookEndpoint.get(id=endpoint.id)).enabled


async def test_an_unknown_endpoint_or_event_is_refused_with_its_code(
    console_http: ConsoleHttp,
) -> None:
    await console_http.login()
    token = await console_http.csrf("/admin/webhooks")
    for endpoint_id in ("424242", "not-a-number", "9" * 30):
        response = await console_http.http.post(
            f"/admin/webhooks/{endpoint_id}/disable", data={"csrf_token": token}
        )
        assert response.status_code == 400, endpoint_id
        assert "NOT_FOUND" in response.text or "INVALID_INPUT" in response.text
    response = await console_http.http.post(
        "/admin/webhooks", data={"url": PUBLIC, "events": "EVERYTHING", "csrf_token": token}
    )
    assert response.status_code == 400 and "INVALID_INPUT" in response.text
    assert await WebhookEndpoint.all().count() == 0


async def test_without_a_session_the_page_sends_to_the_login(console_http: ConsoleHttp) -> None:
    response = await console_http.http.get("/admin/webhooks")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login?next=/admin/webhooks"


async def test_the_delivery_log_is_filtered_by_endpoint_and_status(
    admin_page: Any, axe: Any
) -> None:
    now = datetime.now(UTC)
    first = await WebhookEndpoint.create(
        url=PUBLIC, events=["POINTS_CHANGED"], secret="whsec_x", created_at=now, updated_at=now
    )
    second = await WebhookEndpoint.create(
        url="https://8.8.4.4/other", events=[], secret="whsec_y", created_at=now, updated_at=now
    )
    for index, (endpoint, status) in enumerate(
        [
            (first, WebhookDeliveryStatus.SUCCEEDED),
            (first, WebhookDeliveryStatus.FAILED),
            (second, WebhookDeliveryStatus.PENDING),
        ]
    ):
        await WebhookDelivery.create(
            endpoint=endpoint,
            message_id=f"msg_{index}",
            event="POINTS_CHANGED",
            body="{}",
            status=status,
            attempts=1,
            last_status_code=500 if status is WebhookDeliveryStatus.FAILED else None,
            created_at=now,
        )
    page = admin_page
    await page.goto("/admin/webhooks")
    log = page.locator("section[aria-labelledby='h-deliveries'] tbody tr")
    assert await log.count() == 3
    first_row = page.locator("section[aria-labelledby='h-endpoints'] tbody tr").first
    assert "SUCCEEDED: 1" in await first_row.inner_text()
    assert "FAILED: 1" in await first_row.inner_text()

    await page.get_by_label("Endpoint", exact=True).select_option(str(first.id))
    await page.get_by_label("Status", exact=True).select_option("FAILED")
    await page.get_by_role("button", name="Filter").click()
    await page.wait_for_url(f"**/admin/webhooks?endpoint={first.id}&status=FAILED")
    assert await log.count() == 1
    assert "HTTP 500" in await log.first.inner_text()
    await axe(page)
