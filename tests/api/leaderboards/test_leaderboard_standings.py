"""`me.standings`: the member's rank and score on every board and period they are on, for the
progress screen, in one Redis round trip and no SQL per board; and the profiles the boards show,
kept in step with a profile change and an erasure."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.challenges.test_challenges import challenge
from tests.api.privacy.test_erasure import erase
from tests.conftest import SERVICE, member
from tests.domain.leaderboards.round_trips import counted_store, counting
from tests.helpers import counting as counting_sql
from tests.helpers import define, record

STANDINGS = "{ me { standings { board period rank score } } }"
ME_ONLY = "{ me { id } }"
AROUND = """
query Around($memberId: ID!) {
  leaderboard(board: "points", period: ALL_TIME) {
    around(memberId: $memberId, radius: 1) { rank member { id displayName avatarUrl } }
  }
}
"""
RENAME = """
mutation Rename($input: UpdateProfileInput!) { updateProfile(input: $input) { errors { code } } }
"""
# Executed, not answered from the member read cache: standings move with other members'
# writes, which a cached answer may lag by up to a second.
FRESH = {"cache-control": "no-cache"}
PERIODS = ["DAILY", "WEEKLY", "MONTHLY", "ALL_TIME"]


async def review(gql, who: str, times: int = 1) -> None:
    for index in range(times):
        await record(gql, SERVICE, action="review.posted", memberId=who, key=f"{who}-{index}")


async def standings(gql, who: str) -> list[tuple[str, str, int, int]]:
    body = await gql(STANDINGS, as_=member(who), headers=FRESH)
    assert "errors" not in body, body
    return [
        (s["board"], s["period"], s["rank"], s["score"]) for s in body["data"]["me"]["standings"]
    ]


async def test_standings_list_every_board_and_period_the_member_is_on(gql, drain):
    await define(gql, "review.posted", 10, memberReportable=False)
    await challenge(gql, "sprint")  # two reviews: its board counts them, capped at 2
    await challenge(gql, "marathon", goals=[{"metric": "POINTS_EARNED", "target": 1000}])
    await review(gql, "bob", 3)
    await review(gql, "ada")
    await drain()

    assert await standings(gql, "ada") == [
        *[("points", period, 2, 10) for period in PERIODS],
        ("challenge:marathon", "ALL_TIME", 2, 10),
        ("challenge:sprint", "ALL_TIME", 2, 1),
    ]
    assert await standings(gql, "bob") == [
        *[("points", period, 1, 30) for period in PERIODS],
        ("challenge:marathon", "ALL_TIME", 1, 30),
        ("challenge:sprint", "ALL_TIME", 1, 2),
    ]


async def test_equal_scores_rank_whoever_reached_the_score_first_higher(gql, drain):
    await define(gql, "review.posted", 10, memberReportable=False)
    await review(gql, "ada")
    await drain()
    await review(gql, "cy")
    await drain()

    assert [rank for _, _, rank, _ in await standings(gql, "ada")] == [1, 1, 1, 1]
    assert [rank for _, _, rank, _ in await standings(gql, "cy")] == [2, 2, 2, 2]


async def test_a_member_on_no_board_has_no_standings(gql, drain):
    await define(gql, "review.posted", 10, memberReportable=False)
    await review(gql, "ada")
    await drain()

    assert await standings(gql, "zed") == []


async def test_once_a_period_closes_its_standing_gives_way_to_the_new_periods(gql, drain, runtime):
    await define(gql, "review.posted", 10, memberReportable=False)
    await review(gql, "ada")
    await drain()
    real = runtime.clock
    now = real()
    runtime.clock = lambda: now + timedelta(days=40)  # a new day, week and month
    try:
        assert await standings(gql, "ada") == [("points", "ALL_TIME", 1, 10)]
    finally:
        runtime.clock = real


async def test_standings_are_one_redis_round_trip_and_no_sql_per_board(gql, drain, runtime):
    await define(gql, "review.posted", 10, memberReportable=False)
    await review(gql, "ada")
    await drain()

    async def cost() -> tuple[int, int, int]:
        """Redis round trips, and SQL statements beyond `me { id }`'s, of `me { standings }`."""
        async with counted_store(runtime) as sent:
            await gql(STANDINGS, as_=member("ada"), headers=FRESH)  # warm: scripts, caches
            with counting(sent), counting_sql() as sql:
                body = await gql(STANDINGS, as_=member("ada"), headers=FRESH)
            standings_sql = len(sql.statements)
            with counting_sql() as sql:
                await gql(ME_ONLY, as_=member("ada"), headers=FRESH)
        boards = len(body["data"]["me"]["standings"])
        return boards, sent.round_trips, standings_sql - len(sql.statements)

    few = await cost()
    for index in range(5):  # five more boards she is on
        await challenge(gql, f"extra{index}")
    await record(gql, SERVICE, action="review.posted", memberId="ada", key="ada-again")
    await drain()
    many = await cost()

    assert (few[0], many[0]) == (4, 4 + 5)
    assert few[1] == many[1] == 1
    # The boards come from the definitions the process holds: their version row is read at
    # most once a second, never per board.
    assert few[2] == many[2] == 0


async def test_the_boards_show_a_new_name_and_avatar_at_once(gql, drain, runtime):
    await define(gql, "review.posted", 10, memberReportable=False)
    await review(gql, "ada")
    await review(gql, "bob")
    await drain()
    avatar = "https://cdn.example/ada.png"

    body = await gql(
        RENAME, {"input": {"displayName": "Ada Lovelace", "avatarUrl": avatar}}, as_=member("ada")
    )
    assert body["data"]["updateProfile"]["errors"] == []

    shown = await around(gql, "bob")
    assert {"id": "ada", "displayName": "Ada Lovelace", "avatarUrl": avatar} in shown
    key = runtime.leaderboards.namespace + ":lb:{points:ALL_TIME:lifetime}:profiles"
    assert await runtime.redis.hget(key, "ada") == f"Ada Lovelace\x1f{avatar}".encode()
    # Removing the avatar is a change too.
    await gql(RENAME, {"input": {"avatarUrl": ""}}, as_=member("ada"))
    assert {"id": "ada", "displayName": "Ada Lovelace", "avatarUrl": None} in await around(
        gql, "bob"
    )


async def test_an_erased_member_leaves_no_profile_on_any_board(gql, drain, runtime):
    await define(gql, "review.posted", 10, memberReportable=False)
    await review(gql, "ada")
    await review(gql, "bob")
    await drain()
    await gql(RENAME, {"input": {"displayName": "Ada Lovelace"}}, as_=member("ada"))

    await erase(gql, "ada")

    assert [entry["id"] for entry in await around(gql, "bob")] == ["bob"]
    hashes = runtime.leaderboards.namespace + ":lb:*[sn]"  # every board's profiles and elements
    async for key in runtime.redis.scan_iter(match=hashes):
        if key.endswith((b":profiles", b":elements")):
            held = await runtime.redis.hgetall(key)
            assert not any(
                b"ada" in item or b"Lovelace" in item for item in [*held, *held.values()]
            )


async def around(gql, who: str) -> list[dict[str, Any]]:
    body = await gql(AROUND, {"memberId": who}, as_=member(who))
    assert "errors" not in body, body
    return [entry["member"] for entry in body["data"]["leaderboard"]["around"]]
