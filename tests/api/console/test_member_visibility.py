"""The member page shows how the member chose to appear on leaderboards."""

from __future__ import annotations

import re
from typing import Any

from gamification.leaderboards import default_display_name as default_name
from tests.conftest import SERVICE, member
from tests.helpers import define, record

SET = """
mutation Set($visibility: LeaderboardVisibility!) {
  setLeaderboardVisibility(visibility: $visibility) { leaderboardVisibility }
}
"""


async def test_the_member_page_shows_the_members_leaderboard_visibility(
    admin_page: Any, gql: Any, axe: Any
) -> None:
    body = await gql(SET, {"visibility": "HIDDEN"}, as_=member("ada"))
    assert body["data"]["setLeaderboardVisibility"] == {"leaderboardVisibility": "HIDDEN"}
    page = admin_page
    await page.goto("/admin/members/ada")
    await page.wait_for_url(re.compile(r".*/admin/members/ada$"))
    assert await page.locator("#leaderboard-visibility").inner_text() == "HIDDEN"
    card = page.locator(".card", has=page.locator("#leaderboard-visibility"))
    assert "Leaderboard visibility" in await card.inner_text()
    await axe(page)


async def test_the_leaderboards_page_shows_boards_as_members_see_them(
    admin_page: Any, gql: Any, drain: Any, axe: Any
) -> None:
    await define(gql, "grant", 10, memberReportable=False)
    for who, times in (("sam-secret", 2), ("ada", 1), ("hid-den", 3)):
        for n in range(times):
            await record(gql, SERVICE, action="grant", memberId=who, key=f"{who}-{n}")
    await drain()
    await gql(SET, {"visibility": "ANONYMOUS"}, as_=member("sam-secret"))
    await gql(SET, {"visibility": "HIDDEN"}, as_=member("hid-den"))

    page = admin_page
    assert (await page.goto("/admin/leaderboards")).status == 200
    standings = page.locator("table", has=page.locator("caption", has_text="Current standings"))
    rows = await standings.locator("tbody tr").all_inner_texts()
    assert [row.split("\t")[:2] for row in rows] == [["1", "Member #1"], ["2", default_name("ada")]]
    assert await standings.get_by_role("link").count() == 1  # ada's page only
    html = await page.content()
    assert "sam-secret" not in html and "hid-den" not in html
    await axe(page)
