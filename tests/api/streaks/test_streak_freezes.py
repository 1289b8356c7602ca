"""Streak freezes: the program's policy earns them as the any-action streak grows (never past
`maxHeld`), an admin can grant them, and a missed day uses one automatically instead of breaking
the streak. A frozen day keeps the streak but does not add to it. What a member holds is
`Streak.freezes`; "today" is the runtime's clock, moved by the tests."""

from __future__ import annotations

from datetime import timedelta

from tests.api.audit.test_audit_log import AUDIT_LOG
from tests.api.streaks.test_streaks import act, iso
from tests.conftest import ADMIN, member
from tests.helpers import codes, define, table_sums, tables_changed

MY_STREAK = "{ me { streaks { action current longest lastActiveOn freezes } } }"
POLICY = "{ streakFreezePolicy { earnEveryDays maxHeld } }"
SET_POLICY = """
mutation Set($input: StreakFreezePolicyInput!) {
  setStreakFreezePolicy(input: $input) { earnEveryDays maxHeld }
}"""
GRANT = """
mutation Grant($memberId: ID!, $count: Int!) {
  grantStreakFreezes(memberId: $memberId, count: $count) { action current longest freezes }
}"""


async def policy(gql, every: int, held: int) -> None:
    body = await gql(SET_POLICY, {"input": {"earnEveryDays": every, "maxHeld": held}}, as_=ADMIN)
    assert body["data"]["setStreakFreezePolicy"] == {"earnEveryDays": every, "maxHeld": held}


async def mine(gql, who: str = "ada") -> dict:
    """The member's any-action streak."""
    body = await gql(MY_STREAK, as_=member(who))
    assert "errors" not in body, body
    return body["data"]["me"]["streaks"][0]


def shown(current: int, longest: int, last: str | None, freezes: int) -> dict:
    return {
        "action": None,
        "current": current,
        "longest": longest,
        "lastActiveOn": last,
        "freezes": freezes,
    }


async def grant(gql, who: str, count: int) -> dict:
    body = await gql(GRANT, {"memberId": who, "count": count}, as_=ADMIN)
    assert "errors" not in body, body
    return body["data"]["grantStreakFreezes"]


# --- the policy ---------------------------------------------------------------------------------


async def test_by_default_no_freezes_are_earned(gql, drain, clock):
    assert (await gql(POLICY, as_=ADMIN))["data"]["streakFreezePolicy"] == {
        "earnEveryDays": 0,
        "maxHeld": 0,
    }
    await define(gql, "app.open", 1, memberReportable=False)
    await act(gql, "app.open", 9, 8, 7, 6, 5, 4, 3, 2, 1)
    await drain()
    assert await mine(gql) == shown(9, 9, iso(1), 0)


async def test_an_admin_sets_the_policy_and_bad_values_change_nothing(gql):
    await policy(gql, 7, 2)
    assert (await gql(POLICY, as_=ADMIN))["data"]["streakFreezePolicy"] == {
        "earnEveryDays": 7,
        "maxHeld": 2,
    }
    before = await table_sums()
    for bad in ({"earnEveryDays": -1, "maxHeld": 2}, {"earnEveryDays": 7, "maxHeld": 100_000}):
        body = await gql(SET_POLICY, {"input": bad}, as_=ADMIN)
        assert codes(body) == ["INVALID_INPUT"], body
    assert tables_changed(before, await table_sums()) == []
    assert codes(await gql(POLICY, as_=member("ada"))) == ["FORBIDDEN"]
    body = await gql(SET_POLICY, {"input": {"earnEveryDays": 1, "maxHeld": 9}}, as_=member("ada"))
    assert codes(body) == ["FORBIDDEN"]

    log = await gql(AUDIT_LOG, {"first": 5}, as_=ADMIN)
    [record] = [
        edge["node"]
        for edge in log["data"]["auditLog"]["edges"]
        if edge["node"]["operation"] == "setStreakFreezePolicy"
    ]
    assert record["before"] == {"earnEveryDays": 0, "maxHeld": 0}
    assert record["after"] == {"earnEveryDays": 7, "maxHeld": 2}


# --- earning ------------------------------------------------------------------------------------


async def test_a_freeze_is_earned_for_every_n_days_of_streak_up_to_the_cap(gql, drain, clock):
    await policy(gql, 2, 2)
    await define(gql, "app.open", 1, memberReportable=False)
    await act(gql, "app.open", 8, 7)  # 2 days: one freeze
    await drain()
    clock.now -= timedelta(days=6)  # the day after the last active one
    assert await mine(gql) == shown(2, 2, iso(7), 1)
    clock.now += timedelta(days=6)

    await act(gql, "app.open", 6, 5, 4, 3, 2, 1)  # 8 days: four earned, two held at most
    await drain()
    assert await mine(gql) == shown(8, 8, iso(1), 2)


async def test_action_streaks_hold_no_freezes(gql, drain, clock):
    from tests.api.badges.test_badges import badge, goal

    await policy(gql, 1, 3)
    await define(gql, "review.posted", 1, memberReportable=False)
    await badge(gql, "review.streak", [goal("STREAK_DAYS", 5, "review.posted")])
    await act(gql, "review.posted", 2, 1)
    await drain()
    body = await gql(MY_STREAK, as_=member("ada"))
    assert [s["freezes"] for s in body["data"]["me"]["streaks"]] == [2, 0]


# --- using them ---------------------------------------------------------------------------------


async def test_a_missed_day_uses_a_freeze_instead_of_breaking_the_streak(gql, drain, clock):
    await policy(gql, 3, 1)
    await define(gql, "app.open", 1, memberReportable=False)
    await act(gql, "app.open", 5, 4, 3)  # three days: one freeze
    await drain()

    clock.now -= timedelta(days=2)  # the next day: nothing missed yet
    assert await mine(gql) == shown(3, 3, iso(3), 1)
    clock.now += timedelta(days=1)  # day 2 was missed: the freeze covers it
    assert await mine(gql) == shown(3, 3, iso(3), 0)
    clock.now += timedelta(days=1)  # today: active today, the streak goes on
    await act(gql, "app.open", 1)
    await drain()
    # The frozen day keeps the streak but does not add to it: 3 + 1 active days.
    assert await mine(gql) == shown(4, 4, iso(1), 0)


async def test_several_missed_days_use_several_freezes(gql, drain, clock):
    await policy(gql, 1, 3)
    await define(gql, "app.open", 1, memberReportable=False)
    await act(gql, "app.open", 9, 8, 7)  # three freezes
    await drain()
    await act(gql, "app.open", 4)  # days 6 and 5 missed: two of them used
    await drain()
    clock.now -= timedelta(days=3)
    assert await mine(gql) == shown(4, 4, iso(4), 2)  # one left, and one earned on day 4


async def test_a_missed_day_without_freezes_breaks_the_streak(gql, drain, clock):
    await policy(gql, 2, 1)
    await define(gql, "app.open", 1, memberReportable=False)
    await act(gql, "app.open", 8, 7)  # one freeze
    await drain()
    clock.now -= timedelta(days=4)  # days 6 and 5 missed: the freeze covered one, then broken
    assert await mine(gql) == shown(0, 2, iso(7), 0)

    await act(gql, "app.open", 4)
    await drain()
    assert await mine(gql) == shown(1, 2, iso(4), 0)  # a new streak; the spent freeze stays spent


async def test_a_backdated_day_keeps_the_runs_a_freeze_bridged(gql, drain, clock):
    await policy(gql, 2, 1)
    await define(gql, "app.open", 1, memberReportable=False)
    await act(gql, "app.open", 6, 5)  # a freeze
    await act(gql, "app.open", 3)  # day 4 frozen
    await drain()
    assert await mine(gql) == shown(0, 3, iso(3), 0)  # today: days 2 and 1 missed, none held

    await act(gql, "app.open", 8)  # late, before the frozen day: rebuilt from days and freezes
    await drain()
    clock.now -= timedelta(days=2)
    assert await mine(gql) == shown(3, 3, iso(3), 0)


# --- grants -------------------------------------------------------------------------------------


async def test_an_admin_grants_freezes_up_to_the_cap(gql, drain, clock):
    await gql("{ me { id } }", as_=member("ada"))
    assert await grant(gql, "ada", 2) == {"action": None, "current": 0, "longest": 0, "freezes": 0}

    await policy(gql, 0, 3)
    assert (await grant(gql, "ada", 2))["freezes"] == 2
    assert (await grant(gql, "ada", 5))["freezes"] == 3
    assert (await mine(gql))["freezes"] == 3

    log = await gql(AUDIT_LOG, {"first": 10}, as_=ADMIN)
    grants = [
        edge["node"]
        for edge in log["data"]["auditLog"]["edges"]
        if edge["node"]["operation"] == "grantStreakFreezes"
    ]
    assert [(g["target"], g["after"]["freezes"]) for g in grants] == [
        ("streak_freezes:ada", 3),
        ("streak_freezes:ada", 2),
        ("streak_freezes:ada", 0),
    ]


async def test_a_granted_freeze_covers_the_next_missed_day(gql, drain, clock):
    await policy(gql, 0, 2)
    await define(gql, "app.open", 1, memberReportable=False)
    await act(gql, "app.open", 5, 4)
    await drain()
    clock.now -= timedelta(days=3)
    await grant(gql, "ada", 1)
    clock.now += timedelta(days=1)  # day 3 missed: frozen
    assert await mine(gql) == shown(2, 2, iso(4), 0)
    await act(gql, "app.open", 2)
    await drain()
    assert await mine(gql) == shown(3, 3, iso(2), 0)


async def test_a_grant_does_not_mend_a_streak_already_broken(gql, drain, clock):
    await policy(gql, 0, 5)
    await define(gql, "app.open", 1, memberReportable=False)
    await act(gql, "app.open", 6, 5)
    await drain()
    assert await grant(gql, "ada", 5) == {"action": None, "current": 0, "longest": 2, "freezes": 5}
    await act(gql, "app.open", 1)  # the missed days 4 to 2 were lost before the grant
    await drain()
    assert await mine(gql) == shown(1, 2, iso(1), 5)


async def test_bad_grants_change_nothing(gql, caplog):
    await gql("{ me { id } }", as_=member("ada"))
    await policy(gql, 0, 3)
    before = await table_sums()
    for who, count, code in (
        ("ada", 0, "INVALID_INPUT"),
        ("ada", -2, "INVALID_INPUT"),
        ("nobody", 1, "NOT_FOUND"),
        ("ada", 10**6, "INVALID_INPUT"),
    ):
        body = await gql(GRANT, {"memberId": who, "count": count}, as_=ADMIN)
        assert codes(body) == [code], body
    assert tables_changed(before, await table_sums()) == []
    assert codes(await gql(GRANT, {"memberId": "ada", "count": 1}, as_=member("ada"))) == [
        "FORBIDDEN"
    ]
    assert [r for r in caplog.records if r.levelname == "ERROR"] == []


# --- the demo -----------------------------------------------------------------------------------


async def test_the_demo_shows_a_member_whose_freeze_kept_her_streak(gql, runtime):
    from domain import demo

    await demo.load(runtime)
    grace = await mine(gql, "demo-grace")
    # Days 5 and 4 earned a freeze, day 3 used it, days 2, 1 and today made 5 active days and
    # earned another.
    assert (grace["current"], grace["freezes"]) == (5, 1)
    assert (await gql(POLICY, as_=ADMIN))["data"]["streakFreezePolicy"] == {
        "earnEveryDays": 2,
        "maxHeld": 2,
    }


async def test_replays_and_rerun_jobs_earn_and_use_nothing_twice(gql, drain, runtime, clock):
    from domain import pipeline
    from domain.models import Interaction, StreakFrozenDay

    await policy(gql, 1, 1)
    await define(gql, "app.open", 1, memberReportable=False)
    await act(gql, "app.open", 4, 2)  # day 3 frozen
    await drain()
    expected = shown(2, 2, iso(2), 1)
    clock.now -= timedelta(days=1)
    assert await mine(gql) == expected

    await act(gql, "app.open", 4, 2)  # the same idempotency keys again
    await drain()
    ids = [int(str(i)) for i in await Interaction.all().values_list("id", flat=True)]
    await pipeline.process_ids(runtime, ids)  # a job that runs again after a crash
    assert await mine(gql) == expected
    assert await StreakFrozenDay.filter(member_id="ada").values_list("day", flat=True) == [iso(3)]
