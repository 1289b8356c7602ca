"""The progress screen, the badge catalog and challenges' reward badges are served from this
process's cached definitions, and the next read after an admin change shows the change."""

from __future__ import annotations

from tests.api.badges.test_badges import badge, goal
from tests.api.challenges.test_challenges import challenge, enroll
from tests.conftest import ADMIN, member
from tests.helpers import define

SCREEN = """
{ me { badges { badge { key name imageUrl goals { target } } earned
                progress { goal { metric action target } current completed } }
       challenges { challenge { key rewardBadge { key name } } }
       streaks { action } } }
"""
CATALOG = "{ badges { key name secret goals { metric action target } } }"
ADA = member("ada")


async def screen(gql) -> dict:
    body = await gql(SCREEN, as_=ADA)
    assert "errors" not in body, body
    return body["data"]["me"]


async def catalog(gql, who=ADA) -> list[dict]:
    body = await gql(CATALOG, as_=who)
    assert "errors" not in body, body
    return body["data"]["badges"]


async def test_a_changed_badge_shows_on_the_next_progress_screen(gql, drain):
    await define(gql, "app.open", 10, memberReportable=False)
    await badge(gql, "opener", [goal("ACTION_COUNT", 5, "app.open")], name="Opener")
    await challenge(gql, "sprint", rewardBadgeKey="opener")
    await enroll(gql, "ada", "sprint")
    before = await screen(gql)
    assert [b["badge"]["name"] for b in before["badges"]] == ["Opener"]
    assert before["badges"][0]["progress"][0]["goal"]["target"] == 5
    assert before["challenges"][0]["challenge"]["rewardBadge"]["name"] == "Opener"

    await badge(
        gql,
        "opener",
        [goal("ACTION_COUNT", 3, "app.open"), goal("STREAK_DAYS", 2, "app.open")],
        name="Early bird",
        imageUrl="https://img.example.com/bird.png",
    )
    after = await screen(gql)
    shown = after["badges"][0]
    assert shown["badge"]["name"] == "Early bird"
    assert shown["badge"]["imageUrl"] == "https://img.example.com/bird.png"
    assert [p["goal"]["target"] for p in shown["progress"]] == [3, 2]
    assert [g["target"] for g in shown["badge"]["goals"]] == [3, 2]
    assert after["challenges"][0]["challenge"]["rewardBadge"]["name"] == "Early bird"
    # A STREAK_DAYS goal naming an action gives that action a streak on the screen at once.
    assert [s["action"] for s in after["streaks"]] == [None, "app.open"]
    assert [(b["name"], b["goals"][0]["target"]) for b in await catalog(gql)] == [("Early bird", 3)]


async def test_a_new_badge_appears_and_a_badge_made_secret_disappears_at_once(gql):
    await define(gql, "app.open", 10, memberReportable=False)
    await badge(gql, "a.first", [goal("ACTION_COUNT", 1, "app.open")], name="A first")
    assert [b["badge"]["key"] for b in (await screen(gql))["badges"]] == ["a.first"]

    await badge(gql, "b.second", [goal("ACTION_COUNT", 2, "app.open")], name="B second")
    assert [b["badge"]["key"] for b in (await screen(gql))["badges"]] == ["a.first", "b.second"]
    assert [b["key"] for b in await catalog(gql, None)] == ["a.first", "b.second"]

    await badge(gql, "a.first", [goal("ACTION_COUNT", 1, "app.open")], secret=True)
    assert [b["badge"]["key"] for b in (await screen(gql))["badges"]] == ["b.second"]
    assert [b["key"] for b in await catalog(gql, None)] == ["b.second"]
    assert [b["key"] for b in await catalog(gql, ADMIN)] == ["a.first", "b.second"]
