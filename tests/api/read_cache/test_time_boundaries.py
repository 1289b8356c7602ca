"""A cached answer never outlives the next moment that changes it by time alone.

Each test keeps one answer, moves the read clock (`Runtime.clock`) to just before the moment
its answer changes (still answered from the cache), then onto it (computed again, and right):
the midnight after which a streak is no longer current, a challenge's start and end, points
expiring, a credit leaving the tier window. Nothing else is written meanwhile. (An answer whose
valid-until is less than a millisecond away is not kept at all: "just before" is a second.)"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from domain.models import LedgerEntry
from domain.runtime import Runtime
from gamification.periods import Period, period_window
from tests.api.badges.test_badges import goal
from tests.api.challenges.test_challenges import challenge
from tests.api.read_cache.common import Clock, data, lookups, read
from tests.conftest import SERVICE
from tests.helpers import define, record

STREAK = "{ me { streaks { action current longest } } }"
ACTIVE = (
    "{ challenges(status: ACTIVE) { key status } "
    "me { challenges(status: ACTIVE) { challenge { key } } } }"
)
EXPIRY = "{ me { points { balance nextExpiryAt nextExpiryAmount } } }"
TIER = "{ me { tier { current { key } qualifyingPoints pointsToNext } } }"


@pytest.fixture
def short_windows(runtime: Runtime) -> Iterator[None]:
    """Points expire after 2 days and the tier window is 3 days long."""
    configured = runtime.settings
    runtime.settings = dataclasses.replace(configured, points_expire_days=2, tier_window_days=3)
    yield
    runtime.settings = configured


async def answer(client, settings, query: str) -> tuple[dict, bool]:
    """ada's answer, and whether it came from the cache."""
    hits = lookups("hit")
    body = data(await read(client, settings, "ada", query))
    return body, lookups("hit") > hits


async def credited(gql, drain, clock: Clock, key: str = "k1") -> datetime:
    """An awarded interaction of ada's, before the read clock; when it was credited."""
    await record(gql, SERVICE, action="app.open", memberId="ada", key=key)
    await drain()
    [at] = (
        await LedgerEntry.filter(member_id="ada")
        .order_by("-id")
        .limit(1)
        .values_list("effective_at", flat=True)
    )
    assert at < clock.now, "the read clock must be after the write"
    return at


@pytest.fixture
async def opener(gql) -> None:
    await define(gql, "app.open", 10, memberReportable=False)


async def test_a_streak_stops_being_current_at_the_second_midnight(
    client, settings, gql, drain, clock, opener
):
    clock.now = datetime.now(UTC) + timedelta(minutes=1)
    await credited(gql, drain, clock)
    body, _ = await answer(client, settings, STREAK)
    assert body["me"]["streaks"][0]["current"] == 1
    tomorrow = period_window(Period.DAY, clock.now, UTC).end
    assert tomorrow is not None
    clock.now = tomorrow + timedelta(hours=23, minutes=59)  # yesterday's activity still counts
    body, cached = await answer(client, settings, STREAK)
    assert not cached  # midnight passed: computed again (the same answer)
    assert body["me"]["streaks"][0]["current"] == 1
    body, cached = await answer(client, settings, STREAK)
    assert cached
    clock.now = tomorrow + timedelta(days=1)  # the second midnight
    body, cached = await answer(client, settings, STREAK)
    assert not cached and body["me"]["streaks"][0]["current"] == 0


async def test_a_challenge_shows_active_from_its_start_to_its_end(
    client, settings, gql, drain, clock, opener
):
    starts, ends = clock.now + timedelta(hours=2), clock.now + timedelta(hours=5)
    await challenge(
        gql, "sprint", starts=starts, ends=ends, goals=[goal("ACTION_COUNT", 2, "app.open")]
    )
    assert (await answer(client, settings, ACTIVE))[0]["challenges"] == []
    clock.now = starts - timedelta(seconds=1)
    body, cached = await answer(client, settings, ACTIVE)
    assert cached and body["challenges"] == []
    clock.now = starts
    body, cached = await answer(client, settings, ACTIVE)
    assert not cached and body["challenges"] == [{"key": "sprint", "status": "ACTIVE"}]
    clock.now = ends - timedelta(seconds=1)
    body, cached = await answer(client, settings, ACTIVE)
    assert cached and body["challenges"] == [{"key": "sprint", "status": "ACTIVE"}]
    clock.now = ends
    body, cached = await answer(client, settings, ACTIVE)
    assert not cached and body["challenges"] == []


async def test_points_show_their_expiry_until_it_comes(
    client, settings, gql, drain, clock, opener, short_windows
):
    clock.now = datetime.now(UTC) + timedelta(minutes=1)
    at = await credited(gql, drain, clock)
    body, _ = await answer(client, settings, EXPIRY)
    expires = at + timedelta(days=2)
    assert datetime.fromisoformat(body["me"]["points"]["nextExpiryAt"]) == expires
    clock.now = expires - timedelta(seconds=1)
    body, cached = await answer(client, settings, EXPIRY)
    # Two midnights lie in between: computed again at least once; then kept up to the expiry.
    body, cached = await answer(client, settings, EXPIRY)
    assert cached and body["me"]["points"]["nextExpiryAmount"] == 10
    clock.now = expires  # due: the job takes them; until it runs, no future expiry is shown
    body, cached = await answer(client, settings, EXPIRY)
    assert not cached
    assert body["me"]["points"] == {"balance": 10, "nextExpiryAt": None, "nextExpiryAmount": None}


async def test_a_credit_leaves_the_tier_window_when_its_days_are_up(
    client, settings, gql, drain, clock, opener, short_windows
):
    clock.now = datetime.now(UTC) + timedelta(minutes=1)
    at = await credited(gql, drain, clock)
    leaves = at + timedelta(days=3, microseconds=1)
    clock.now = leaves - timedelta(seconds=1)
    body, _ = await answer(client, settings, TIER)
    assert body["me"]["tier"]["qualifyingPoints"] == 10
    body, cached = await answer(client, settings, TIER)
    assert cached
    clock.now = leaves
    body, cached = await answer(client, settings, TIER)
    assert not cached and body["me"]["tier"]["qualifyingPoints"] == 0


async def test_a_credit_dated_ahead_of_the_clock_counts_from_its_moment(
    client, settings, gql, drain, clock, opener
):
    """Recorded at the real time, read at a clock just before it: not yet qualifying."""
    clock.now = datetime.now(UTC) - timedelta(minutes=1)
    await record(gql, SERVICE, action="app.open", memberId="ada", key="k1")
    await drain()
    [at] = await LedgerEntry.filter(member_id="ada").values_list("effective_at", flat=True)
    body, _ = await answer(client, settings, TIER)
    assert body["me"]["tier"]["qualifyingPoints"] == 0
    body, cached = await answer(client, settings, TIER)
    assert cached
    clock.now = at
    body, cached = await answer(client, settings, TIER)
    assert not cached and body["me"]["tier"]["qualifyingPoints"] == 10
