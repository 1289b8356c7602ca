"""Activity counters and streaks count calendar days in the program time zone, whatever order
interactions arrive in."""

from __future__ import annotations

import dataclasses

from domain.interactions import record as interactions
from domain.models import ActivityStats, Interaction
from domain.runtime import Runtime
from tests.conftest import SERVICE
from tests.helpers import define, record


def in_zone(runtime: Runtime, zone: str) -> Runtime:
    """The same runtime, for a program in another time zone."""
    return dataclasses.replace(
        runtime, settings=dataclasses.replace(runtime.settings, timezone=zone)
    )


async def process_all_in(runtime: Runtime) -> None:
    for interaction_id in (
        await Interaction.filter(status="PENDING").order_by("id").values_list("id", flat=True)
    ):
        await interactions.process_interaction(runtime, int(str(interaction_id)))


async def stats(member_id: str, action: str = "") -> ActivityStats:
    return await ActivityStats.get(member_id=member_id, action_key=action)


async def opened_at(gql, *moments: str, who: str = "ada") -> None:
    for index, moment in enumerate(moments):
        await record(
            gql, SERVICE, action="app.open", memberId=who, key=f"{who}-{index}", occurredAt=moment
        )


async def test_an_hour_apart_across_local_midnight_is_two_days_and_a_two_day_streak(gql, runtime):
    await define(gql, "app.open", 5, memberReportable=False)
    # 23:30 and 00:30 in Los Angeles (PST, UTC-8); the same UTC day.
    await opened_at(gql, "2026-11-20T07:30:00Z", "2026-11-20T08:30:00Z")

    await process_all_in(in_zone(runtime, "America/Los_Angeles"))

    row = await stats("ada")
    assert (row.interactions, row.active_days, row.streak_run, row.last_active_on) == (
        2, 2, 2, "2026-11-20",
    )  # fmt: skip


async def test_late_evening_and_early_morning_utc_are_one_local_day_west_of_utc(gql, runtime):
    await define(gql, "app.open", 5, memberReportable=False)
    # 23:59 on the 19th and 00:01 UTC on the 20th are both the 19th in Los Angeles.
    await opened_at(gql, "2026-11-20T07:59:00Z", "2026-11-20T00:01:00Z")

    await process_all_in(in_zone(runtime, "America/Los_Angeles"))

    row = await stats("ada", "app.open")
    assert (row.active_days, row.streak_longest, row.last_active_on) == (1, 1, "2026-11-19")


async def test_the_days_around_a_dst_change_are_consecutive(gql, runtime):
    await define(gql, "app.open", 5, memberReportable=False)
    # Berlin springs forward on 2026-03-29: that day has 23 hours.
    await opened_at(
        gql, "2026-03-28T22:30:00Z", "2026-03-29T21:30:00Z", "2026-03-29T22:30:00Z"
    )  # 23:30 on the 28th (CET), 23:30 on the 29th and 00:30 on the 30th (CEST)

    await process_all_in(in_zone(runtime, "Europe/Berlin"))

    row = await stats("ada")
    assert (row.active_days, row.streak_run, row.last_active_on) == (3, 3, "2026-03-30")


async def test_a_backdated_day_that_fills_a_gap_joins_two_runs(gql, runtime):
    await define(gql, "app.open", 5, memberReportable=False)
    await opened_at(gql, "2026-11-01T12:00:00Z", "2026-11-02T12:00:00Z", "2026-11-04T12:00:00Z")
    await process_all_in(runtime)
    assert (await stats("ada")).streak_longest == 2

    await record(
        gql, SERVICE, action="app.open", memberId="ada", key="late",
        occurredAt="2026-11-03T12:00:00Z",
    )  # fmt: skip
    await process_all_in(runtime)

    row = await stats("ada")
    assert (row.active_days, row.streak_run, row.streak_longest, row.last_active_on) == (
        4, 4, 4, "2026-11-04",
    )  # fmt: skip


async def test_a_second_interaction_on_the_same_day_counts_but_adds_no_day(gql, runtime):
    await define(gql, "app.open", 5, memberReportable=False)
    await opened_at(gql, "2026-11-01T08:00:00Z", "2026-11-01T20:00:00Z")

    await process_all_in(runtime)

    row = await stats("ada", "app.open")
    assert (row.interactions, row.active_days, row.streak_run) == (2, 1, 1)


async def test_rejected_interactions_count_for_nothing(gql, runtime):
    await define(gql, "app.open", 5, memberReportable=False, limits=[{"period": "DAY", "max": 1}])
    await opened_at(gql, "2026-11-01T08:00:00Z", "2026-11-01T09:00:00Z")

    await process_all_in(runtime)

    row = await stats("ada", "app.open")
    assert (row.interactions, row.active_days) == (1, 1)
