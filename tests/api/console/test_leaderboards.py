"""The leaderboards page (/admin/leaderboards): every board and period, one shown in full with
its chart, and the archives of its closed periods."""

from __future__ import annotations

from typing import Any

from tests.api.console import seed
from tests.api.console.conftest import ConsoleHttp


async def test_every_board_and_period_and_the_archives_of_closed_periods(
    admin_page: Any, gql: Any, drain: Any, runtime: Any, axe: Any
) -> None:
    await seed.program(gql, drain, runtime)
    page = admin_page
    assert (await page.goto("/admin/leaderboards")).status == 200
    grid = page.locator("table.board-grid")
    rows = await grid.locator("tbody tr").all_inner_texts()
    names = [row.split()[0] for row in rows]
    assert names == ["Points", "Referrals", "Content", "Review", "Weekly"]
    # A challenge's board keeps one period: the challenge itself, shown as all time; a weekly
    # quest's, its rounds (this week's).
    challenge = grid.locator("tbody tr", has_text="challenge:review.week")
    assert await challenge.get_by_role("link").count() == 1
    quest = grid.locator("tbody tr", has_text="challenge:weekly.reviews")
    assert await quest.get_by_role("link").count() == 1
    current = grid.locator("a[aria-current='page']")
    assert await current.count() == 1
    assert "Points, All time" in str(await current.text_content())

    heading = page.get_by_role("heading", name="Points: All time", level=2)
    await heading.wait_for()
    standings = page.locator("table", has=page.locator("caption", has_text="Current standings"))
    first = await standings.locator("tbody tr").first.inner_text()
    assert "Ada Lovelace" in first
    assert seed.HOSTILE in await standings.inner_text()
    assert await page.locator("img").count() == 0
    assert "Ada Lovelace" in str(await page.locator("svg#chart-board").text_content())
    assert await page.get_by_role("heading", name="Closed periods").count() == 0
    await axe(page)

    await grid.get_by_role("link", name="Show Points, This week").click()
    await page.wait_for_url("**/admin/leaderboards?board=points&period=WEEKLY")
    await page.get_by_role("heading", name="Points: This week", level=2).wait_for()
    archives = page.locator("ul.archives > li")
    assert await archives.count() >= 3  # the demo's closed weeks
    newest = await archives.first.inner_text()
    assert newest.split()[0].startswith("20") and "-W" in newest.split()[0]
    await axe(page)


async def test_a_board_there_is_not_or_a_period_it_does_not_keep_is_a_404_that_says_so(
    console_http: ConsoleHttp, gql: Any, drain: Any, runtime: Any
) -> None:
    await seed.program(gql, drain, runtime)
    await console_http.login()
    for query, said in [
        ("board=nope", "no leaderboard named"),
        ("board=points&period=YEARLY", "keeps only"),
        ("board=challenge:review.week&period=WEEKLY", "keeps only ALL_TIME"),
        ("board=" + "x" * 5000, "no leaderboard named"),
    ]:
        response = await console_http.http.get(f"/admin/leaderboards?{query}")
        assert response.status_code == 404, query
        assert said in response.text
        assert "Traceback" not in response.text
