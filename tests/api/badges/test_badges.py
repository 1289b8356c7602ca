"""Badges over GraphQL: defined by admins, earned once (by goals, by hand), secret until earned,
and whole-history progress for every metric."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from domain.interactions import record as interactions
from domain.models import AuditRecord, Badge, Interaction, LedgerEntry, LedgerReason, MemberBadge
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import codes, define, define_goal_actions, record

UPSERT_BADGE = """
mutation Upsert($input: UpsertBadgeInput!) {
  upsertBadge(input: $input) {
    badge { key name description imageUrl secret goals { metric action target } rewardPoints }
    errors { code message field }
  }
}
"""

AWARD_BADGE = """
mutation Award($memberId: ID!, $badgeKey: String!) {
  awardBadge(memberId: $memberId, badgeKey: $badgeKey) {
    badge { key rewardPoints }
    errors { code message field }
  }
}
"""

BADGES = "{ badges { key secret } }"

MY_BADGES = """
{ me { points { balance lifetime }
       badges { badge { key secret } earned earnedAt
                progress { goal { metric action target } current completed } } } }
"""

UPSERT_CHALLENGE = """
mutation Upsert($input: UpsertChallengeInput!) {
  upsertChallenge(input: $input) { challenge { key } errors { code message field } }
}
"""


def goal(metric: str, target: int, action: str | None = None) -> dict:
    return {"metric": metric, "action": action, "target": target}


async def badge(gql, key: str, goals: list[dict] | None = None, **extra) -> dict:
    await define_goal_actions(gql, goals)
    variables = {"input": {"key": key, "name": key.title(), "goals": goals or [], **extra}}
    body = await gql(UPSERT_BADGE, variables, as_=ADMIN)
    payload = body["data"]["upsertBadge"]
    assert payload["errors"] == [], payload
    return payload["badge"]


async def my_badges(gql, who: str = "ada") -> list[dict]:
    body = await gql(MY_BADGES, as_=member(who))
    assert "errors" not in body, body
    return body["data"]["me"]["badges"]


def by_key(statuses: list[dict]) -> dict[str, dict]:
    return {status["badge"]["key"]: status for status in statuses}


def currents(status: dict) -> list[int]:
    return [p["current"] for p in status["progress"]]


def day(days_ago: int, hour: int = 12) -> str:
    """A moment `days_ago` days before today (UTC, the test program's zone), at `hour`."""
    today = datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return (today - timedelta(days=days_ago)).isoformat()


async def act(gql, who: str, action: str, key: str, occurred_at: str | None = None) -> None:
    extra = {"occurredAt": occurred_at} if occurred_at else {}
    await record(gql, SERVICE, action=action, memberId=who, key=key, **extra)


# --- definitions and visibility -----------------------------------------------------------------


async def test_an_admin_defines_a_badge_and_everybody_reads_the_catalog(gql):
    created = await badge(
        gql,
        "critic",
        [goal("ACTION_COUNT", 3, "review.posted")],
        description="Three reviews",
        imageUrl="https://cdn.example.com/critic.png",
        rewardPoints=25,
    )
    assert created == {
        "key": "critic",
        "name": "Critic",
        "description": "Three reviews",
        "imageUrl": "https://cdn.example.com/critic.png",
        "secret": False,
        "goals": [{"metric": "ACTION_COUNT", "action": "review.posted", "target": 3}],
        "rewardPoints": 25,
    }
    assert await AuditRecord.filter(target="badge:critic", operation="upsertBadge").count() == 1
    renamed = await badge(gql, "critic", [goal("ACTION_COUNT", 3, "review.posted")], name="Crit")
    assert renamed["name"] == "Crit" and renamed["description"] == ""
    for who in (member("ada"), ADMIN, None):
        body = await gql(BADGES, as_=who)
        assert body["data"]["badges"] == [{"key": "critic", "secret": False}]


async def test_secret_badges_are_hidden_from_members_until_they_earn_them(gql, drain):
    await define(gql, "app.open", 10, memberReportable=False)
    await badge(gql, "night.owl", [goal("ACTION_COUNT", 1, "app.open")], secret=True)
    await badge(gql, "regular", [goal("ACTIVE_DAYS", 5)])

    assert [b["key"] for b in (await gql(BADGES, as_=member("ada")))["data"]["badges"]] == [
        "regular"
    ]
    assert [b["key"] for b in (await gql(BADGES))["data"]["badges"]] == ["regular"]
    admin_view = (await gql(BADGES, as_=ADMIN))["data"]["badges"]
    assert sorted(b["key"] for b in admin_view) == ["night.owl", "regular"]
    # Not even its progress shows before it is earned.
    assert [s["badge"]["key"] for s in await my_badges(gql)] == ["regular"]

    await act(gql, "ada", "app.open", "o1")
    await drain()

    mine = await my_badges(gql)
    assert [(s["badge"]["key"], s["earned"]) for s in mine] == [
        ("night.owl", True),
        ("regular", False),
    ]
    assert mine[0]["badge"]["secret"] is True and mine[0]["earnedAt"] is not None
    ada_view = (await gql(BADGES, as_=member("ada")))["data"]["badges"]
    assert sorted(b["key"] for b in ada_view) == ["night.owl", "regular"]
    # Another member still sees nothing of it.
    assert [s["badge"]["key"] for s in await my_badges(gql, "grace")] == ["regular"]
    grace_view = (await gql(BADGES, as_=member("grace")))["data"]["badges"]
    assert [b["key"] for b in grace_view] == ["regular"]


async def test_earned_badges_come_first_newest_first_then_the_rest_by_name(gql, drain):
    await define(gql, "app.open", 10, memberReportable=False)
    await badge(gql, "zeta", [goal("ACTION_COUNT", 1, "app.open")])
    await badge(gql, "alpha", [goal("ACTION_COUNT", 99, "app.open")])
    await badge(gql, "beta")
    await badge(gql, "gamma", [goal("ACTION_COUNT", 2, "app.open")])
    await act(gql, "ada", "app.open", "o1")
    await drain()
    await act(gql, "ada", "app.open", "o2")
    await drain()

    mine = await my_badges(gql)
    assert [(s["badge"]["key"], s["earned"]) for s in mine] == [
        ("gamma", True),  # earned last
        ("zeta", True),
        ("alpha", False),
        ("beta", False),  # no goals: only awarded by hand or by a challenge
    ]
    assert mine[0]["earnedAt"] > mine[1]["earnedAt"]
    assert mine[2]["earnedAt"] is None
    assert mine[3]["progress"] == []


# --- every metric -------------------------------------------------------------------------------


async def test_action_count_counts_awarded_interactions_only(gql, drain):
    await define(
        gql, "review.posted", 10, memberReportable=False, limits=[{"period": "DAY", "max": 2}]
    )
    await badge(gql, "critic", [goal("ACTION_COUNT", 3, "review.posted")])
    for index in range(3):  # the third the same day is CAPPED
        await act(gql, "ada", "review.posted", f"r{index}", day(1, 9 + index))
    await drain()

    critic = by_key(await my_badges(gql))["critic"]
    assert critic["earned"] is False
    assert critic["progress"] == [
        {
            "goal": {"metric": "ACTION_COUNT", "action": "review.posted", "target": 3},
            "current": 2,
            "completed": False,
        }
    ]
    await act(gql, "ada", "review.posted", "r3", day(2))
    await drain()

    critic = by_key(await my_badges(gql))["critic"]
    assert critic["earned"] is True
    assert critic["progress"][0]["current"] == 3 and critic["progress"][0]["completed"] is True


async def test_active_days_count_calendar_days_with_and_without_an_action(gql, drain):
    await define(gql, "app.open", 1, memberReportable=False)
    await define(gql, "review.posted", 1, memberReportable=False)
    await badge(gql, "regular", [goal("ACTIVE_DAYS", 3)])
    await badge(gql, "reviewer.days", [goal("ACTIVE_DAYS", 2, "review.posted")])
    await act(gql, "ada", "app.open", "o1", day(5, 8))
    await act(gql, "ada", "app.open", "o2", day(5, 20))  # the same day again
    await act(gql, "ada", "review.posted", "r1", day(3))
    await drain()

    mine = by_key(await my_badges(gql))
    assert currents(mine["regular"]) == [2]
    assert currents(mine["reviewer.days"]) == [1]

    await act(gql, "ada", "review.posted", "r2", day(1))
    await drain()

    mine = by_key(await my_badges(gql))
    assert (currents(mine["regular"]), mine["regular"]["earned"]) == ([3], True)
    assert (currents(mine["reviewer.days"]), mine["reviewer.days"]["earned"]) == ([2], True)


async def test_streak_days_count_the_longest_run_with_and_without_an_action(gql, drain):
    await define(gql, "app.open", 1, memberReportable=False)
    await define(gql, "review.posted", 1, memberReportable=False)
    await badge(gql, "three.in.a.row", [goal("STREAK_DAYS", 3)])
    await badge(gql, "review.streak", [goal("STREAK_DAYS", 2, "review.posted")])
    await act(gql, "ada", "app.open", "o1", day(6))
    await act(gql, "ada", "app.open", "o2", day(5))
    await act(gql, "ada", "review.posted", "r1", day(4))
    await act(gql, "ada", "review.posted", "r2", day(2))  # a gap: the review run restarts
    await drain()

    mine = by_key(await my_badges(gql))
    assert (currents(mine["three.in.a.row"]), mine["three.in.a.row"]["earned"]) == ([3], True)
    assert (currents(mine["review.streak"]), mine["review.streak"]["earned"]) == ([1], False)

    await act(gql, "ada", "review.posted", "r3", day(3))  # backdated: fills the gap
    await drain()

    mine = by_key(await my_badges(gql))
    assert (currents(mine["review.streak"]), mine["review.streak"]["earned"]) == ([3], True)
    assert currents(mine["three.in.a.row"]) == [5]


async def test_points_earned_counts_every_credit_including_badge_and_challenge_rewards(gql, drain):
    await define(gql, "app.open", 10, memberReportable=False)
    await badge(gql, "first.open", [goal("ACTION_COUNT", 1, "app.open")], rewardPoints=40)
    await badge(gql, "hundred", [goal("POINTS_EARNED", 100)], rewardPoints=5)
    now = datetime.now(UTC)
    body = await gql(
        UPSERT_CHALLENGE,
        {
            "input": {
                "key": "opener",
                "name": "Opener",
                "startsAt": (now - timedelta(hours=1)).isoformat(),
                "endsAt": (now + timedelta(days=1)).isoformat(),
                "goals": [goal("ACTION_COUNT", 1, "app.open")],
                "rewardPoints": 50,
            }
        },
        as_=ADMIN,
    )
    assert body["data"]["upsertChallenge"]["errors"] == []

    await act(gql, "ada", "app.open", "o1")
    await drain()

    entries = await LedgerEntry.filter(member_id="ada").order_by("id")
    assert [(e.reason, e.amount) for e in entries] == [
        (LedgerReason.ACTION, 10),
        (LedgerReason.CHALLENGE, 50),
        (LedgerReason.BADGE, 40),
        (LedgerReason.BADGE, 5),  # 10 + 50 + 40 = 100 points earned
    ]
    mine = by_key(await my_badges(gql))
    assert mine["hundred"]["earned"] is True
    assert currents(mine["hundred"]) == [105]  # the member's lifetime points, as shown


async def test_referrals_and_approved_content_stay_at_zero(gql, drain):
    await define(gql, "app.open", 10, memberReportable=False)
    await badge(gql, "ambassador", [goal("REFERRALS_CONVERTED", 1)])
    await badge(gql, "author", [goal("CONTENT_APPROVED", 1)])
    for index in range(3):
        await act(gql, "ada", "app.open", f"o{index}")
    await drain()

    mine = by_key(await my_badges(gql))
    for key, metric in (("ambassador", "REFERRALS_CONVERTED"), ("author", "CONTENT_APPROVED")):
        assert mine[key]["earned"] is False
        assert mine[key]["progress"] == [
            {"goal": {"metric": metric, "action": None, "target": 1}, "current": 0,
             "completed": False}
        ]  # fmt: skip
    assert await MemberBadge.all().count() == 0


# --- earned once --------------------------------------------------------------------------------


async def test_a_badge_is_earned_once_under_replays(gql, drain, runtime):
    await define(gql, "app.open", 10, memberReportable=False)
    await badge(gql, "opener", [goal("ACTION_COUNT", 1, "app.open")], rewardPoints=30)
    await act(gql, "ada", "app.open", "o1")
    await act(gql, "ada", "app.open", "o1")  # the same idempotency key
    await drain()
    for interaction_id in await Interaction.all().values_list("id", flat=True):
        # The worker task delivered again (arq delivers at least once).
        await interactions.process_interaction(runtime, int(str(interaction_id)))
        await interactions.process_interaction(runtime, int(str(interaction_id)))
    await act(gql, "ada", "app.open", "o2")
    await drain()

    assert await MemberBadge.filter(member_id="ada", badge_id="opener").count() == 1
    assert await LedgerEntry.filter(member_id="ada", reason=LedgerReason.BADGE).count() == 1
    mine = await my_badges(gql)
    assert [(s["badge"]["key"], s["earned"]) for s in mine] == [("opener", True)]


async def test_a_badge_is_earned_once_under_concurrent_interactions(gql, drain):
    await define(gql, "app.open", 10, memberReportable=False)
    await badge(gql, "busy", [goal("ACTION_COUNT", 3, "app.open")], rewardPoints=30)
    await asyncio.gather(*(act(gql, "ada", "app.open", f"o{i}") for i in range(12)))
    await asyncio.gather(drain(), drain())

    assert await Interaction.filter(status="AWARDED").count() == 12
    assert await MemberBadge.filter(member_id="ada").count() == 1
    badge_credits = await LedgerEntry.filter(member_id="ada", reason=LedgerReason.BADGE).count()
    assert badge_credits == 1
    status = by_key(await my_badges(gql))["busy"]
    assert status["earned"] is True and currents(status) == [12]


async def test_award_badge_by_hand_is_idempotent_and_credits_its_points_once(gql):
    await badge(gql, "vip", rewardPoints=100, secret=True)
    await gql("{ me { id } }", as_=member("ada"))  # ada exists

    first = await gql(AWARD_BADGE, {"memberId": "ada", "badgeKey": "vip"}, as_=ADMIN)
    again = await gql(AWARD_BADGE, {"memberId": "ada", "badgeKey": "vip"}, as_=ADMIN)

    for body in (first, again):
        assert body["data"]["awardBadge"] == {
            "badge": {"key": "vip", "rewardPoints": 100},
            "errors": [],
        }
    entries = await LedgerEntry.filter(member_id="ada").values_list("reason", "amount")
    assert entries == [(LedgerReason.BADGE, 100)]
    held = await MemberBadge.get(member_id="ada", badge_id="vip")
    assert held.source == "admin:root"
    assert await AuditRecord.filter(operation="awardBadge").count() == 1
    me = (await gql(MY_BADGES, as_=member("ada")))["data"]["me"]
    assert me["points"] == {"balance": 100, "lifetime": 100}
    assert [(s["badge"]["key"], s["earned"]) for s in me["badges"]] == [("vip", True)]


async def test_award_badge_to_an_unknown_member_or_of_an_unknown_badge_is_not_found(gql):
    await badge(gql, "vip")
    await gql("{ me { id } }", as_=member("ada"))

    nobody = await gql(AWARD_BADGE, {"memberId": "ghost", "badgeKey": "vip"}, as_=ADMIN)
    nothing = await gql(AWARD_BADGE, {"memberId": "ada", "badgeKey": "nope"}, as_=ADMIN)

    assert nobody["data"]["awardBadge"]["badge"] is None
    assert [(e["code"], e["field"]) for e in nobody["data"]["awardBadge"]["errors"]] == [
        ("NOT_FOUND", ["memberId"])
    ]
    assert [(e["code"], e["field"]) for e in nothing["data"]["awardBadge"]["errors"]] == [
        ("NOT_FOUND", ["badgeKey"])
    ]
    assert await MemberBadge.all().count() == 0
    assert await LedgerEntry.all().count() == 0


async def test_changing_goals_never_takes_a_badge_away_and_new_holders_earn_it_next_time(
    gql, drain
):
    await define(gql, "app.open", 10, memberReportable=False)
    await badge(gql, "opener", [goal("ACTION_COUNT", 1, "app.open")])
    await act(gql, "ada", "app.open", "a1")
    await drain()
    assert by_key(await my_badges(gql))["opener"]["earned"] is True

    await badge(gql, "opener", [goal("ACTION_COUNT", 5, "app.open")])
    await badge(gql, "explorer", [goal("ACTIVE_DAYS", 9)])
    for index in range(2):
        await act(gql, "grace", "app.open", f"g{index}", day(index + 1))
    await drain()

    kept = by_key(await my_badges(gql))["opener"]
    assert kept["earned"] is True
    assert kept["progress"] == [
        {"goal": {"metric": "ACTION_COUNT", "action": "app.open", "target": 5}, "current": 1,
         "completed": False}
    ]  # fmt: skip
    assert by_key(await my_badges(gql, "grace"))["explorer"]["earned"] is False

    await badge(gql, "explorer", [goal("ACTIVE_DAYS", 2)])  # grace meets it now...
    assert by_key(await my_badges(gql, "grace"))["explorer"]["earned"] is False
    await act(gql, "grace", "app.open", "g9", day(1, 18))  # ...and earns it at her next one
    await drain()

    assert by_key(await my_badges(gql, "grace"))["explorer"]["earned"] is True
    assert await MemberBadge.filter(badge_id="opener").count() == 1


# --- validation and authorization ---------------------------------------------------------------


async def test_invalid_badges_are_user_errors_with_field_paths_and_change_nothing(gql):
    await badge(gql, "critic", [goal("ACTION_COUNT", 3, "review.posted")], rewardPoints=5)
    cases = [
        ({"key": "Not A Key"}, ["input", "key"]),
        ({"name": " "}, ["input", "name"]),
        ({"imageUrl": "ftp://example.com/x.png"}, ["input", "imageUrl"]),
        ({"rewardPoints": -1}, ["input", "rewardPoints"]),
        ({"goals": [goal("ACTION_COUNT", 0, "review.posted")]}, ["input", "goals", "0", "target"]),
        ({"goals": [goal("ACTION_COUNT", 3)]}, ["input", "goals", "0", "action"]),
        ({"goals": [goal("POINTS_EARNED", 3, "review.posted")]}, ["input", "goals", "0", "action"]),
        (
            {"goals": [goal("ACTIVE_DAYS", 3), goal("ACTIVE_DAYS", 4)]},
            ["input", "goals", "1"],
        ),
    ]
    for change, field in cases:
        variables = {
            "input": {"key": "critic", "name": "Changed", "rewardPoints": 7, "goals": [], **change}
        }
        body = await gql(UPSERT_BADGE, variables, as_=ADMIN)
        payload = body["data"]["upsertBadge"]
        assert payload["badge"] is None, change
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID_INPUT", field)]
    stored = await Badge.get(key="critic")
    assert (stored.name, stored.reward_points) == ("Critic", 5)
    assert await Badge.all().count() == 1
    assert await AuditRecord.filter(operation="upsertBadge").count() == 1


async def test_badge_mutations_need_an_admin_token(gql):
    await badge(gql, "vip")
    upsert = {"input": {"key": "mine", "name": "Mine"}}
    award = {"memberId": "ada", "badgeKey": "vip"}
    for document, variables in ((UPSERT_BADGE, upsert), (AWARD_BADGE, award)):
        assert codes(await gql(document, variables, as_=member("ada"))) == ["FORBIDDEN"]
        assert codes(await gql(document, variables, as_=SERVICE)) == ["FORBIDDEN"]
        assert codes(await gql(document, variables)) == ["UNAUTHENTICATED"]
    assert await Badge.all().count() == 1
    assert await MemberBadge.all().count() == 0
