"""The program's definitions in the console: actions, tiers, rewards, badges and challenges.

Every form saves through the API's own upsert mutation (the audit log names the admin), shows
refusals inline with their code on the field at fault and changes nothing then, needs its CSRF
token, and prints whatever it is given as text.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from domain.models import Action, AuditRecord, Badge, Challenge, Reward, Tier
from tests.api.console.conftest import ADMIN_SUBJECT, ConsoleHttp
from tests.api.offers.common import profile
from tests.helpers import define

HOSTILE = "<img src=x onerror=alert(1)>"


async def save(page: Any) -> None:
    async with page.expect_navigation():
        await page.get_by_role("button", name="Save").click()


async def field_error(page: Any, name: str) -> str:
    """The inline refusal shown under the input named `name`."""
    error = page.locator(f"#f-{name.replace('.', '-')}-error")
    await error.wait_for()
    return str(await error.inner_text())


async def audited(operation: str, target: str) -> AuditRecord:
    record = await AuditRecord.filter(operation=operation, target__contains=target).first()
    assert record is not None, f"no audit record of {operation} on {target}"
    return record


async def test_an_action_is_created_listed_and_audited_under_the_admin(
    admin_page: Any, axe: Any
) -> None:
    page = admin_page
    await page.goto("/admin/actions")
    await axe(page)
    await page.get_by_label("Key", exact=True).fill("review.posted")
    await page.get_by_label("Name", exact=True).fill("Posted a review")
    await page.get_by_label("Points", exact=True).fill("50")
    await page.locator("[name='limits.0.period']").select_option("DAY")
    await page.locator("[name='limits.0.max']").fill("3")
    await save(page)
    assert page.url.endswith("/admin/actions?saved=review.posted")
    await page.get_by_role("status").filter(has_text="Saved: review.posted").wait_for()
    row = page.get_by_role("row").filter(has_text="review.posted")
    assert "Posted a review" in await row.inner_text()
    assert "3/DAY" in await row.inner_text()
    action = await Action.get(key="review.posted")
    assert (action.points, action.limits, action.active) == (
        50,
        [{"period": "DAY", "max": 3}],
        True,
    )
    assert (await audited("upsertAction", "review.posted")).actor == ADMIN_SUBJECT
    await axe(page)


async def test_an_invalid_action_is_refused_inline_and_nothing_is_saved(
    admin_page: Any, axe: Any
) -> None:
    page = admin_page
    await page.goto("/admin/actions")
    await page.get_by_label("Key", exact=True).fill("Not A Key")
    await page.get_by_label("Name", exact=True).fill("Bad")
    await page.get_by_label("Points", exact=True).fill("10")
    await save(page)
    assert "INVALID_INPUT" in await field_error(page, "key")
    assert "lowercase dot-separated words" in await field_error(page, "key")
    # What was typed is still there, and the keyboard is on the field at fault.
    assert await page.get_by_label("Key", exact=True).input_value() == "Not A Key"
    assert await page.evaluate("document.activeElement.name") == "key"
    await axe(page)
    await page.get_by_label("Key", exact=True).fill("fine.key")
    await page.get_by_label("Points", exact=True).fill("1.5")  # a number, not a whole one
    await save(page)
    assert "INVALID_INPUT" in await field_error(page, "points")
    await page.get_by_label("Points", exact=True).fill("5")
    await page.locator("[name='limits.0.period']").select_option("DAY")
    await page.locator("[name='limits.0.max']").fill("0")
    await save(page)
    assert "max must be at least 1" in await field_error(page, "limits.0.period")
    assert await Action.all().count() == 0
    assert await AuditRecord.all().count() == 0


async def test_editing_an_action_keeps_what_the_form_does_not_change(
    admin_page: Any, gql: Any
) -> None:
    schedule = {"period": "DAY", "steps": [{"upTo": 1, "points": 20}, {"points": 5}]}
    await define(gql, "app.daily_open", 10, schedule=schedule, limits=[{"period": "DAY", "max": 5}])
    page = admin_page
    await page.goto("/admin/actions")
    await page.get_by_role("link", name="Edit app.daily_open").click()
    await page.wait_for_url(re.compile(r".*/admin/actions/app.daily_open/edit$"))
    assert await page.get_by_label("Key", exact=True).get_attribute("readonly") is not None
    await page.get_by_label("Name", exact=True).fill("Opened the app today")
    await save(page)
    action = await Action.get(key="app.daily_open")
    assert action.name == "Opened the app today"
    assert action.schedule == {
        "period": "DAY",
        "steps": [{"upTo": 1, "points": 20}, {"upTo": None, "points": 5}],
    }
    assert action.limits == [{"period": "DAY", "max": 5}]


async def test_an_unknown_definition_to_edit_is_a_plain_404(admin_page: Any) -> None:
    response = await admin_page.goto("/admin/badges/nothing.here/edit")
    assert response.status == 404
    assert "Nothing has this key." in await admin_page.locator("main").inner_text()


async def test_a_tier_with_benefits_and_a_multiplier(admin_page: Any, axe: Any) -> None:
    page = admin_page
    await page.goto("/admin/tiers")
    await page.get_by_label("Key", exact=True).fill("gold")
    await page.get_by_label("Name", exact=True).fill("Gold")
    await page.get_by_label("Threshold (points)").fill("1000")
    await page.get_by_label("Points multiplier").fill("1.5")
    await page.get_by_label("Benefits").fill("Free shipping\nEarly access")
    await save(page)
    tier = await Tier.get(key="gold")
    assert (tier.threshold, tier.multiplier, tier.benefits) == (
        1000,
        1.5,
        ["Free shipping", "Early access"],
    )
    assert (await audited("upsertTier", "gold")).actor == ADMIN_SUBJECT
    await page.get_by_label("Key", exact=True).fill("silver")
    await page.get_by_label("Name", exact=True).fill("Silver")
    await page.get_by_label("Threshold (points)").fill("-5")
    await save(page)
    assert "INVALID_INPUT" in await field_error(page, "threshold")
    assert not await Tier.filter(key="silver").exists()
    await axe(page)


async def test_a_reward_with_stock_and_a_required_tier(admin_page: Any) -> None:
    page = admin_page
    await page.goto("/admin/rewards")
    await page.get_by_label("Key", exact=True).fill("mug")
    await page.get_by_label("Name", exact=True).fill("A mug")
    await page.get_by_label("Cost (points)").fill("500")
    await page.get_by_label("Stock").fill("20")
    await save(page)
    reward = await Reward.get(key="mug")
    assert (reward.cost, reward.stock, reward.active) == (500, 20, True)
    assert (await audited("upsertReward", "mug")).actor == ADMIN_SUBJECT
    await page.get_by_label("Key", exact=True).fill("hat")
    await page.get_by_label("Name", exact=True).fill("A hat")
    await page.get_by_label("Cost (points)").fill("5")
    await page.get_by_label("Required tier (key)").fill("platinum")
    await save(page)
    assert "platinum" in await field_error(page, "requiredTier")
    assert not await Reward.filter(key="hat").exists()


async def test_a_badge_with_goals_and_a_hostile_name_shown_as_text(
    admin_page: Any, gql: Any, axe: Any
) -> None:
    await define(gql, "review.posted", 50)
    page = admin_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    await page.goto("/admin/badges")
    await page.get_by_label("Key", exact=True).fill("reviewer")
    await page.get_by_label("Name", exact=True).fill(HOSTILE)
    await page.locator("[name='goals.0.metric']").select_option("ACTION_COUNT")
    await page.locator("[name='goals.0.action']").fill("review.posted")
    await page.locator("[name='goals.0.target']").fill("5")
    await page.locator("[name='goals.1.metric']").select_option("STREAK_DAYS")
    await page.locator("[name='goals.1.target']").fill("3")
    await save(page)
    badge = await Badge.get(key="reviewer")
    assert badge.name == HOSTILE
    assert (await audited("upsertBadge", "reviewer")).actor == ADMIN_SUBJECT
    assert [(g["metric"], g["target"]) for g in badge.goals] == [
        ("ACTION_COUNT", 5),
        ("STREAK_DAYS", 3),
    ]
    row = page.get_by_role("row").filter(has_text="reviewer")
    assert HOSTILE in await row.inner_text()
    assert await page.locator("main img").count() == 0
    await page.get_by_role("link", name="Edit reviewer").click()
    assert await page.get_by_label("Name", exact=True).input_value() == HOSTILE
    assert await page.locator("main img").count() == 0
    assert dialogs == []
    await axe(page)


async def test_a_badge_goal_refused_on_its_own_field(admin_page: Any) -> None:
    page = admin_page
    await page.goto("/admin/badges")
    await page.get_by_label("Key", exact=True).fill("reviewer")
    await page.get_by_label("Name", exact=True).fill("Reviewer")
    await page.locator("[name='goals.0.metric']").select_option("ACTION_COUNT")
    await page.locator("[name='goals.0.action']").fill("review.posted")
    await page.locator("[name='goals.0.target']").fill("0")
    await save(page)
    assert "target must be 1 to" in await field_error(page, "goals.0.target")
    assert "INVALID_INPUT" in await field_error(page, "goals.0.target")
    assert not await Badge.filter(key="reviewer").exists()


async def test_a_challenge_is_created_on_its_own_page(admin_page: Any, gql: Any, axe: Any) -> None:
    await define(gql, "review.posted", 50)
    page = admin_page
    await page.goto("/admin/challenges")
    await page.get_by_role("link", name="New", exact=True).click()
    await page.wait_for_url(re.compile(r".*/admin/challenges/new$"))
    await axe(page)
    await page.get_by_label("Key", exact=True).fill("review.week")
    await page.get_by_label("Name", exact=True).fill("Review week")
    await page.get_by_label("Starts at").fill("2030-01-06T00:00")
    await page.get_by_label("Ends at").fill("2030-01-05T00:00")
    await page.locator("[name='goals.0.metric']").select_option("ACTION_COUNT")
    await page.locator("[name='goals.0.action']").fill("review.posted")
    await page.locator("[name='goals.0.target']").fill("3")
    await page.get_by_label("Reward points").fill("100")
    await save(page)
    assert "endsAt must be after startsAt" in await field_error(page, "endsAt")
    assert not await Challenge.filter(key="review.week").exists()
    await axe(page)
    await page.get_by_label("Ends at").fill("2030-01-13T00:00")
    await save(page)
    assert page.url.endswith("/admin/challenges?saved=review.week")
    challenge = await Challenge.get(key="review.week")
    assert challenge.starts_at.isoformat().startswith("2030-01-06T00:00:00")  # the program's UTC
    assert (challenge.reward_points, challenge.goals[0]["target"]) == (100, 3)
    row = page.get_by_role("row").filter(has_text="review.week")
    assert "SCHEDULED" in await row.inner_text()
    assert (await audited("upsertChallenge", "review.week")).actor == ADMIN_SUBJECT


async def test_a_weekly_hidden_challenge_is_defined_and_edited_in_the_form(
    admin_page: Any, gql: Any, axe: Any
) -> None:
    await define(gql, "review.posted", 50)
    page = admin_page
    await page.goto("/admin/challenges/new")
    await page.get_by_label("Key", exact=True).fill("weekly.quest")
    await page.get_by_label("Name", exact=True).fill("Weekly quest")
    await page.get_by_label("Starts at").fill("2030-01-07T00:00")
    await page.get_by_label("Ends at").fill("2030-03-04T00:00")
    await page.locator("[name='goals.0.metric']").select_option("ACTION_COUNT")
    await page.locator("[name='goals.0.action']").fill("review.posted")
    await page.locator("[name='goals.0.target']").fill("2")
    await page.get_by_label("Repeats").select_option("WEEKLY")
    await page.get_by_label("Hidden (until a member completes it)").check()
    await page.get_by_label("Members must enrol").check()
    await save(page)
    # Members could never enrol in what they cannot see: refused, nothing stored.
    assert "cannot require enrolment" in await field_error(page, "hidden")
    assert not await Challenge.filter(key="weekly.quest").exists()
    await axe(page)
    await page.get_by_label("Members must enrol").uncheck()
    await save(page)
    assert page.url.endswith("/admin/challenges?saved=weekly.quest")
    challenge = await Challenge.get(key="weekly.quest")
    assert (challenge.recurrence, challenge.hidden) == ("WEEKLY", True)
    row = page.get_by_role("row").filter(has_text="weekly.quest")
    assert "WEEKLY" in await row.inner_text()
    # The edit form shows what is stored; "(none)" makes it a one-off again (not started yet).
    await page.goto("/admin/challenges/weekly.quest/edit")
    assert await page.get_by_label("Repeats").input_value() == "WEEKLY"
    assert await page.get_by_label("Hidden (until a member completes it)").is_checked()
    await page.get_by_label("Repeats").select_option("")
    await save(page)
    assert (await Challenge.get(key="weekly.quest")).recurrence == "NONE"


# --- What a browser would not send ----------------------------------------------------------

FORMS = {
    "actions": {"key": "x.y", "name": "X", "points": "1"},
    "tiers": {"key": "gold", "name": "Gold", "threshold": "10"},
    "rewards": {"key": "mug", "name": "Mug", "cost": "1"},
    "badges": {"key": "b", "name": "B"},
    "challenges": {
        "key": "c",
        "name": "C",
        "startsAt": "2030-01-01T00:00",
        "endsAt": "2030-01-02T00:00",
        "goals.0.metric": "POINTS_EARNED",
        "goals.0.target": "5",
    },
}
MODELS = {"actions": Action, "tiers": Tier, "rewards": Reward, "badges": Badge}


@pytest.mark.parametrize("kind", sorted(FORMS))
async def test_every_definition_form_needs_its_csrf_token(
    console_http: ConsoleHttp, kind: str
) -> None:
    await console_http.login()
    path = f"/admin/{kind}"
    token = await console_http.csrf(path)
    refused = await console_http.http.post(path, data=FORMS[kind])
    assert refused.status_code == 403
    assert "security token" in refused.text
    assert "Traceback" not in refused.text
    wrong = await console_http.http.post(path, data={**FORMS[kind], "csrf_token": "x" * 43})
    assert wrong.status_code == 403
    elsewhere = await console_http.http.post(
        path, data={**FORMS[kind], "csrf_token": token}, headers={"origin": "http://evil.test"}
    )
    assert elsewhere.status_code == 403
    assert await AuditRecord.all().count() == 0
    saved = await console_http.http.post(path, data={**FORMS[kind], "csrf_token": token})
    assert saved.status_code == 303, saved.text
    assert await AuditRecord.all().count() == 1


@pytest.mark.parametrize("kind", sorted(FORMS))
async def test_a_member_token_opens_no_definition_page_and_saves_nothing(
    console_http: ConsoleHttp, kind: str, settings: Any
) -> None:
    from tests.conftest import token

    member = {"authorization": f"Bearer {token(settings, 'ada')}"}
    page = await console_http.http.get(f"/admin/{kind}", headers=member)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/admin/login")
    posted = await console_http.http.post(f"/admin/{kind}", data=FORMS[kind], headers=member)
    assert posted.status_code == 303
    assert await AuditRecord.all().count() == 0


async def test_a_reward_for_some_members_only_keeps_its_audience_when_edited(
    admin_page: Any, gql: Any
) -> None:
    await profile(gql)
    page = admin_page
    await page.goto("/admin/rewards")
    await page.get_by_label("Key", exact=True).fill("road.service")
    await page.get_by_label("Name", exact=True).fill("Road service")
    await page.get_by_label("Cost (points)").fill("300")
    await page.get_by_label("Questionnaire (key)").first.fill("bike.profile")
    await page.get_by_label("Question (key)").first.fill("riding")
    await page.get_by_label("Option (key)").first.fill("road")
    await save(page)
    audience = [{"questionnaire": "bike.profile", "question": "riding", "choice": "road"}]
    assert (await Reward.get(key="road.service")).audience == audience
    assert "bike.profile.riding = road" in await page.locator("table").inner_text()

    # Editing something else keeps the audience; a second row adds a scale range.
    await page.get_by_role("link", name="Edit road.service").click()
    await page.wait_for_url(re.compile(r".*/admin/rewards/road.service/edit$"))
    assert await page.get_by_label("Option (key)").first.input_value() == "road"
    await page.get_by_label("Name", exact=True).fill("Free road service")
    await page.get_by_label("Questionnaire (key)").nth(1).fill("bike.profile")
    await page.get_by_label("Question (key)").nth(1).fill("recommend")
    await page.get_by_label("Scale from").nth(1).fill("9")
    await save(page)
    reward = await Reward.get(key="road.service")
    assert reward.name == "Free road service"
    assert reward.audience == [
        *audience,
        {"questionnaire": "bike.profile", "question": "recommend", "min": 9, "max": 10},
    ]

    # An option the question does not offer is refused, and nothing changes.
    await page.get_by_role("link", name="Edit road.service").click()
    await page.wait_for_url(re.compile(r".*/admin/rewards/road.service/edit$"))
    await page.get_by_label("Option (key)").first.fill("gravel")
    await save(page)
    assert "INVALID_INPUT" in await page.locator("main").inner_text()
    assert (await Reward.get(key="road.service")).audience[0]["choice"] == "road"
