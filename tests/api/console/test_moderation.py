"""Moderation in the console: the queue, approve, reject and take down, with the API's effects
(approving credits the author once, taking an approved piece down reverses it), each decision
audited under the admin."""

from __future__ import annotations

from typing import Any

from domain.models import AuditRecord, Content, LedgerEntry, Member
from tests.api.console.conftest import ADMIN_SUBJECT, ConsoleHttp
from tests.conftest import member, token
from tests.helpers import define

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"

SUBMIT = """
mutation Submit($input: SubmitContentInput!) {
  submitContent(input: $input) { content { id } errors { code message } }
}
"""


async def submit(gql: Any, who: str, body: str, key: str, subject: str | None = None) -> str:
    piece = {"kind": "REVIEW", "body": body, "idempotencyKey": key, "subject": subject}
    answer = await gql(SUBMIT, {"input": piece}, as_=member(who))
    payload = answer["data"]["submitContent"]
    assert payload["errors"] == [], payload
    return str(payload["content"]["id"])


async def a_queue(gql: Any) -> tuple[str, str]:
    """Two pending reviews (the content action pays 40 points for an approved one)."""
    await define(gql, "content.review", 40)
    first = await submit(gql, "ada", "Great service, would come again.", "a1")
    second = await submit(gql, "grace", HOSTILE, "g1", subject=HOSTILE)
    return first, second


def piece(page: Any, content_id: str) -> Any:
    return page.locator("article").filter(has=page.locator(f"#piece-{content_id}-title"))


async def test_approving_from_the_queue_credits_the_author_once(
    admin_page: Any, gql: Any, axe: Any
) -> None:
    first, _ = await a_queue(gql)
    page = admin_page
    await page.goto("/admin/moderation")
    await axe(page)
    assert await page.locator("article").count() == 2
    async with page.expect_navigation():
        await piece(page, first).get_by_role("button", name="Approve").click()
    await page.get_by_role("status").filter(has_text=f"APPROVE:{first}").wait_for()
    assert await page.locator("article").count() == 1  # out of the queue
    assert (await Content.get(id=int(first))).status == "APPROVED"
    assert (await Member.get(id="ada")).balance == 40
    record = await AuditRecord.get(operation="moderateContent")
    assert record.actor == ADMIN_SUBJECT
    await page.get_by_role("link", name="Approved").click()
    await piece(page, first).wait_for()
    await axe(page)


async def test_rejecting_needs_a_reason_and_taking_down_reverses_the_credit(
    admin_page: Any, gql: Any
) -> None:
    first, second = await a_queue(gql)
    page = admin_page
    await page.goto("/admin/moderation")
    await piece(page, second).get_by_label("Reason").select_option("ABUSIVE")
    async with page.expect_navigation():
        await piece(page, second).get_by_role("button", name="Reject").click()
    rejected = await Content.get(id=int(second))
    assert (rejected.status, rejected.rejection_reason) == ("REJECTED", "ABUSIVE")
    async with page.expect_navigation():
        await piece(page, first).get_by_role("button", name="Approve").click()
    await page.goto("/admin/moderation?status=APPROVED")
    async with page.expect_navigation():  # a reason is chosen, never defaulted
        await piece(page, first).get_by_role("button", name="Take down").click()
    assert "INVALID_INPUT" in await piece(page, first).locator(".form-errors").inner_text()
    assert (await Content.get(id=int(first))).status == "APPROVED"
    await piece(page, first).get_by_label("Reason").select_option("OFF_TOPIC")
    async with page.expect_navigation():
        await piece(page, first).get_by_role("button", name="Take down").click()
    taken = await Content.get(id=int(first))
    assert taken.status == "REJECTED"
    assert (await Member.get(id="ada")).balance == 0
    assert await LedgerEntry.filter(member_id="ada", reason="REVERSAL").count() == 1
    assert await AuditRecord.filter(operation="moderateContent").count() == 3


async def test_a_refused_decision_shows_its_code_on_the_piece_and_changes_nothing(
    console_http: ConsoleHttp, gql: Any
) -> None:
    first, _ = await a_queue(gql)
    await console_http.login()
    csrf = await console_http.csrf("/admin/moderation")
    reject = {"csrf_token": csrf, "contentId": first, "decision": "REJECT"}
    no_reason = await console_http.http.post("/admin/moderation", data=reject)
    assert no_reason.status_code == 400
    assert "INVALID_INPUT" in no_reason.text and "SPAM" in no_reason.text
    assert (await Content.get(id=int(first))).status == "PENDING"
    rejected = await console_http.http.post(
        "/admin/moderation", data={**reject, "rejectionReason": "SPAM"}
    )
    assert rejected.status_code == 303
    approve = {"csrf_token": csrf, "contentId": first, "decision": "APPROVE"}
    again = await console_http.http.post("/admin/moderation", data=approve)  # a stale page
    assert again.status_code == 400
    assert "ALREADY_MODERATED" in again.text
    assert (await Content.get(id=int(first))).status == "REJECTED"
    unknown = await console_http.http.post(
        "/admin/moderation", data={**approve, "contentId": "999999"}
    )
    assert unknown.status_code == 400 and "NOT_FOUND" in unknown.text
    nonsense = await console_http.http.post(
        "/admin/moderation", data={**approve, "decision": "PUBLISH"}
    )
    assert nonsense.status_code == 400 and "INVALID_INPUT" in nonsense.text
    assert await AuditRecord.filter(operation="moderateContent").count() == 1


async def test_a_decision_needs_the_csrf_token_and_an_admin_session(
    console_http: ConsoleHttp, gql: Any, settings: Any
) -> None:
    first, _ = await a_queue(gql)
    approve = {"contentId": first, "decision": "APPROVE"}
    as_member = {"authorization": f"Bearer {token(settings, 'ada')}"}
    anonymous = await console_http.http.post("/admin/moderation", data=approve, headers=as_member)
    assert anonymous.status_code == 303
    await console_http.login()
    refused = await console_http.http.post("/admin/moderation", data=approve)
    assert refused.status_code == 403
    assert (await Content.get(id=int(first))).status == "PENDING"


async def test_hostile_content_is_shown_as_text(admin_page: Any, gql: Any, axe: Any) -> None:
    _, second = await a_queue(gql)
    page = admin_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    await page.goto("/admin/moderation")
    text = await piece(page, second).inner_text()
    assert text.count(HOSTILE) == 2  # the subject and the body
    assert await page.locator("main img, main script").count() == 0
    assert dialogs == []


async def test_a_tampered_page_address_is_a_plain_400(console_http: ConsoleHttp) -> None:
    await console_http.login()
    response = await console_http.http.get("/admin/moderation", params={"after": "garbage"})
    assert response.status_code == 400
    assert "Traceback" not in response.text
    other = await console_http.http.get("/admin/moderation", params={"status": "EVERYTHING"})
    assert other.status_code == 200  # an unknown view is the queue
