"""The points leaderboard: ranks, ties, pages, the neighbourhood of a member, periods, rebuild."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.leaderboards import scores as leaderboards
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import LEADERBOARD, RECORD, UPSERT_ACTION, action_input, codes


async def credit(gql, who: str, points: int, key: str, occurred_at: str | None = None) -> None:
    await gql(UPSERT_ACTION, {"input": action_input(f"grant.p{points}", points)}, as_=ADMIN)
    variables = {"action": f"grant.p{points}", "idempotencyKey": key, "memberId": who}
    if occurred_at:
        variables["occurredAt"] = occurred_at
    body = await gql(RECORD, {"input": variables}, as_=SERVICE)
    assert body["data"]["recordInteraction"]["errors"] == []


async def board(gql, period="ALL_TIME", **variables):
    body = await gql(LEADERBOARD, {"period": period, **variables}, as_=member("viewer"))
    assert "errors" not in body, body
    return body["data"]["leaderboard"]


def ranking(result) -> list[tuple[int, int, str]]:
    return [
        (e["node"]["rank"], e["node"]["score"], e["node"]["member"]["id"])
        for e in result["entries"]["edges"]
    ]


async def test_members_are_ranked_by_points_with_ties_to_whoever_got_there_first(gql, drain):
    await credit(gql, "ada", 30, "a1")
    await drain()
    await credit(gql, "grace", 50, "g1")
    await drain()
    await credit(gql, "alan", 20, "l1")
    await drain()
    await credit(gql, "alan", 10, "l2")  # alan reaches 30 after ada did
    await drain()
    result = await board(gql)
    assert result["size"] == 3
    assert ranking(result) == [(1, 50, "grace"), (2, 30, "ada"), (3, 30, "alan")]
    assert result["entries"]["edges"][0]["node"]["member"]["displayName"].startswith("Member ")


async def test_spending_does_not_lower_the_score_and_zero_point_actions_do_not_list(gql, drain):
    await credit(gql, "ada", 0, "zero")
    await drain()
    assert (await board(gql))["size"] == 0


async def test_entries_page_with_keyset_cursors(gql, drain):
    for index in range(7):
        await credit(gql, f"m{index}", 10 * (index + 1), f"k{index}")
    await drain()
    first = await board(gql, first=3)
    assert [r[2] for r in ranking(first)] == ["m6", "m5", "m4"]
    assert first["entries"]["pageInfo"]["hasNextPage"] is True
    assert first["entries"]["pageInfo"]["hasPreviousPage"] is False
    cursor = first["entries"]["pageInfo"]["endCursor"]
    second = await board(gql, first=3, after=cursor)
    assert ranking(second) == [(4, 40, "m3"), (5, 30, "m2"), (6, 20, "m1")]
    third = await board(gql, first=3, after=second["entries"]["pageInfo"]["endCursor"])
    assert ranking(third) == [(7, 10, "m0")]
    assert third["entries"]["pageInfo"]["hasNextPage"] is False


async def test_a_cursor_stays_valid_when_others_move_above_it(gql, drain):
    for index in range(4):
        await credit(gql, f"m{index}", 10 * (index + 1), f"k{index}")
    await drain()
    first = await board(gql, first=2)  # m3 (40), m2 (30)
    await credit(gql, "m0", 100, "jump")  # m0 jumps to the top meanwhile
    await drain()
    second = await board(gql, first=2, after=first["entries"]["pageInfo"]["endCursor"])
    assert [r[2] for r in ranking(second)] == ["m1"]  # m0 is no longer below the cursor


async def test_page_sizes_are_clamped_and_bad_cursors_refused(gql, drain):
    for index in range(3):
        await credit(gql, f"m{index}", 10, f"k{index}")
    await drain()
    assert len((await board(gql, first=0))["entries"]["edges"]) == 1
    assert len((await board(gql, first=10_000))["entries"]["edges"]) == 3
    body = await gql(LEADERBOARD, {"period": "ALL_TIME", "after": "!!"}, as_=member("v"))
    assert codes(body) == ["INVALID_CURSOR"]


async def test_around_shows_a_member_and_their_neighbours(gql, drain):
    for index in range(9):
        await credit(gql, f"m{index}", 10 * (index + 1), f"k{index}")
    await drain()
    result = await board(gql, memberId="m4", radius=2)
    assert [(e["rank"], e["member"]["id"]) for e in result["around"]] == [
        (3, "m6"),
        (4, "m5"),
        (5, "m4"),
        (6, "m3"),
        (7, "m2"),
    ]
    top = await board(gql, memberId="m8", radius=2)
    assert [e["rank"] for e in top["around"]] == [1, 2, 3]
    assert (await board(gql, memberId="nobody"))["around"] == []


async def test_around_defaults_to_the_viewer(gql, drain):
    await credit(gql, "ada", 10, "a")
    await credit(gql, "grace", 20, "g")
    await drain()
    body = await gql(LEADERBOARD, {"period": "ALL_TIME", "radius": 0}, as_=member("ada"))
    assert [(e["rank"], e["member"]["id"]) for e in body["data"]["leaderboard"]["around"]] == [
        (2, "ada")
    ]
    anonymous = await gql(LEADERBOARD, {"period": "ALL_TIME"})
    assert anonymous["data"]["leaderboard"]["around"] == []


async def test_a_credit_whose_periods_have_closed_counts_in_the_current_ones(gql, drain):
    """Closed periods are final: points for an interaction 40 days ago, credited today, count
    in today's day, week and month (and all time), not in periods already archived."""
    now = datetime.now(UTC)
    await credit(gql, "ada", 10, "today")
    await credit(gql, "grace", 50, "old", (now - timedelta(days=40)).isoformat())
    await drain()
    for period in ("DAILY", "WEEKLY", "MONTHLY", "ALL_TIME"):
        assert [r[2] for r in ranking(await board(gql, period))] == ["grace", "ada"]


async def test_rebuild_recomputes_the_redis_boards_exactly_from_the_database(gql, drain, runtime):
    for index in range(6):
        await credit(gql, f"m{index % 4}", 10 * (index % 3 + 1), f"k{index}")
    await drain()
    before = {p: ranking(await board(gql, p)) for p in ("ALL_TIME", "DAILY", "MONTHLY")}
    await runtime.redis.flushdb()
    assert (await board(gql))["size"] == 0
    await leaderboards.rebuild(runtime.leaderboards, datetime.now(UTC), runtime.settings.tz)
    after = {p: ranking(await board(gql, p)) for p in ("ALL_TIME", "DAILY", "MONTHLY")}
    assert after == before


async def test_a_lost_projection_is_repaired_by_replaying_the_job(gql, drain, runtime):
    from domain.interactions.record import process_interaction
    from domain.models import Interaction

    await credit(gql, "ada", 10, "a")
    await drain()
    await runtime.redis.flushdb()  # as if the process died between commit and projection
    interaction = await Interaction.get(member_id="ada")
    await process_interaction(runtime, interaction.id)
    assert ranking(await board(gql)) == [(1, 10, "ada")]


async def test_unknown_boards_are_not_found(gql):
    body = await gql('{ leaderboard(board: "nope") { size } }')
    assert codes(body) == ["NOT_FOUND"]
