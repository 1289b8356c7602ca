"""A badge's levels in the console: the badge form has a row per level (its name, reward and
goals), saved through `upsertBadge`, shown again for editing, refused inline when invalid."""

from __future__ import annotations

from typing import Any

from domain.models import Badge
from tests.api.console.test_definitions import field_error, save
from tests.helpers import define


async def test_a_badge_is_given_levels_and_edited_with_them(
    admin_page: Any, gql: Any, axe: Any
) -> None:
    await define(gql, "review.posted", 50)
    page = admin_page
    await page.goto("/admin/badges")
    await page.get_by_label("Key", exact=True).fill("reviewer")
    await page.get_by_label("Name", exact=True).fill("Bronze reviewer")
    await page.locator("[name='goals.0.metric']").select_option("ACTION_COUNT")
    await page.locator("[name='goals.0.action']").fill("review.posted")
    await page.locator("[name='goals.0.target']").fill("1")
    await page.locator("[name='levels.0.name']").fill("Silver reviewer")
    await page.locator("[name='levels.0.rewardPoints']").fill("30")
    await page.locator("[name='levels.0.goals.0.metric']").select_option("ACTION_COUNT")
    await page.locator("[name='levels.0.goals.0.action']").fill("review.posted")
    await page.locator("[name='levels.0.goals.0.target']").fill("5")
    await save(page)

    assert page.url.endswith("/admin/badges?saved=reviewer")
    badge = await Badge.get(key="reviewer")
    assert badge.levels == [
        {
            "name": "Silver reviewer",
            "goals": [{"metric": "ACTION_COUNT", "action": "review.posted", "target": 5}],
            "rewardPoints": 30,
        }
    ]
    row = page.get_by_role("row").filter(has_text="reviewer")
    assert "Silver reviewer" in await row.inner_text()
    await axe(page)

    # Editing shows the level, with a spare row for the next one and a spare goal row in it.
    await page.get_by_role("link", name="Edit reviewer").click()
    assert await page.locator("[name='levels.0.name']").input_value() == "Silver reviewer"
    assert await page.locator("[name='levels.0.goals.0.target']").input_value() == "5"
    assert await page.locator("[name='levels.0.goals.1.target']").count() == 1
    await page.locator("[name='levels.1.name']").fill("Gold reviewer")
    await page.locator("[name='levels.1.rewardPoints']").fill("100")
    await page.locator("[name='levels.1.goals.0.metric']").select_option("ACTIVE_DAYS")
    await page.locator("[name='levels.1.goals.0.target']").fill("10")
    await save(page)

    badge = await Badge.get(key="reviewer")
    assert [(level["name"], level["rewardPoints"]) for level in badge.levels] == [
        ("Silver reviewer", 30),
        ("Gold reviewer", 100),
    ]
    assert badge.levels[1]["goals"] == [{"metric": "ACTIVE_DAYS", "action": None, "target": 10}]
    await axe(page)


async def test_a_level_without_goals_or_with_a_taken_name_is_refused_inline(
    admin_page: Any,
) -> None:
    page = admin_page
    await page.goto("/admin/badges")
    await page.get_by_label("Key", exact=True).fill("regular")
    await page.get_by_label("Name", exact=True).fill("Regular")
    await page.locator("[name='levels.0.name']").fill("regular")
    await page.locator("[name='levels.0.goals.0.metric']").select_option("ACTIVE_DAYS")
    await page.locator("[name='levels.0.goals.0.target']").fill("5")
    await save(page)
    assert "INVALID_INPUT" in await field_error(page, "levels.0.name")
    assert not await Badge.filter(key="regular").exists()

    await page.locator("[name='levels.0.name']").fill("Very regular")
    await page.locator("[name='levels.0.goals.0.metric']").select_option("")
    await page.locator("[name='levels.0.goals.0.target']").fill("")
    await save(page)
    # The level's goals have no field of their own: the refusal is placed on its first one.
    assert "at least one goal" in await field_error(page, "levels.0.goals.0.metric")
    assert not await Badge.filter(key="regular").exists()
