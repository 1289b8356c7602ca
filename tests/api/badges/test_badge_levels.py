"""Badge levels over GraphQL: a badge's own goals are level 1, its `levels` are 2, 3... (bronze,
silver, gold). A member earns each level once, in order, each crediting its reward under a
source key of its own; `BadgeStatus.level` is the highest held and `progress` counts toward
`nextLevel`. Levels are earned by their goals only, whoever awarded the badge itself."""

from __future__ import annotations

import asyncio

from domain.goals import badges
from domain.models import (
    AuditRecord,
    Badge,
    LedgerEntry,
    LedgerReason,
    MemberBadge,
)
from gamification.badges import BadgeDefinition, BadgeLevelDefinition
from gamification.goals import Goal, Metric
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import counting, define, define_goal_actions, record, table_sums

UPSERT_BADGE = """
mutation Upsert($input: UpsertBadgeInput!) {
  upsertBadge(input: $input) {
    badge { key name goals { metric action target } rewardPoints
            levels { level name goals { metric action target } rewardPoints } }
    errors { code message field }
  }
}
"""

AWARD_BADGE = """
mutation Award($memberId: ID!, $badgeKey: String!) {
  awardBadge(memberId: $memberId, badgeKey: $badgeKey) { badge { key } errors { code field } }
}
"""

MY_BADGES = """
{ me { points { balance }
       badges { badge { key } earned level nextLevel { level name rewardPoints }
                progress { goal { metric action target } current completed } } } }
"""

MY_EVENTS = "{ me { events(first: 50) { edges { node { kind message points subject } } } } }"

CATALOG = "{ badges { key levels { level name rewardPoints } } }"


def goal(metric: str, target: int, action: str | None = None) -> dict:
    return {"metric": metric, "action": action, "target": target}


def reviews(target: int) -> list[dict]:
    return [goal("ACTION_COUNT", target, "review.posted")]


def level(name: str, goals: list[dict], reward: int = 0) -> dict:
    return {"name": name, "goals": goals, "rewardPoints": reward}


# The demo's ladder: the badge itself is Bronze (1 review), then Silver (3) and Gold (5).
REVIEWER = {
    "key": "reviewer",
    "name": "Bronze reviewer",
    "goals": reviews(1),
    "rewardPoints": 10,
    "levels": [level("Silver reviewer", reviews(3), 30), level("Gold reviewer", reviews(5), 100)],
}


async def upsert(gql, badge: dict) -> dict:
    await define_goal_actions(gql, [g for lv in badge.get("levels", []) for g in lv["goals"]])
    await define_goal_actions(gql, badge.get("goals"))
    return (await gql(UPSERT_BADGE, {"input": badge}, as_=ADMIN))["data"]["upsertBadge"]


async def define_reviewer(gql, **changes) -> dict:
    await define(gql, "review.posted", 0, memberReportable=False)
    payload = await upsert(gql, {**REVIEWER, **changes})
    assert payload["errors"] == [], payload
    return payload["badge"]


async def post_reviews(gql, who: str, keys: range) -> None:
    for index in keys:
        await record(gql, SERVICE, action="review.posted", memberId=who, key=f"{who}-r{index}")


async def standing(gql, who: str = "ada", key: str = "reviewer") -> dict:
    body = await gql(MY_BADGES, as_=member(who))
    assert "errors" not in body, body
    found = {s["badge"]["key"]: s for s in body["data"]["me"]["badges"]}
    return found[key]


def shown(status: dict) -> tuple[int, dict | None, list[tuple[int, int]]]:
    """(level, nextLevel, [(target, current)] of its progress)."""
    progress = [(p["goal"]["target"], p["current"]) for p in status["progress"]]
    return status["level"], status["nextLevel"], progress


async def badge_credits(who: str = "ada") -> list[tuple[str, int]]:
    return list(
        await LedgerEntry.filter(member_id=who, reason=LedgerReason.BADGE)
        .order_by("id")
        .values_list("source_key", "amount")
    )


# --- definitions ---------------------------------------------------------------------------------


async def test_an_admin_defines_levels_above_a_badges_own_goals_and_everybody_sees_them(gql):
    created = await define_reviewer(gql)

    assert created["levels"] == [
        {
            "level": 2,
            "name": "Silver reviewer",
            "goals": [{"metric": "ACTION_COUNT", "action": "review.posted", "target": 3}],
            "rewardPoints": 30,
        },
        {
            "level": 3,
            "name": "Gold reviewer",
            "goals": [{"metric": "ACTION_COUNT", "action": "review.posted", "target": 5}],
            "rewardPoints": 100,
        },
    ]
    plain = await upsert(gql, {"key": "plain", "name": "Plain", "goals": reviews(2)})
    assert plain["badge"]["levels"] == []  # a single-level badge
    for who in (member("ada"), ADMIN, None):
        catalog = {b["key"]: b["levels"] for b in (await gql(CATALOG, as_=who))["data"]["badges"]}
        assert [lv["name"] for lv in catalog["reviewer"]] == ["Silver reviewer", "Gold reviewer"]
        assert catalog["plain"] == []
    assert await AuditRecord.filter(target="badge:reviewer").count() == 1


async def test_invalid_levels_are_user_errors_with_field_paths_and_change_nothing(gql):
    await define_reviewer(gql)
    before = await table_sums()
    cases = [
        ([level("Silver reviewer", [])], ["input", "levels", "0", "goals"]),
        (
            [level("Silver reviewer", reviews(3)), level("silver reviewer", reviews(5))],
            ["input", "levels", "1", "name"],
        ),
        ([level("Bronze reviewer", reviews(3))], ["input", "levels", "0", "name"]),
        ([level("Silver reviewer", reviews(3), -1)], ["input", "levels", "0", "rewardPoints"]),
        ([level(" ", reviews(3))], ["input", "levels", "0", "name"]),
        (
            [level("Silver reviewer", [goal("ACTION_COUNT", 0, "review.posted")])],
            ["input", "levels", "0", "goals", "0", "target"],
        ),
    ]
    for levels, field in cases:
        payload = await upsert(gql, {**REVIEWER, "levels": levels})
        assert payload["badge"] is None, levels
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID_INPUT", field)]
    unknown_action = [level("Silver reviewer", [*reviews(3), goal("ACTION_COUNT", 1, "no.such")])]
    variables = {"input": {**REVIEWER, "levels": unknown_action}}
    unknown = (await gql(UPSERT_BADGE, variables, as_=ADMIN))["data"]["upsertBadge"]
    assert [(e["code"], e["field"]) for e in unknown["errors"]] == [
        ("NOT_FOUND", ["input", "levels", "0", "goals", "1", "action"])
    ]
    assert await table_sums() == before
    stored = await Badge.get(key="reviewer")
    assert [lv["name"] for lv in stored.levels] == ["Silver reviewer", "Gold reviewer"]


# --- earning levels ------------------------------------------------------------------------------


async def test_levels_are_earned_in_order_each_once_with_progress_toward_the_next(gql, drain):
    await define_reviewer(gql)
    first = await standing(gql)
    assert shown(first) == (0, {"level": 1, "name": "Bronze reviewer", "rewardPoints": 10},
                            [(1, 0)])  # fmt: skip
    assert first["earned"] is False

    await post_reviews(gql, "ada", range(1))
    await drain()
    assert shown(await standing(gql)) == (
        1,
        {"level": 2, "name": "Silver reviewer", "rewardPoints": 30},
        [(3, 1)],  # toward silver now
    )

    await post_reviews(gql, "ada", range(1, 3))
    await drain()
    assert shown(await standing(gql)) == (
        2,
        {"level": 3, "name": "Gold reviewer", "rewardPoints": 100},
        [(5, 3)],
    )

    await post_reviews(gql, "ada", range(3, 7))
    await drain()
    top = await standing(gql)
    assert shown(top) == (3, None, [(5, 7)])  # the top: its goals, completed
    assert top["progress"][0]["completed"] is True and top["earned"] is True

    assert await badge_credits() == [
        ("badge:reviewer:ada", 10),
        ("badge:reviewer:level2:ada", 30),
        ("badge:reviewer:level3:ada", 100),
    ]
    events = (await gql(MY_EVENTS, as_=member("ada")))["data"]["me"]["events"]["edges"]
    earned = [e["node"] for e in events if e["node"]["kind"] == "BADGE_EARNED"]
    assert earned == [  # newest first
        {
            "kind": "BADGE_EARNED",
            "message": "You reached Bronze reviewer: Gold reviewer (level 3)",
            "points": 100,
            "subject": "reviewer",
        },
        {
            "kind": "BADGE_EARNED",
            "message": "You reached Bronze reviewer: Silver reviewer (level 2)",
            "points": 30,
            "subject": "reviewer",
        },
        {
            "kind": "BADGE_EARNED",
            "message": "You earned the Bronze reviewer badge",
            "points": 10,
            "subject": "reviewer",
        },
    ]
    assert (await MemberBadge.get(member_id="ada", badge_id="reviewer")).level == 3


async def test_one_interaction_that_meets_every_level_earns_them_all_in_order(gql, drain):
    await define(gql, "app.open", 0, memberReportable=False)
    await define_reviewer(
        gql,
        goals=[goal("ACTIVE_DAYS", 1)],
        levels=[
            level("Silver reviewer", [goal("ACTION_COUNT", 1, "app.open")], 30),
            level("Gold reviewer", [goal("ACTIVE_DAYS", 1, "app.open")], 100),
        ],
    )
    await record(gql, SERVICE, action="app.open", memberId="ada", key="o1")
    await drain()

    assert (await standing(gql))["level"] == 3
    assert await badge_credits() == [
        ("badge:reviewer:ada", 10),
        ("badge:reviewer:level2:ada", 30),
        ("badge:reviewer:level3:ada", 100),
    ]
    assert (await gql(MY_BADGES, as_=member("ada")))["data"]["me"]["points"]["balance"] == 140


async def test_a_level_whose_goals_are_met_first_waits_for_the_level_below(gql, drain):
    await define(gql, "app.open", 40, memberReportable=False)
    await define_reviewer(
        gql,
        levels=[
            level("Silver reviewer", reviews(3), 30),
            level("Gold reviewer", [goal("POINTS_EARNED", 50)], 100),
        ],
    )
    await post_reviews(gql, "ada", range(1))
    for index in range(2):  # 80 points: gold's goal is met, silver's is not
        await record(gql, SERVICE, action="app.open", memberId="ada", key=f"o{index}")
    await drain()
    status = await standing(gql)
    assert shown(status)[:2] == (1, {"level": 2, "name": "Silver reviewer", "rewardPoints": 30})

    await post_reviews(gql, "ada", range(1, 3))  # silver, and then gold in the same chain
    await drain()
    assert (await standing(gql))["level"] == 3
    assert [key for key, _ in await badge_credits()] == [
        "badge:reviewer:ada",
        "badge:reviewer:level2:ada",
        "badge:reviewer:level3:ada",
    ]


async def test_racing_workers_and_replays_credit_each_level_once(gql, drain):
    await define_reviewer(gql)
    await asyncio.gather(
        *(
            record(gql, SERVICE, action="review.posted", memberId="ada", key=f"r{i % 6}")
            for i in range(12)  # six distinct reviews, each sent twice
        )
    )
    await asyncio.gather(drain(), drain())

    assert (await standing(gql))["level"] == 3
    assert [amount for _, amount in await badge_credits()] == [10, 30, 100]
    assert await MemberBadge.filter(member_id="ada").count() == 1


# --- awarded by hand, backfilled, redefined -------------------------------------------------------


async def test_a_hand_awarded_badge_brings_the_levels_already_met_and_no_other(gql, drain):
    await define(gql, "review.posted", 0, memberReportable=False)
    payload = await upsert(
        gql,
        {
            "key": "vip",
            "name": "VIP",
            "rewardPoints": 5,
            "levels": [level("VIP Silver", reviews(2), 20), level("VIP Gold", reviews(4), 50)],
        },
    )
    assert payload["errors"] == []
    await post_reviews(gql, "ada", range(2))  # meets silver, but holds no VIP yet
    await drain()
    assert shown(await standing(gql, key="vip"))[:2] == (
        0,
        {"level": 1, "name": "VIP", "rewardPoints": 5},
    )

    for _ in range(2):  # idempotent
        body = await gql(AWARD_BADGE, {"memberId": "ada", "badgeKey": "vip"}, as_=ADMIN)
        assert body["data"]["awardBadge"]["errors"] == []
    assert shown(await standing(gql, key="vip")) == (
        2,
        {"level": 3, "name": "VIP Gold", "rewardPoints": 50},
        [(4, 2)],
    )
    await post_reviews(gql, "ada", range(2, 4))
    await drain()
    assert (await standing(gql, key="vip"))["level"] == 3
    assert [amount for _, amount in await badge_credits()] == [5, 20, 50]


async def test_a_challenges_reward_badge_brings_the_levels_met_by_its_points(gql, drain):
    from tests.api.challenges.test_challenges import challenge

    await define(gql, "review.posted", 0, memberReportable=False)
    payload = await upsert(
        gql,
        {
            "key": "champion",
            "name": "Champion",
            "levels": [level("Champion Silver", [goal("POINTS_EARNED", 100)], 10)],
        },
    )
    assert payload["errors"] == []
    await challenge(gql, "sprint", goals=reviews(2), rewardPoints=100, rewardBadgeKey="champion")
    await post_reviews(gql, "ada", range(2))
    await drain()

    # The challenge's 100 points, then the badge, whose level the points already meet.
    assert shown(await standing(gql, key="champion"))[:2] == (2, None)
    assert await badge_credits() == [("badge:champion:level2:ada", 10)]


async def test_levels_added_later_reach_holders_at_their_next_interaction_or_by_backfill(
    gql, drain, runtime
):
    await define_reviewer(gql, levels=[])
    await post_reviews(gql, "ada", range(4))
    await post_reviews(gql, "grace", range(6))
    await drain()
    assert (await standing(gql))["level"] == 1
    assert shown(await standing(gql))[1] is None  # no level above

    await define_reviewer(gql)  # the levels appear: the program version moves on
    assert shown(await standing(gql)) == (
        1,
        {"level": 2, "name": "Silver reviewer", "rewardPoints": 30},
        [(3, 4)],
    )
    await post_reviews(gql, "ada", range(4, 5))  # ada's next review: silver (5 is gold too)
    await drain()
    assert (await standing(gql))["level"] == 3

    assert await badges.backfill(runtime, "reviewer") == 1  # grace, levels 2 and 3 at once
    assert await badges.backfill(runtime, "reviewer") == 0
    assert (await standing(gql, "grace"))["level"] == 3
    assert [amount for _, amount in await badge_credits("grace")] == [10, 30, 100]


async def test_removing_levels_never_takes_a_level_away(gql, drain):
    await define_reviewer(gql)
    await post_reviews(gql, "ada", range(3))
    await drain()
    assert (await standing(gql))["level"] == 2

    await define_reviewer(gql, levels=[])
    status = await standing(gql)
    assert shown(status) == (2, None, [(1, 3)])
    await define_reviewer(gql)  # back again: nothing is credited twice
    await post_reviews(gql, "ada", range(3, 4))
    await drain()
    assert [amount for _, amount in await badge_credits()] == [10, 30]


async def test_a_backfill_creates_the_badge_and_its_levels_in_one_go(gql, drain, runtime):
    await define(gql, "review.posted", 0, memberReportable=False)
    await post_reviews(gql, "ada", range(3))
    await drain()
    await badges.upsert_badge(
        "root",
        BadgeDefinition(
            "reviewer",
            "Bronze reviewer",
            "",
            None,
            False,
            (Goal(Metric.ACTION_COUNT, "review.posted", 1),),
            10,
            (
                BadgeLevelDefinition(
                    "Silver reviewer", (Goal(Metric.ACTION_COUNT, "review.posted", 3),), 30
                ),
            ),
        ),
    )
    assert await badges.backfill(runtime, "reviewer") == 1
    assert (await standing(gql))["level"] == 2
    assert [amount for _, amount in await badge_credits()] == [10, 30]


# --- reads -------------------------------------------------------------------------------------


async def test_the_progress_screen_reads_levels_in_a_constant_number_of_statements(gql, drain):
    await define_reviewer(gql)
    await post_reviews(gql, "ada", range(3))
    await drain()
    headers = {"cache-control": "no-store"}
    await gql(MY_BADGES, as_=member("ada"), headers=headers)  # definitions cached
    with counting() as few:
        await gql(MY_BADGES, as_=member("ada"), headers=headers)
    for index in range(6):
        await upsert(gql, {**REVIEWER, "key": f"reviewer.n{index}", "name": f"Reviewer {index}"})
    await gql(MY_BADGES, as_=member("ada"), headers=headers)
    with counting() as many:
        body = await gql(MY_BADGES, as_=member("ada"), headers=headers)
    assert len(body["data"]["me"]["badges"]) == 7
    assert len(many.statements) == len(few.statements)


async def test_a_members_export_shows_the_level_they_hold(gql, drain):
    await define_reviewer(gql)
    await post_reviews(gql, "ada", range(3))
    await drain()
    body = await gql('query { memberExport(memberId: "ada") { data } }', as_=ADMIN)
    assert "errors" not in body, body
    held = body["data"]["memberExport"]["data"]["badges"]
    assert [(b["badge"], b["level"]) for b in held] == [("reviewer", 2)]


async def test_each_level_rides_the_badge_earned_webhook_with_its_level(
    gql, drain, runtime, monkeypatch, receiver
):
    from tests.api.webhooks.common import allow_local_webhooks, create_endpoint, deliver

    allow_local_webhooks(monkeypatch, runtime)
    await create_endpoint(gql, receiver.url, ["BADGE_EARNED"])
    await define_reviewer(gql)
    await post_reviews(gql, "ada", range(3))
    await drain()  # the burst worker also runs the fan-out the commit woke
    await deliver(runtime)

    received = [r.document["data"] for r in receiver.of("BADGE_EARNED")]
    assert sorted(received, key=lambda data: data.get("level", 1)) == [
        {"memberId": "ada", "badgeKey": "reviewer"},
        {"memberId": "ada", "badgeKey": "reviewer", "level": 2},
    ]


async def test_the_demo_shows_a_levelled_badge_with_ada_at_silver(runtime, gql):
    from domain import demo

    await demo.load(runtime)

    ada = await standing(gql, "demo-ada")
    assert shown(ada) == (2, {"level": 3, "name": "Gold reviewer", "rewardPoints": 200}, [(10, 5)])
    grace = await standing(gql, "demo-grace")
    assert shown(grace)[:2] == (1, {"level": 2, "name": "Silver reviewer", "rewardPoints": 50})
