"""Specification of when an interaction may claim to have happened (`gamification.timing`).

Nobody may claim a moment more than five minutes ahead of the server clock. Members may not
backdate beyond their window (24 hours by default); trusted imports may backdate freely.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.limits import Decision, Outcome
from gamification.timing import BACKDATED, FUTURE_TIMESTAMP, FUTURE_TOLERANCE, check_timing

NOW = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
DAY = timedelta(hours=24)
TICK = timedelta(microseconds=1)

fast = settings(max_examples=100, deadline=None)

Check = Callable[[datetime], Decision | None]


def member(occurred_at: datetime, backdate: timedelta = DAY) -> Decision | None:
    return check_timing(occurred_at, NOW, trusted=False, member_backdate=backdate)


def trusted(occurred_at: datetime, backdate: timedelta = DAY) -> Decision | None:
    return check_timing(occurred_at, NOW, trusted=True, member_backdate=backdate)


def test_timing_rejections_reject_rather_than_cap() -> None:
    assert (FUTURE_TIMESTAMP.outcome, FUTURE_TIMESTAMP.reason) == (
        Outcome.REJECTED,
        "FUTURE_TIMESTAMP",
    )
    assert (BACKDATED.outcome, BACKDATED.reason) == (Outcome.REJECTED, "BACKDATED")


def test_the_future_tolerance_is_five_minutes() -> None:
    assert timedelta(minutes=5) == FUTURE_TOLERANCE


def test_an_interaction_happening_now_is_acceptable() -> None:
    assert member(NOW) is None
    assert trusted(NOW) is None


@pytest.mark.parametrize("check", [member, trusted])
def test_a_clock_up_to_five_minutes_ahead_is_tolerated(check: Check) -> None:
    assert check(NOW + timedelta(minutes=1)) is None
    assert check(NOW + timedelta(minutes=5)) is None  # exactly at the tolerance: still fine


@pytest.mark.parametrize("check", [member, trusted])
def test_a_moment_beyond_five_minutes_ahead_is_a_future_timestamp_even_for_trusted_callers(
    check: Check,
) -> None:
    assert check(NOW + FUTURE_TOLERANCE + TICK) == FUTURE_TIMESTAMP
    assert check(NOW + timedelta(days=365)) == FUTURE_TIMESTAMP


def test_a_member_may_backdate_up_to_exactly_the_window() -> None:
    assert member(NOW - timedelta(hours=23)) is None
    assert member(NOW - DAY) is None  # exactly at the edge of the window: still fine


def test_a_member_backdating_beyond_the_window_is_rejected() -> None:
    assert member(NOW - DAY - TICK) == BACKDATED
    assert member(NOW - timedelta(days=2)) == BACKDATED


def test_the_member_window_is_whatever_the_program_configures() -> None:
    assert member(NOW - timedelta(hours=2), backdate=timedelta(hours=1)) == BACKDATED
    assert member(NOW - timedelta(days=6), backdate=timedelta(days=7)) is None


def test_with_a_zero_window_a_member_cannot_backdate_at_all() -> None:
    assert member(NOW, backdate=timedelta(0)) is None
    assert member(NOW - TICK, backdate=timedelta(0)) == BACKDATED
    assert member(NOW + timedelta(minutes=3), backdate=timedelta(0)) is None


def test_a_trusted_import_is_never_backdated() -> None:
    assert trusted(NOW - DAY - TICK) is None
    assert trusted(NOW - timedelta(days=3650)) is None
    assert trusted(NOW - timedelta(days=30), backdate=timedelta(0)) is None


def test_timing_compares_instants_whatever_zone_each_is_written_in() -> None:
    almost_a_day = (NOW - DAY).astimezone(ZoneInfo("Pacific/Kiritimati"))
    just_over = (NOW - DAY - TICK).astimezone(ZoneInfo("Pacific/Pago_Pago"))
    ahead = (NOW + FUTURE_TOLERANCE).astimezone(ZoneInfo("America/New_York"))
    assert member(almost_a_day) is None
    assert member(just_over) == BACKDATED
    assert member(ahead) is None
    assert member(ahead + TICK) == FUTURE_TIMESTAMP


def test_the_future_tolerance_holds_in_the_repeated_hour_of_the_program_zone() -> None:
    paris = ZoneInfo("Europe/Paris")
    now = datetime(2026, 10, 25, 2, 58, tzinfo=paris, fold=0)  # 00:58 UTC, summer time
    occurred = datetime(2026, 10, 25, 2, 50, tzinfo=paris, fold=1)  # 01:50 UTC, winter time
    assert occurred.astimezone(UTC) - now.astimezone(UTC) == timedelta(minutes=52)
    verdict = check_timing(occurred, now, trusted=True, member_backdate=DAY)
    assert verdict == FUTURE_TIMESTAMP


@fast
@given(
    offset=st.timedeltas(min_value=timedelta(days=-400), max_value=timedelta(days=2)),
    backdate=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
    is_trusted=st.booleans(),
)
def test_a_timestamp_is_judged_by_its_distance_from_now_alone(
    offset: timedelta, backdate: timedelta, is_trusted: bool
) -> None:
    verdict = check_timing(NOW + offset, NOW, trusted=is_trusted, member_backdate=backdate)
    if offset > FUTURE_TOLERANCE:
        assert verdict == FUTURE_TIMESTAMP
    elif not is_trusted and offset < -backdate:
        assert verdict == BACKDATED
    else:
        assert verdict is None


@fast
@given(
    offset=st.timedeltas(min_value=timedelta(days=-10_000), max_value=FUTURE_TOLERANCE),
    backdate=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
)
def test_trusted_callers_are_never_told_backdated(offset: timedelta, backdate: timedelta) -> None:
    assert check_timing(NOW + offset, NOW, trusted=True, member_backdate=backdate) is None
