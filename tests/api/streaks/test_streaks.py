"""Streaks and calendar days: consecutive days in the program time zone, whatever order the
interactions arrive in, shown any-action first and then per action that a streak goal names."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

from domain.goals import progress
from domain.interactions import record as interactions
from domain.models import Interaction, MemberBadge
from domain.runtime import Runtime
from tests.api.badges.test_badges import badge, by_key, goal, my_badges
from tests.conftest import SERVICE, member
from tests.helpers import define, record

MY_STREAKS = "{ me { streaks { action current longest lastActiveOn } } }"


def today() -> date:
    return datetime.now(UTC).date()


def on(days_ago: int, hour: int = 12) -> str:
    """Noon (or `hour`) UTC, `days_ago` days ago; today's is clamped to the past."""
    moment = datetime.combine(today() - timedelta(days=days_ago), datetime.min.time(), UTC)
    moment += timedelta(hours=hour)
    return min(moment, datetime.now(UTC) - timedelta(seconds=1)).isoformat()


def iso(days_ago: int) -> str:
    return (today() - timedelta(days=days_ago)).isoformat()


async def act(gql, action: str, *days_ago: int, who: str = "ada") -> None:
    for index, ago in enumerate(days_ago):
        key = f"{action}-{ago}-{index}"
        await record(gql, SERVICE, action=action, memberId=who, key=key, occurredAt=on(ago))


async def streaks(gql, who: str = "ada") -> list[dict]:
    body = await gql(MY_STREAKS, as_=member(who))
    assert "errors" not in body, body
    return body["data"]["me"]["streaks"]


def streak(action, current, longest, last) -> dict:
    return {"action": action, "current": current, "longest": longest, "lastActiveOn": last}


async def test_a_new_member_has_the_any_action_streak_and_one_per_streak_goal_at_zero(gql):
    assert await streaks(gql) == [streak(None, 0, 0, None)]

    await badge(gql, "review.streak", [goal("STREAK_DAYS", 3, "review.posted")])
    await badge(gql, "open.streak", [goal("STREAK_DAYS", 3, "app.open")])
    await badge(gql, "counted", [goal("ACTION_COUNT", 3, "share.sent")])  # no streak goal

    assert await streaks(gql) == [
        streak(None, 0, 0, None),
        streak("app.open", 0, 0, None),
        streak("review.posted", 0, 0, None),
    ]


async def test_the_current_streak_runs_up_to_today_or_yesterday(gql, drain):
    await define(gql, "app.open", 1, memberReportable=False)
    await act(gql, "app.open", 3, 2, 1)
    await drain()
    assert await streaks(gql) == [streak(None, 3, 3, iso(1))]  # through yesterday: still on

    await act(gql, "app.open", 0)
    await drain()
    assert await streaks(gql) == [streak(None, 4, 4, iso(0))]

    await act(gql, "app.open", 10, 9, who="grace")
    await drain()
    assert await streaks(gql, "grace") == [streak(None, 0, 2, iso(9))]  # broken


async def test_action_streaks_are_their_own_runs(gql, drain):
    await define(gql, "app.open", 1, memberReportable=False)
    await define(gql, "review.posted", 1, memberReportable=False)
    await badge(gql, "review.streak", [goal("STREAK_DAYS", 5, "review.posted")])
    await act(gql, "app.open", 4, 3)
    await act(gql, "review.posted", 2, 1)
    await drain()

    assert await streaks(gql) == [
        streak(None, 4, 4, iso(1)),
        streak("review.posted", 2, 2, iso(1)),
    ]


async def test_a_backdated_day_rebuilds_the_streak_it_completes(gql, drain):
    await define(gql, "app.open", 1, memberReportable=False)
    await badge(gql, "four.days", [goal("STREAK_DAYS", 4)])
    await act(gql, "app.open", 6, 5, 3, 1)
    await drain()
    assert await streaks(gql) == [streak(None, 1, 2, iso(1))]
    assert by_key(await my_badges(gql))["four.days"]["earned"] is False

    await act(gql, "app.open", 2)  # late: joins 3 to 1
    await drain()
    assert await streaks(gql) == [streak(None, 3, 3, iso(1))]

    await act(gql, "app.open", 4)  # late again: joins 6-5 to 3-2-1
    await drain()
    assert await streaks(gql) == [streak(None, 6, 6, iso(1))]
    assert by_key(await my_badges(gql))["four.days"]["earned"] is True


async def test_utc_midnight_divides_days_in_a_utc_program(gql, drain):
    await define(gql, "app.open", 1, memberReportable=False)
    await badge(gql, "two.days", [goal("ACTIVE_DAYS", 2)])
    midnight = datetime.combine(today() - timedelta(days=2), datetime.min.time(), UTC)
    for who, moments in (
        ("ada", [midnight - timedelta(seconds=1), midnight]),  # two days, one second apart
        ("grace", [midnight, midnight + timedelta(hours=23, minutes=59, seconds=59)]),  # one
    ):
        for index, moment in enumerate(moments):
            await record(
                gql,
                SERVICE,
                action="app.open",
                memberId=who,
                key=f"{who}{index}",
                occurredAt=moment.isoformat(),
            )
    await drain()

    assert await streaks(gql, "ada") == [streak(None, 0, 2, iso(2))]
    assert by_key(await my_badges(gql, "ada"))["two.days"]["earned"] is True
    assert await streaks(gql, "grace") == [streak(None, 0, 1, iso(2))]
    assert by_key(await my_badges(gql, "grace"))["two.days"]["progress"][0]["current"] == 1


# --- another program time zone, at the domain level ---------------------------------------------


def in_zone(runtime: Runtime, zone: str) -> Runtime:
    """The same runtime, for a program in another time zone."""
    return dataclasses.replace(
        runtime, settings=dataclasses.replace(runtime.settings, timezone=zone)
    )


async def process_all_in(runtime: Runtime) -> None:
    pending = Interaction.filter(status="PENDING").order_by("id").values_list("id", flat=True)
    for interaction_id in await pending:
        await interactions.process_interaction(runtime, int(str(interaction_id)))


async def test_days_and_streaks_follow_the_program_time_zone(gql, runtime):
    await define(gql, "app.open", 1, memberReportable=False)
    await badge(gql, "two.days", [goal("ACTIVE_DAYS", 2)])
    await badge(gql, "two.in.a.row", [goal("STREAK_DAYS", 2)])
    # Los Angeles is UTC-8 in November. 23:30 on the 10th and 00:30 on the 11th there are one
    # UTC day; 16:01 and 23:59 on the 11th there are two UTC days.
    across_local_midnight = ["2026-11-11T07:30:00Z", "2026-11-11T08:30:00Z"]
    across_utc_midnight = ["2026-11-12T00:01:00Z", "2026-11-12T07:59:00Z"]
    for who, moments in (
        ("ada", across_local_midnight),
        ("grace", across_utc_midnight),
    ):
        for index, moment in enumerate(moments):
            await record(
                gql, SERVICE, action="app.open", memberId=who, key=f"{who}{index}",
                occurredAt=moment,
            )  # fmt: skip

    await process_all_in(in_zone(runtime, "America/Los_Angeles"))

    found = await progress.streaks(["ada", "grace"])
    [ada] = found["ada"]
    assert (ada.streak.run, ada.streak.longest) == (2, 2)
    assert ada.streak.last_active_on == date(2026, 11, 11)
    assert ada.streak.current(date(2026, 11, 12)) == 2  # through yesterday, local
    assert ada.streak.current(date(2026, 11, 13)) == 0
    [grace] = found["grace"]
    assert (grace.streak.longest, grace.streak.last_active_on) == (1, date(2026, 11, 11))
    held = await MemberBadge.all().order_by("member_id", "badge_id")
    assert [(h.member_id, h.badge_id) for h in held] == [
        ("ada", "two.days"),
        ("ada", "two.in.a.row"),
    ]
