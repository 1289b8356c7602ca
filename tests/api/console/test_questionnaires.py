"""Questionnaires in the console: defined through the API's upsertQuestionnaire (audited under
the admin, refusals on the field at fault), listed, edited, and their results read by tier or
RFM segment."""

from __future__ import annotations

import re
from typing import Any

from domain.models import AuditRecord, Questionnaire
from tests.api.console.conftest import ADMIN_SUBJECT
from tests.api.questionnaires.common import answers, submit, upsert
from tests.conftest import member


async def save(page: Any) -> None:
    async with page.expect_navigation():
        await page.get_by_role("button", name="Save").click()


async def test_a_questionnaire_is_defined_listed_and_edited(admin_page: Any, axe: Any) -> None:
    page = admin_page
    await page.goto("/admin/questionnaires")
    await page.get_by_role("link", name="New", exact=True).click()
    await page.wait_for_url(re.compile(r".*/admin/questionnaires/new$"))
    await axe(page)
    await page.get_by_label("Key", exact=True).fill("bike.profile")
    await page.get_by_label("Title", exact=True).fill("Your riding")
    await page.get_by_label("Completion action (key)").fill("questionnaire.completed")
    await page.get_by_label("Answer again after (days)").fill("90")
    await page.locator("[name='questions.0.key']").fill("riding")
    await page.locator("[name='questions.0.prompt']").fill("What do you ride?")
    await page.locator("[name='questions.0.kind']").select_option("SINGLE_CHOICE")
    await page.locator("[name='questions.0.options']").fill("road\nmountain\ncity")
    await page.locator("[name='questions.0.required']").check()
    await page.locator("[name='questions.1.key']").fill("recommend")
    await page.locator("[name='questions.1.prompt']").fill("Would you recommend us?")
    await page.locator("[name='questions.1.kind']").select_option("SCALE")
    await save(page)
    assert page.url.endswith("/admin/questionnaires?saved=bike.profile")
    row = page.get_by_role("row").filter(has_text="bike.profile")
    assert "Your riding" in await row.inner_text()
    stored = await Questionnaire.get(key="bike.profile")
    assert stored.repeat_every_days == 90 and stored.completion_action == "questionnaire.completed"
    assert [(q["key"], q["kind"], q["options"], q["required"]) for q in stored.questions] == [
        ("riding", "SINGLE_CHOICE", ["road", "mountain", "city"], True),
        ("recommend", "SCALE", [], False),
    ]
    record = await AuditRecord.filter(operation="upsertQuestionnaire").first()
    assert record is not None and record.actor == ADMIN_SUBJECT
    await axe(page)

    await page.get_by_role("link", name="Edit bike.profile").click()
    assert await page.locator("[name='questions.0.options']").input_value() == (
        "road\nmountain\ncity"
    )
    assert await page.locator("[name='questions.0.required']").is_checked()


async def test_a_bad_question_is_refused_on_its_own_field(admin_page: Any) -> None:
    page = admin_page
    await page.goto("/admin/questionnaires/new")
    await page.get_by_label("Key", exact=True).fill("bike.profile")
    await page.get_by_label("Title", exact=True).fill("Your riding")
    await page.locator("[name='questions.0.key']").fill("riding")
    await page.locator("[name='questions.0.prompt']").fill("What do you ride?")
    await page.locator("[name='questions.0.kind']").select_option("SINGLE_CHOICE")
    await page.locator("[name='questions.0.options']").fill("road")
    await save(page)
    error = page.locator("#f-questions-0-options-error")
    await error.wait_for()
    assert "2 to 50 options" in await error.inner_text()
    assert "INVALID_INPUT" in await error.inner_text()
    assert not await Questionnaire.filter(key="bike.profile").exists()


async def test_results_show_counts_mean_and_nps_by_segment(
    admin_page: Any, gql: Any, axe: Any
) -> None:
    await upsert(gql)
    await submit(gql, member("ada"), answers("road", recommend=10, wish="private words"))
    await submit(gql, member("bob"), answers("city", recommend=3))
    page = admin_page
    await page.goto("/admin/questionnaires")
    await page.get_by_role("link", name="Results bike.profile").click()
    await page.wait_for_url(re.compile(r".*/admin/questionnaires/bike.profile/results$"))
    main = page.locator("main")
    await page.get_by_role("heading", name="Results: Your riding", level=1).wait_for()
    text = await main.inner_text()
    assert "Respondents: 2" in text
    assert "Mean: 6.5" in text and "NPS: 0" in text
    riding = page.get_by_role("region", name="What do you ride most?")
    assert "road\t1" in await riding.get_by_role("row").filter(has_text="road").inner_text()
    assert "private words" not in text
    await axe(page)

    await page.locator("#filter-segment").select_option("CHAMPIONS")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Filter").click()
    assert "Respondents: 0" in await main.inner_text()
    await page.goto("/admin/questionnaires/nope/results")
    assert await page.get_by_role("heading", level=1).inner_text() != "Results: nope"
