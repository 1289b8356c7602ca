"""The leaderboards a front-end can discover and place: `boards`, the current period's bounds,
and one member's `entry` (part of the leaderboards contract, issue 10)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.api.challenges.test_challenges import challenge
from tests.api.rewards.test_rewards import earn
from tests.conftest import member

BOARDS = "query { boards { board name periods } }"
BOUNDS = """
query Bounds($period: LeaderboardPeriod!) {
  leaderboard(board: "points", period: $period) { periodStart periodEnd }
}
"""
ENTRY = """
query Entry($memberId: ID) {
  leaderboard(board: "points", period: ALL_TIME) {
    entry(memberId: $memberId) { rank score member { id } }
  }
}
"""
ALL = ["DAILY", "WEEKLY", "MONTHLY", "ALL_TIME"]


async def test_boards_lists_the_built_in_boards_and_each_challenge(gql):
    await challenge(gql, "sprint")
    boards = (await gql(BOARDS))["data"]["boards"]
    assert boards == [
        {"board": "points", "name": "Points", "periods": ALL},
        {"board": "referrals", "name": "Referrals", "periods": ALL},
        {"board": "content", "name": "Content", "periods": ALL},
        {"board": "challenge:sprint", "name": "Sprint", "periods": ["ALL_TIME"]},
    ]


async def test_a_weekly_board_runs_from_monday_to_monday_and_all_time_has_no_bounds(gql):
    weekly = (await gql(BOUNDS, {"period": "WEEKLY"}))["data"]["leaderboard"]
    start = datetime.fromisoformat(weekly["periodStart"])
    end = datetime.fromisoformat(weekly["periodEnd"])
    assert start.weekday() == 0 and (start.hour, start.minute) == (0, 0)
    assert end - start == timedelta(days=7)
    assert start <= datetime.now(start.tzinfo) < end
    forever = (await gql(BOUNDS, {"period": "ALL_TIME"}))["data"]["leaderboard"]
    assert forever == {"periodStart": None, "periodEnd": None}


async def test_entry_is_a_members_standing_or_null_without_a_score(gql, drain):
    await earn(gql, drain, "ada", 30)
    await earn(gql, drain, "bob", 50, key="g2")
    ada = (await gql(ENTRY, {"memberId": "ada"}))["data"]["leaderboard"]["entry"]
    assert ada == {"rank": 2, "score": 30, "member": {"id": "ada"}}
    mine = (await gql(ENTRY, as_=member("bob")))["data"]["leaderboard"]["entry"]
    assert mine["rank"] == 1
    nobody = await gql(ENTRY, {"memberId": "cy"})
    assert nobody["data"]["leaderboard"]["entry"] is None


async def test_verify_finds_what_redis_lost_and_rebuild_restores_it(gql, drain, runtime):
    from datetime import UTC

    from domain.leaderboards import scores as leaderboards

    await earn(gql, drain, "ada", 30)
    await earn(gql, drain, "bob", 50, key="g2")
    store, tz = runtime.leaderboards, runtime.settings.tz
    now = datetime.now(UTC)
    assert await leaderboards.verify(store, now, tz) == []

    await runtime.redis.flushdb()  # Redis emptied mid-run
    lost = await leaderboards.verify(store, now, tz)
    assert {(d.key.period.value, d.member_id, d.expected, d.found) for d in lost} == {
        (period, who, score, None) for period in ALL for who, score in (("ada", 30), ("bob", 50))
    }

    await leaderboards.rebuild(store, now, tz)
    assert await leaderboards.verify(store, now, tz) == []
    ada = (await gql(ENTRY, {"memberId": "ada"}))["data"]["leaderboard"]["entry"]
    assert ada == {"rank": 2, "score": 30, "member": {"id": "ada"}}
