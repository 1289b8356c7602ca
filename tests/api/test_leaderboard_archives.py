"""Archives of closed leaderboard periods: stored once at the period's end (the clock is
injected, never slept on), even with workers racing, and read most recent first."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from domain import leaderboard_archives
from domain.models import LeaderboardArchive
from tests.api.test_rewards import earn

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


async def test_archives_are_listed_most_recent_first(gql, drain, runtime):
    from tests.conftest import SERVICE
    from tests.helpers import RECORD, ago, define

    await define(gql, "grant.p5", 5, memberReportable=False)
    for days, key in ((3, "old"), (2, "newer")):
        body = await gql(
            RECORD,
            {
                "input": {
                    "action": "grant.p5",
                    "idempotencyKey": key,
                    "memberId": "ada",
                    "occurredAt": ago(days=days),
                }
            },
            as_=SERVICE,
        )
        assert body["data"]["recordInteraction"]["errors"] == []
    await drain()
    assert await archive(runtime, datetime.now(UTC)) >= 2
    daily = (await gql(ARCHIVES, {"period": "DAILY", "last": 5}))["data"]["leaderboardArchives"]
    ends = [datetime.fromisoformat(a["periodEnd"]) for a in daily]
    assert len(ends) >= 2 and ends == sorted(ends, reverse=True)
    last = (await gql(ARCHIVES, {"period": "DAILY"}))["data"]["leaderboardArchives"]
    assert len(last) == 1 and last[0]["periodEnd"] == daily[0]["periodEnd"]
