"""The insight page (/admin/insight): the RFM grid as a heat map, churn risk as a histogram,
each campaign's uplift with its interval, all from the stored refresh."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.models import MemberInsight
from tests.api.console import seed
from tests.conftest import ADMIN

UPSERT_CAMPAIGN = """
mutation Launch($input: UpsertCampaignInput!) {
  upsertCampaign(input: $input) { campaign { key } errors { code message field } }
}
"""


async def scheduled_campaign(gql: Any, name: str) -> None:
    starts = datetime.now(UTC) + timedelta(days=3)
    body = await gql(
        UPSERT_CAMPAIGN,
        {
            "input": {
                "key": "later",
                "name": name,
                "message": "Soon",
                "target": {"segments": ["AT_RISK"]},
                "offer": {"bonusPoints": 10},
                "startsAt": starts.isoformat(),
                "endsAt": (starts + timedelta(days=7)).isoformat(),
            }
        },
        as_=ADMIN,
    )
    assert body["data"]["upsertCampaign"]["errors"] == [], body


async def test_the_grid_the_churn_histogram_and_the_uplift_are_drawn(
    admin_page: Any, gql: Any, drain: Any, runtime: Any, axe: Any
) -> None:
    await seed.program(gql, drain, runtime)
    await scheduled_campaign(gql, seed.HOSTILE)
    page = admin_page
    assert (await page.goto("/admin/insight")).status == 200
    as_of = await MemberInsight.all().first().values_list("as_of", flat=True)
    summary = await page.locator("main > .summary").first.inner_text()
    assert summary.startswith("From the refresh of")

    grid = page.locator("svg#chart-rfm")
    written = await grid.locator("text[font-weight='bold']").all_text_contents()
    assert len(written) == 25  # a value in every cell, zeros included
    scored = await MemberInsight.filter(as_of=as_of).count()
    assert sum(int(value) for value in written) == scored
    assert "Champions" in str(await grid.text_content())

    churn = str(await page.locator("svg#chart-churn").text_content())
    assert "HIGH risk below 30 %" in churn and "MEDIUM below 70 %" in churn
    assert "90\u2013100 %" in churn

    uplift = page.locator("svg#chart-uplift")
    text = str(await uplift.text_content())
    assert "We saved you some points" in text and "no difference" in text
    assert re.search(r"[+-]\d+\.\d pts \[[+-]\d+\.\d pts, [+-]\d+\.\d pts\]", text)
    # A campaign named like markup is drawn as text; it has no draw yet, so it cannot tell.
    assert seed.HOSTILE in text
    row = page.locator("tr", has_text="later")
    assert "No result yet: both groups need members." in await row.inner_text()
    assert await page.locator("img").count() == 0
    await axe(page)


async def test_before_the_first_refresh_the_page_says_so(admin_page: Any, axe: Any) -> None:
    await admin_page.goto("/admin/insight")
    assert "No refresh yet." in await admin_page.locator("main").inner_text()
    for chart_id in ("chart-rfm", "chart-churn"):
        assert "No refresh yet." in str(await admin_page.locator(f"svg#{chart_id}").text_content())
    assert "No campaign yet." in str(await admin_page.locator("svg#chart-uplift").text_content())
    await axe(admin_page)
