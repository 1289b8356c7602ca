"""The dashboard (/admin): four charts (interactions per hour, the PENDING backlog, members by
tier, the top of the points board), each with its figures, legible, escaped, accessible."""

from __future__ import annotations

import re
from typing import Any

from domain.models import Interaction, InteractionStatus, Member
from tests.api.console import seed
from tests.api.console.conftest import admin_token, new_page, screenshot_path, sign_in

CHARTS = ["chart-hourly", "chart-backlog", "chart-tiers", "chart-leaders"]


async def sign_in_anywhere(page: Any, settings: Any) -> None:
    """Sign in through the login form in whatever language it is shown (by the field's id)."""
    await page.goto("/admin/login")
    await page.locator("textarea[name='token']").fill(admin_token(settings))
    await page.locator("form[action='/admin/login'] button[type='submit']").click()
    await page.wait_for_url(re.compile(r".*/admin/(?!login).*"))


async def chart_text(page: Any, chart_id: str) -> str:
    return str(await page.locator(f"svg#{chart_id}").text_content())


async def test_the_dashboard_draws_every_chart_with_its_figures(
    admin_page: Any, gql: Any, drain: Any, runtime: Any, axe: Any
) -> None:
    await seed.program(gql, drain, runtime)
    page = admin_page
    response = await page.goto("/admin/")
    assert response.status == 200
    await page.get_by_role("heading", name="Dashboard", level=1).wait_for()
    for chart_id in CHARTS:
        svg = page.locator(f"svg#{chart_id}")
        assert await svg.get_attribute("role") == "img"
        labelled = (await svg.get_attribute("aria-labelledby") or "").split()
        assert labelled == [f"{chart_id}-title", f"{chart_id}-desc"]

    recorded = await Interaction.all().count()  # ours and the demo's, all within the hour
    awarded = await Interaction.filter(status=InteractionStatus.AWARDED).count()
    summary = page.locator("section[aria-labelledby='h-hourly'] .summary")
    assert await summary.inner_text() == (
        f"{recorded} recorded in the last 24 hours, {awarded} of them awarded."
    )
    backlog = await page.locator("section[aria-labelledby='h-backlog'] .summary").inner_text()
    assert backlog.startswith(f"{seed.PENDING} interactions wait to be decided")
    assert "Under a minute" in await chart_text(page, "chart-backlog")

    tiers = await chart_text(page, "chart-tiers")
    members = await Member.all().count()
    # The demo's ladder, lowest first, each tier's members and share written out.
    assert tiers.index("Base") < tiers.index("Silver") < tiers.index("Gold")
    assert f"Silver: 2 ({200 / members:.1f}%)" in tiers and "Gold: 0 (0%)" in tiers

    leaders = await chart_text(page, "chart-leaders")
    assert re.search(r"1\. Ada Lovelace: \d{3}", leaders)  # Silver multiplies her last points
    assert "2. Ada: 510" in leaders  # the demo's Ada, her Silver reviewer level's points in it
    # The demo's anonymous member is shown as members see the board, with no link behind it.
    assert "4. Member #4: 190" in leaders and "anonymous:" not in leaders
    # A display name made of markup is shown as text, in the chart and in its table.
    assert seed.HOSTILE in leaders
    cell = page.locator("section[aria-labelledby='h-leaders'] table").get_by_text(seed.HOSTILE)
    assert await cell.count() == 1
    assert await page.locator("img").count() == 0

    # The figures behind each chart, one row per hour.
    await page.locator("section[aria-labelledby='h-hourly'] summary").click()
    rows = page.locator("section[aria-labelledby='h-hourly'] tbody tr")
    assert await rows.count() == 24
    await axe(page)


async def test_an_empty_program_says_so_in_every_chart(admin_page: Any, axe: Any) -> None:
    await admin_page.goto("/admin/")
    assert "Nobody has points yet." in await chart_text(admin_page, "chart-leaders")
    summary = admin_page.locator("section[aria-labelledby='h-backlog'] .summary")
    assert "Nothing waits" in await summary.inner_text()
    assert "0 members in all." in await admin_page.locator("main").inner_text()
    await axe(admin_page)


async def test_the_dashboard_speaks_french(
    browser: Any, server: Any, settings: Any, gql: Any, drain: Any, runtime: Any, axe: Any
) -> None:
    await seed.program(gql, drain, runtime)
    context, page, _ = await new_page(browser, server, locale="fr-FR")
    try:
        await sign_in_anywhere(page, settings)
        await page.goto("/admin/")
        assert await page.locator("html").get_attribute("lang") == "fr"
        await page.get_by_role("heading", name="Tableau de bord", level=1).wait_for()
        await page.get_by_role("heading", name="Interactions par heure", level=2).wait_for()
        await page.get_by_role("heading", name="Membres par niveau", level=2).wait_for()
        assert "Interactions par heure" in await chart_text(page, "chart-hourly")
        assert "Enregistrées" in await chart_text(page, "chart-hourly")
        # Figures as French writes them: a comma for decimals, a (narrow) space for thousands.
        tiers = await chart_text(page, "chart-tiers")
        assert re.search(r"\d+,\d\s?%", tiers), tiers
        await axe(page)
    finally:
        await context.close()


async def test_the_dashboard_screenshot(
    browser: Any, server: Any, settings: Any, gql: Any, drain: Any, runtime: Any
) -> None:
    """The README's picture of the dashboard (written when PLAUDIT_CONSOLE_SCREENSHOTS=1)."""
    await seed.program(gql, drain, runtime)
    await seed.spread_over_the_day()
    context, page, _ = await new_page(browser, server)
    try:
        await sign_in(page, settings)
        await page.goto("/admin/")
        await page.locator("svg#chart-leaders").wait_for()
        path = screenshot_path("dashboard.png")
        if path is not None:
            await page.screenshot(path=str(path), full_page=True)
        bars = page.locator("svg#chart-hourly polyline")
        assert await bars.count() == 2
    finally:
        await context.close()
