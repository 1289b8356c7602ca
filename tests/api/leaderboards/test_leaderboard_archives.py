"""Archives of closed leaderboard periods: stored once at the period's end (the clock is
injected, never slept on), even with workers racing, and read most recent first."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from domain import pipeline
from domain.leaderboards import archives as leaderboard_archives
from domain.models import LeaderboardArchive, LeaderboardScore
from gamification.leaderboards import BoardPeriod, board_window
from tests.api.rewards.test_rewards import earn
from tests.conftest import SERVICE
from tests.helpers import RECORD, define

ARCHIVES = """
query Archives($period: LeaderboardPeriod!, $last: Int) {
  leaderboardArchives(board: "points", period: $period, last: $last) {
    board period periodStart periodEnd
    entries { rank score member { id } }
  }
}
"""


async def archive(runtime, now: datetime, depth: int = 100) -> int:
    return await leaderboard_archives.archive_closed(now, runtime.settings.tz, depth)


async def test_nothing_is_archived_while_the_period_is_open(gql, drain, runtime):
    await earn(gql, drain, "ada", 30)
    assert await archive(runtime, datetime.now(UTC)) == 0
    assert (await gql(ARCHIVES, {"period": "DAILY"}))["data"]["leaderboardArchives"] == []


async def test_each_closed_period_is_archived_once_with_its_final_standings(gql, drain, runtime):
    await earn(gql, drain, "ada", 30)
    await earn(gql, drain, "bob", 50, key="g2")
    await earn(gql, drain, "cy", 10, key="g3")
    later = datetime.now(UTC) + timedelta(days=40)  # today, this week and month have closed

    assert await archive(runtime, later, depth=2) == 3  # DAILY, WEEKLY and MONTHLY
    assert await archive(runtime, later, depth=2) == 0  # once

    daily = (await gql(ARCHIVES, {"period": "DAILY"}))["data"]["leaderboardArchives"]
    [day] = daily
    assert day["board"] == "points" and day["period"] == "DAILY"
    start, end = (
        datetime.fromisoformat(day["periodStart"]),
        datetime.fromisoformat(day["periodEnd"]),
    )
    assert end - start == timedelta(days=1) and start <= datetime.now(UTC) < end
    assert [(e["rank"], e["member"]["id"], e["score"]) for e in day["entries"]] == [
        (1, "bob", 50),
        (2, "ada", 30),
    ]
    assert (await gql(ARCHIVES, {"period": "ALL_TIME"}))["data"]["leaderboardArchives"] == []


async def test_two_workers_racing_store_one_archive_per_period(gql, drain, runtime):
    await earn(gql, drain, "ada", 30)
    later = datetime.now(UTC) + timedelta(days=40)
    stored = await asyncio.gather(archive(runtime, later), archive(runtime, later))
    assert sum(stored) == 3
    assert await LeaderboardArchive.all().count() == 3


async def record_at(gql, runtime, key: str, member: str, occurred: datetime) -> None:
    """Record a backdated interaction and award it as a worker would have at the time."""
    body = await gql(
        RECORD,
        {
            "input": {
                "action": "grant.p5",
                "idempotencyKey": key,
                "memberId": member,
                "occurredAt": occurred.isoformat(),
            }
        },
        as_=SERVICE,
    )
    assert body["data"]["recordInteraction"]["errors"] == []
    interaction_id = int(body["data"]["recordInteraction"]["interaction"]["id"])
    credited = occurred + timedelta(seconds=1)
    assert await pipeline.process_ids(runtime, [interaction_id], clock=lambda: credited) == 1


async def test_archives_are_listed_most_recent_first(gql, runtime):
    await define(gql, "grant.p5", 5, memberReportable=False)
    now = datetime.now(UTC)
    for days, key in ((3, "old"), (2, "newer")):
        await record_at(gql, runtime, key, "ada", now - timedelta(days=days))
    assert await archive(runtime, now) >= 2
    daily = (await gql(ARCHIVES, {"period": "DAILY", "last": 5}))["data"]["leaderboardArchives"]
    ends = [datetime.fromisoformat(a["periodEnd"]) for a in daily]
    assert len(ends) >= 2 and ends == sorted(ends, reverse=True)
    last = (await gql(ARCHIVES, {"period": "DAILY"}))["data"]["leaderboardArchives"]
    assert len(last) == 1 and last[0]["periodEnd"] == daily[0]["periodEnd"]


DAILY_BOARD = """
{ leaderboard(period: DAILY) { periodStart entries { edges { node { score member { id } } } } } }
"""


async def test_a_credit_for_a_closed_period_lands_in_the_current_one(gql, drain, runtime):
    """A late interaction counts today: the day it occurred has closed and its archive is
    final, so the boards and the ledger agree with what was archived."""
    await define(gql, "grant.p5", 5, memberReportable=False)
    now = datetime.now(UTC)
    await record_at(gql, runtime, "on-time", "bob", now - timedelta(days=3))
    assert await archive(runtime, now) >= 1
    before = (await gql(ARCHIVES, {"period": "DAILY"}))["data"]["leaderboardArchives"]

    body = await gql(
        RECORD,
        {
            "input": {
                "action": "grant.p5",
                "idempotencyKey": "late",
                "memberId": "ada",
                "occurredAt": (now - timedelta(days=3)).isoformat(),
            }
        },
        as_=SERVICE,
    )
    assert body["data"]["recordInteraction"]["errors"] == []
    await drain()

    board = (await gql(DAILY_BOARD))["data"]["leaderboard"]
    assert datetime.fromisoformat(board["periodStart"]) <= datetime.now(UTC)
    assert [(e["node"]["member"]["id"], e["node"]["score"]) for e in board["entries"]["edges"]] == [
        ("ada", 5)
    ]
    assert (await gql(ARCHIVES, {"period": "DAILY"}))["data"]["leaderboardArchives"] == before
    assert await archive(runtime, now) == 0  # the closed day did not change, nothing new
    rows = await LeaderboardScore.filter(member_id="ada", board="points").values_list(
        "period", "period_key", "score"
    )
    today = board_window(BoardPeriod.DAILY, datetime.now(UTC), runtime.settings.tz).key
    assert ("DAILY", today, 5) in rows
    assert all(period_key >= today or period != "DAILY" for period, period_key, _ in rows)
