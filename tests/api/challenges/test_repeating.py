"""Repeating challenges over GraphQL: a fresh round each period of the program time zone.

A DAILY, WEEKLY or MONTHLY challenge opens a round each day, ISO week or month inside its own
window. Progress starts at 0 each round; a member completes each round at most once, and each
completion credits the reward points once (the ledger source names the round); the reward
badge is earned once, at the first completion. The member's status shows the current round,
and a cached answer ends with the round. The challenge's board is a board per round, served
in the period of the recurrence.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain import demo
from domain.models import Challenge, ChallengeParticipant, LedgerEntry, LedgerReason, MemberBadge
from domain.runtime import Runtime
from gamification.challenges import Recurrence, board_key
from gamification.leaderboards import RETENTION, BoardPeriod
from gamification.periods import Period, period_window
from tests.api.badges.test_badges import badge, goal
from tests.api.challenges.test_challenges import (
    BOARD,
    ENROLL,
    UPSERT_CHALLENGE,
    challenge,
    challenge_input,
    enroll,
    errors,
    moment,
    review,
    upsert,
)
from tests.api.read_cache.common import Clock, data, lookups, read
from tests.api.webhooks.common import allow_local_webhooks, create_endpoint, deliver
from tests.conftest import ADMIN, member

STATUS = """
{ me { challenges { challenge { key recurrence completions }
  enrolled progress { current completed } completed completedAt } } }
"""


def midnight(runtime: Runtime) -> datetime:
    """The start of today in the program time zone."""
    today = period_window(Period.DAY, datetime.now(runtime.settings.tz), runtime.settings.tz)
    assert today.start is not None
    return today.start


async def status(client, settings) -> tuple[dict, bool]:
    """ada's challenges as her app reads them, and whether the read cache answered."""
    hits = lookups("hit")
    body = data(await read(client, settings, "ada", STATUS))
    [only] = body["me"]["challenges"]
    return only, lookups("hit") > hits


async def test_a_daily_challenge_starts_from_zero_each_day_and_rewards_each_round(
    gql, drain, client, settings, runtime, clock: Clock
):
    today = midnight(runtime)
    yesterday, before = today - timedelta(days=1), today - timedelta(days=2)
    await badge(gql, "regular")
    created = await challenge(
        gql,
        "daily.reviews",
        starts=today - timedelta(days=3),
        ends=today + timedelta(days=7),
        goals=[goal("ACTION_COUNT", 2, "review.posted")],
        recurrence="DAILY",
        rewardPoints=30,
        rewardBadgeKey="regular",
    )
    assert created["recurrence"] == "DAILY" and created["hidden"] is False
    # The day before yesterday: two reviews complete that day's round.
    await review(gql, "ada", "k1", before + timedelta(hours=9))
    await review(gql, "ada", "k2", before + timedelta(hours=10))
    await review(gql, "ada", "k3", before + timedelta(hours=11))  # that round is done: nothing
    await drain()
    clock.now = yesterday - timedelta(seconds=1)
    shown, _ = await status(client, settings)
    assert shown["completed"] is True
    assert shown["progress"] == [{"current": 2, "completed": True}]
    shown, cached = await status(client, settings)
    assert cached
    # Midnight: a fresh round, from zero; the cached answer ended with the round.
    clock.now = yesterday
    shown, cached = await status(client, settings)
    assert not cached
    assert shown == {
        "challenge": {"key": "daily.reviews", "recurrence": "DAILY", "completions": 1},
        "enrolled": False,
        "progress": [{"current": 0, "completed": False}],
        "completed": False,
        "completedAt": None,
    }
    await review(gql, "ada", "k4", yesterday + timedelta(hours=9))
    await drain()
    clock.now = yesterday + timedelta(hours=12)
    shown, _ = await status(client, settings)
    assert shown["progress"] == [{"current": 1, "completed": False}] and not shown["completed"]
    await review(gql, "ada", "k5", yesterday + timedelta(hours=13))
    await drain()
    shown, _ = await status(client, settings)
    assert shown["completed"] and shown["challenge"]["completions"] == 2
    # Each round rewarded once, under its own source; the badge earned once.
    rewards = await LedgerEntry.filter(member_id="ada", reason=LedgerReason.CHALLENGE).values_list(
        "source_key", "amount"
    )
    assert sorted(rewards) == [
        (f"challenge:daily.reviews:{before.date().isoformat()}:ada", 30),
        (f"challenge:daily.reviews:{yesterday.date().isoformat()}:ada", 30),
    ]
    assert await MemberBadge.filter(member_id="ada", badge_id="regular").count() == 1
    stored = await Challenge.get(key="daily.reviews")
    assert (stored.participants, stored.completions) == (1, 2)
    # The board of the round running at the read clock: yesterday's.
    body = await gql(BOARD, {"board": "challenge:daily.reviews", "period": "DAILY"}, as_=ADMIN)
    board = body["data"]["leaderboard"]
    assert board["size"] == 1 and board["entries"]["edges"][0]["node"]["score"] == 2
    # Redis lets a round's board go as it lets any closed day's (the database keeps it).
    stored = board_key("daily.reviews", Recurrence.DAILY, yesterday.date().isoformat())
    scores = stored.in_namespace(runtime.settings.redis_namespace).scores
    assert 0 < await runtime.redis.ttl(scores) <= RETENTION[BoardPeriod.DAILY].total_seconds()
    body = await gql(BOARD, {"board": "challenge:daily.reviews", "period": "ALL_TIME"}, as_=ADMIN)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    # Once the window has closed, the member sees the last round they took part in.
    clock.now = today + timedelta(days=8)
    shown, _ = await status(client, settings)
    assert shown["completed"] and shown["progress"] == [{"current": 2, "completed": True}]


async def test_enrolling_in_a_repeating_challenge_holds_for_every_round(gql, drain, runtime):
    await challenge(
        gql,
        "weekly.quest",
        starts=moment(days=-30),
        ends=moment(days=30),
        goals=[goal("ACTION_COUNT", 3, "review.posted")],
        recurrence="WEEKLY",
        requiresEnrollment=True,
    )
    await review(gql, "ada", "before", moment(days=-8))  # before enrolling: does not count
    await drain()
    assert await ChallengeParticipant.filter(member_id="ada").count() == 0
    enrolled = await enroll(gql, "ada", "weekly.quest")
    assert enrolled["errors"] == []
    assert enrolled["progress"]["enrolled"] is True
    assert enrolled["progress"]["progress"][0]["current"] == 0
    await review(gql, "ada", "now")  # recorded now: after enrolling
    await drain()
    body = await gql(ENROLL, {"key": "weekly.quest"}, as_=member("ada"))
    again = body["data"]["enrollInChallenge"]
    assert errors(again) == [("ALREADY_ENROLLED", ["challengeKey"])]
    assert again["progress"]["progress"][0]["current"] == 1
    # One series row (enrolment and place) and one row for this week's round.
    rows = await ChallengeParticipant.filter(member_id="ada").order_by("round_key")
    week = period_window(Period.WEEK, moment(), runtime.settings.tz).key
    assert [(row.round_key, row.score) for row in rows] == [("", 0), (week, 1)]
    assert rows[0].enrolled_at is not None and rows[1].completed_at is None


async def test_the_recurrence_of_a_started_challenge_cannot_change(gql):
    starts = moment(hours=-1)
    await challenge(gql, "weekly.quest", starts=starts, recurrence="WEEKLY")
    payload = await upsert(gql, "weekly.quest", starts=starts, recurrence="DAILY")
    assert errors(payload) == [("INVALID_INPUT", ["input", "recurrence"])]
    # A scheduled one may still change, and without a recurrence a challenge does not repeat.
    created = await challenge(gql, "later", starts=moment(days=2), recurrence="MONTHLY")
    assert created["recurrence"] == "MONTHLY"
    changed = await challenge(gql, "later", starts=moment(days=2))
    assert changed["recurrence"] == "NONE"


async def test_an_unknown_recurrence_is_refused_before_anything_runs(gql):
    variables = {"input": challenge_input("odd", recurrence="HOURLY")}
    body = await gql(UPSERT_CHALLENGE, variables, as_=ADMIN)
    assert body["errors"] and await Challenge.all().count() == 0


async def test_the_demo_runs_a_weekly_quest(runtime, gql):
    summary = await demo.load(runtime)
    assert "a weekly quest (weekly.reviews)" in summary
    body = await gql("{ challenges { key recurrence completions } }")
    assert {"key": "weekly.reviews", "recurrence": "WEEKLY"} in [
        {"key": c["key"], "recurrence": c["recurrence"]} for c in body["data"]["challenges"]
    ]
    # Progress was counted in past weeks' rounds, each from zero.
    rounds = await ChallengeParticipant.filter(challenge_id="weekly.reviews").exclude(round_key="")
    assert len({row.round_key for row in rounds}) >= 2


async def test_a_completed_round_is_named_in_its_webhook(
    gql, drain, runtime, receiver, monkeypatch
):
    allow_local_webhooks(monkeypatch, runtime)
    await create_endpoint(gql, receiver.url, ["CHALLENGE_COMPLETED"])
    await challenge(
        gql,
        "monthly.review",
        starts=moment(days=-40),
        goals=[goal("ACTION_COUNT", 1, "review.posted")],
        recurrence="MONTHLY",
    )
    await review(gql, "ada", "k1")
    await drain()
    await deliver(runtime)
    month = period_window(Period.MONTH, moment(), runtime.settings.tz).key
    assert [r.document["data"] for r in receiver.received] == [
        {"memberId": "ada", "challengeKey": "monthly.review", "round": month}
    ]
