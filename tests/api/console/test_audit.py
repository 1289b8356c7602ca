"""The audit page (/admin/audit): every admin change, newest first, filtered by subject and kind,
paged back, usable from the keyboard."""

from __future__ import annotations

from typing import Any

from domain.models import AuditRecord
from tests.api.console.conftest import ADMIN_SUBJECT, ConsoleHttp
from tests.conftest import ADMIN
from tests.helpers import UPSERT_ACTION, action_input

PAGE = 50


async def changes(gql: Any, count: int, subject: str = ADMIN[0], kind: str = "a") -> None:
    for index in range(count):
        body = await gql(
            UPSERT_ACTION,
            {"input": action_input(f"{kind}.n{index}", 10 + index)},
            as_=(subject, "admin"),
        )
        assert body["data"]["upsertAction"]["errors"] == [], body


TIER = """
mutation Upsert($input: UpsertTierInput!) {
  upsertTier(input: $input) { errors { code } }
}
"""


async def test_the_log_is_filtered_by_subject_and_by_kind(
    admin_page: Any, gql: Any, axe: Any
) -> None:
    await changes(gql, 2, subject="root")
    await changes(gql, 3, subject="<b>ops</b>", kind="b")
    body = await gql(
        TIER, {"input": {"key": "gold", "name": "Gold", "threshold": 100}}, as_=("root", "admin")
    )
    assert body["data"]["upsertTier"]["errors"] == []
    page = admin_page
    await page.goto("/admin/audit")
    rows = page.locator("table.audit tbody tr")
    assert await rows.count() == 6
    assert "upsertTier" in await rows.first.inner_text()  # newest first
    await axe(page)

    await page.get_by_label("Subject").fill("<b>ops</b>")
    await page.get_by_role("button", name="Filter").click()
    await page.wait_for_url("**/admin/audit?subject=*")
    assert await rows.count() == 3
    assert {text.split("\t")[1] for text in await rows.all_inner_texts()} == {"<b>ops</b>"}
    assert await page.locator("table.audit b").count() == 0  # the subject is text, not markup

    await page.get_by_label("Subject").fill("root")
    await page.get_by_label("Kind").select_option("upsertTier")
    await page.get_by_role("button", name="Filter").click()
    await page.wait_for_url("**/admin/audit?subject=root&kind=upsertTier")
    assert await rows.count() == 1
    await rows.first.locator("summary").click()
    after = await rows.first.locator(".before-after").inner_text()
    assert '"threshold": 100' in after and "(nothing: created)" in after
    await axe(page)

    await page.get_by_role("link", name="Clear the filters").click()
    await page.wait_for_url("**/admin/audit")
    assert await rows.count() == 6


async def test_a_console_write_is_logged_under_the_admin_s_subject_and_pages_go_back(
    console_http: ConsoleHttp, gql: Any
) -> None:
    await changes(gql, PAGE + 5)
    await console_http.login()
    token = await console_http.csrf("/admin/webhooks")
    created = await console_http.http.post(
        "/admin/webhooks", data={"url": "https://8.8.8.8/h", "csrf_token": token}
    )
    assert created.status_code == 201
    mine = await console_http.http.get(f"/admin/audit?subject={ADMIN_SUBJECT}")
    assert mine.text.count("<tr>") == 2  # the header and the one change
    assert "createWebhookEndpoint" in mine.text

    first = await console_http.http.get("/admin/audit?subject=root")
    assert first.text.count("<tr>") == PAGE + 1
    oldest_shown = sorted(await AuditRecord.filter(actor="root").values_list("id", flat=True))[5]
    assert f"before={oldest_shown}&amp;subject=root" in first.text
    older = await console_http.http.get(f"/admin/audit?before={oldest_shown}&subject=root")
    assert older.text.count("<tr>") == 5 + 1
    assert "Older changes" not in older.text


async def test_odd_filters_match_nothing_and_never_fail(
    console_http: ConsoleHttp, gql: Any
) -> None:
    await changes(gql, 1)
    await console_http.login()
    for query in (
        "subject=" + "x" * 5000,
        "kind=%00%01",
        "before=-1",
        "before=99999999999999999999999",
        "subject=%F0%9F%92%A5&kind=nope",
    ):
        response = await console_http.http.get(f"/admin/audit?{query}")
        assert response.status_code == 200, query
        assert "Traceback" not in response.text


async def test_the_keyboard_reaches_the_filters_and_focus_is_visible(admin_page: Any) -> None:
    page = admin_page
    await page.goto("/admin/audit")
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert await skip.evaluate("element => element === document.activeElement")
    await page.keyboard.press("Enter")
    subject = page.get_by_label("Subject")
    for _ in range(10):
        if await subject.evaluate("element => element === document.activeElement"):
            break
        await page.keyboard.press("Tab")
    assert await subject.evaluate("element => element === document.activeElement")
    outline = await subject.evaluate(
        "element => { const s = getComputedStyle(element);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] != "none" and outline[1] >= 2, outline
    await page.keyboard.type("root")
    await page.keyboard.press("Enter")  # submits the filter form
    await page.wait_for_url("**/admin/audit?subject=root*")
