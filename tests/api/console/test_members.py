"""Members in the console: the search, a member's page, and adjusting their points.

The member page shows what the API answers about the member (balance, tier, ledger, badges,
challenges, streaks, events, content, referrals); the adjustment runs `adjustPoints`, so it is
in the ledger and in the audit log under the admin who made it.
"""

from __future__ import annotations

import re
from typing import Any

from domain import demo
from domain.models import AuditRecord, LedgerEntry, Member
from tests.api.console.conftest import ADMIN_SUBJECT, ConsoleHttp, screenshot_path
from tests.conftest import member, token
from tests.helpers import define, record

HOSTILE = "<img src=x onerror=alert(1)>"

PROFILE = """
mutation Profile($input: UpdateProfileInput!) {
  updateProfile(input: $input) { errors { code message } }
}
"""
BADGE = """
mutation Badge($input: UpsertBadgeInput!) { upsertBadge(input: $input) { errors { code } } }
"""
SUBMIT = """
mutation Submit($input: SubmitContentInput!) {
  submitContent(input: $input) { content { id } errors { code message } }
}
"""


async def a_member_with_history(gql: Any, drain: Any) -> None:
    """Ada: a few awarded interactions, a badge earned, a streak, a piece of content."""
    await define(gql, "app.daily_open", 10)
    badge = {
        "key": "regular",
        "name": "Regular",
        "goals": [{"metric": "ACTION_COUNT", "action": "app.daily_open", "target": 2}],
    }
    assert (await gql(BADGE, {"input": badge}, as_=("root", "admin")))["data"]["upsertBadge"][
        "errors"
    ] == []
    for n in range(3):
        await record(gql, member("ada"), key=f"open-{n}")
    body = await gql(PROFILE, {"input": {"displayName": "Ada Lovelace"}}, as_=member("ada"))
    assert body["data"]["updateProfile"]["errors"] == []
    piece = {"kind": "REVIEW", "body": "Lovely shop, kind people.", "idempotencyKey": "r1"}
    body = await gql(SUBMIT, {"input": piece}, as_=member("ada"))
    assert body["data"]["submitContent"]["errors"] == [], body
    await drain()


async def test_a_member_is_found_by_id_or_by_display_name(
    admin_page: Any, gql: Any, drain: Any, axe: Any
) -> None:
    await a_member_with_history(gql, drain)
    await record(gql, member("adam"), key="x")
    await drain()
    page = admin_page
    await page.goto("/admin/members")
    await axe(page)
    await page.get_by_label("Member id or display name").fill("lovelace")
    await page.get_by_role("button", name="Search").click()
    await page.wait_for_url(re.compile(r".*/admin/members\?q=lovelace$"))
    rows = page.locator("main tbody tr")
    assert await rows.count() == 1
    assert "Ada Lovelace" in await rows.first.inner_text()
    await page.get_by_label("Member id or display name").fill("ada")
    await page.get_by_role("button", name="Search").click()
    await page.wait_for_url(re.compile(r".*q=ada$"))
    ids = await page.locator("main tbody tr td:first-child").all_inner_texts()
    assert ids == ["ada", "adam"]  # the exact id first
    await axe(page)
    await page.get_by_label("Member id or display name").fill("nobody-like-this")
    await page.get_by_role("button", name="Search").click()
    await page.get_by_role("status").filter(has_text="No member matches").wait_for()
    await page.get_by_role("link", name="Members").click()
    await page.get_by_label("Member id or display name").fill("%")
    await page.get_by_role("button", name="Search").click()
    await page.get_by_role("status").filter(has_text="No member matches").wait_for()


async def test_a_search_with_a_nul_character_is_refused_inline(
    console_http: ConsoleHttp,
) -> None:
    await console_http.login()
    response = await console_http.http.get("/admin/members", params={"q": "a\x00b"})
    assert response.status_code == 400
    assert "INVALID_INPUT" in response.text and "NUL" in response.text


async def test_the_member_page_shows_everything_about_the_member(
    admin_page: Any, gql: Any, drain: Any, axe: Any
) -> None:
    await a_member_with_history(gql, drain)
    page = admin_page
    await page.goto("/admin/members?q=ada")
    await page.get_by_role("link", name="ada", exact=True).click()
    await page.wait_for_url(re.compile(r".*/admin/members/ada$"))
    await page.get_by_role("heading", name="Ada Lovelace (ada)", level=1).wait_for()
    assert await page.locator("#balance").inner_text() == "30"
    for title in (
        "Adjust points",
        "Ledger",
        "Badges",
        "Challenges",
        "Streaks",
        "Redemptions",
        "Events",
        "Content",
        "Referrals",
    ):
        await page.get_by_role("heading", name=title, level=2).wait_for()
    main = await page.locator("main").inner_text()
    assert "Regular" in main and "BADGE_EARNED" in main
    assert "Lovely shop, kind people." in main and "PENDING" in main
    assert await page.get_by_role("region", name="Ledger").locator("tbody tr").count() == 3
    await axe(page)


async def test_the_demo_members_page_for_the_readme(
    admin_page: Any, runtime: Any, axe: Any
) -> None:
    """The demo's Ada, as the README shows her (its screenshot, with
    PLAUDIT_CONSOLE_SCREENSHOTS=1): every section filled in."""
    await demo.load(runtime)
    page = admin_page
    await page.goto("/admin/members/demo-ada")
    main = page.locator("main")
    await page.get_by_role("heading", name="Ada (demo-ada)", level=1).wait_for()
    for section in ("Ledger", "Badges", "Challenges", "Streaks", "Events", "Content"):
        region = page.get_by_role("region", name=section)
        assert await region.locator("tbody tr").count() > 0, section
    assert "review.week" in await main.inner_text()
    await axe(page)
    path = screenshot_path("member.png")
    if path is not None:
        await page.screenshot(path=str(path), full_page=False)


async def test_adjusting_points_credits_the_member_under_the_admins_name(
    admin_page: Any, gql: Any, drain: Any, axe: Any
) -> None:
    await a_member_with_history(gql, drain)
    page = admin_page
    await page.goto("/admin/members/ada")
    await page.get_by_label("Amount").fill("25")
    await page.get_by_label("Reason").fill(f"Goodwill after a late delivery {HOSTILE}")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Adjust").click()
    await page.get_by_role("status").filter(has_text="Points adjusted by 25.").wait_for()
    assert await page.locator("#balance").inner_text() == "55"
    entry = await LedgerEntry.filter(member_id="ada", reason="ADJUSTMENT").get()
    assert entry.amount == 25
    record_ = await AuditRecord.get(operation="adjustPoints")
    assert record_.actor == ADMIN_SUBJECT
    # The reason, as the ledger shows it: text, not markup.
    ledger = page.get_by_role("region", name="Ledger")
    assert HOSTILE in await ledger.inner_text()
    assert await page.locator("main img").count() == 0
    await axe(page)


async def test_an_adjustment_without_a_reason_or_beyond_the_balance_changes_nothing(
    admin_page: Any, gql: Any, drain: Any, axe: Any
) -> None:
    await a_member_with_history(gql, drain)
    page = admin_page
    await page.goto("/admin/members/ada")
    await page.get_by_label("Amount").fill("10")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Adjust").click()
    error = page.locator("#f-reason-error")
    assert "INVALID_INPUT" in await error.inner_text()
    assert await page.get_by_label("Amount").input_value() == "10"  # kept as typed
    await axe(page)
    await page.get_by_label("Amount").fill("-1000")
    await page.get_by_label("Reason").fill("Too much")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Adjust").click()
    assert (
        "INSUFFICIENT_POINTS"
        in await page.locator("main .form-errors, main .field-error").first.inner_text()
    )
    assert (await Member.get(id="ada")).balance == 30
    assert not await LedgerEntry.filter(reason="ADJUSTMENT").exists()
    assert not await AuditRecord.filter(operation="adjustPoints").exists()


async def test_a_double_submitted_adjustment_credits_once(
    console_http: ConsoleHttp, gql: Any, drain: Any
) -> None:
    await a_member_with_history(gql, drain)
    await console_http.login()
    page = await console_http.http.get("/admin/members/ada")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    key = re.search(r'name="idempotencyKey" value="([^"]+)"', page.text)
    assert csrf is not None and key is not None
    form = {"csrf_token": csrf.group(1), "idempotencyKey": key.group(1), "amount": "5"}
    form["reason"] = "once"
    for _ in range(2):
        response = await console_http.http.post("/admin/members/ada/adjust", data=form)
        assert response.status_code == 303
    assert await LedgerEntry.filter(reason="ADJUSTMENT").count() == 1


async def test_an_adjustment_needs_the_csrf_token_and_a_session(
    console_http: ConsoleHttp, gql: Any, drain: Any, settings: Any
) -> None:
    await a_member_with_history(gql, drain)
    form = {"amount": "5", "reason": "r", "idempotencyKey": "k"}
    ada = {"authorization": f"Bearer {token(settings, 'ada')}"}
    anonymous = await console_http.http.post("/admin/members/ada/adjust", data=form, headers=ada)
    assert anonymous.status_code == 303  # to the login page: a member token is no session
    await console_http.login()
    refused = await console_http.http.post("/admin/members/ada/adjust", data=form)
    assert refused.status_code == 403
    assert not await LedgerEntry.filter(reason="ADJUSTMENT").exists()


async def test_an_unknown_member_is_a_plain_404(admin_page: Any, axe: Any) -> None:
    response = await admin_page.goto("/admin/members/nobody")
    assert response.status == 404
    await admin_page.get_by_role("heading", name="Page not found").wait_for()
    await axe(admin_page)


async def test_a_hostile_display_name_is_text_everywhere(
    admin_page: Any, gql: Any, drain: Any
) -> None:
    await record(gql, member("mallory"), key="x")
    body = await gql(PROFILE, {"input": {"displayName": HOSTILE}}, as_=member("mallory"))
    assert body["data"]["updateProfile"]["errors"] == []
    page = admin_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    await page.goto("/admin/members?q=mallory")
    assert HOSTILE in await page.locator("main tbody").inner_text()
    await page.goto("/admin/members/mallory")
    assert HOSTILE in await page.get_by_role("heading", level=1).inner_text()
    assert HOSTILE in await page.title()
    assert await page.locator("img").count() == 0
    assert dialogs == []
