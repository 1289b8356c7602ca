"""The member page shows how the member chose to appear on leaderboards."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import member

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
