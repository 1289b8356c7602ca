"""Streak freezes in the console: the policy on /admin/streaks (`setStreakFreezePolicy`), and a
grant on a member's page (`grantStreakFreezes`), both audited under the signed-in admin."""

from __future__ import annotations

import re
from typing import Any

from domain.models import AuditRecord, StreakFreezeRules
from tests.api.console.conftest import ADMIN_SUBJECT
from tests.api.console.test_members import a_member_with_history


async def test_an_admin_sets_the_policy_and_a_bad_value_is_refused_inline(
    admin_page: Any, axe: Any
) -> None:
    page = admin_page
    await page.goto("/admin/")
    await page.get_by_role("link", name="Streak freezes").click()
    await page.get_by_role("heading", name="Streak freezes", level=1).wait_for()
    assert await page.get_by_label("Days of streak per freeze").input_value() == "0"
    await axe(page)

    await page.get_by_label("Days of streak per freeze").fill("7")
    await page.get_by_label("Most freezes held").fill("-1")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Save").click()
    assert "INVALID_INPUT" in await page.locator("#f-maxHeld-error").inner_text()
    assert not await StreakFreezeRules.exists()
    await axe(page)

    await page.get_by_label("Most freezes held").fill("2")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Save").click()
    await page.get_by_role("status").filter(has_text="The policy is saved.").wait_for()
    assert await page.get_by_label("Days of streak per freeze").input_value() == "7"
    assert await page.get_by_label("Most freezes held").input_value() == "2"
    record = await AuditRecord.get(operation="setStreakFreezePolicy")
    assert record.actor == ADMIN_SUBJECT
    assert record.after == {"earnEveryDays": 7, "maxHeld": 2}


async def test_an_admin_grants_freezes_on_the_member_page(
    admin_page: Any, gql: Any, drain: Any, axe: Any
) -> None:
    await a_member_with_history(gql, drain)
    page = admin_page
    await page.goto("/admin/streaks")
    await page.get_by_label("Days of streak per freeze").fill("0")
    await page.get_by_label("Most freezes held").fill("2")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Save").click()

    await page.goto("/admin/members/ada")
    assert await page.locator("#freezes").inner_text() == "0"
    await page.get_by_label("Freezes to grant").fill("0")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Grant").click()
    assert "INVALID_INPUT" in await page.locator("#f-count-error").inner_text()
    await axe(page)

    await page.get_by_label("Freezes to grant").fill("5")  # capped at 2
    async with page.expect_navigation():
        await page.get_by_role("button", name="Grant").click()
    await page.wait_for_url(re.compile(r".*/admin/members/ada\?freezes=2$"))
    await page.get_by_role("status").filter(has_text="now holds 2 streak freezes").wait_for()
    assert await page.locator("#freezes").inner_text() == "2"
    record = await AuditRecord.get(operation="grantStreakFreezes")
    assert record.actor == ADMIN_SUBJECT and record.target == "streak_freezes:ada"
    await axe(page)
