"""Specification of the dates the program can use (`gamification.moments`).

An instant needs a UTC offset, and instants and days must fall within years 1970 to 8999 (UTC):
everything else is refused with a reason, never read in the host's time zone and never left to
overflow further on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.moments import (
    EARLIEST,
    END,
    MomentError,
    checked_day,
    checked_moment,
    parse_day,
    parse_moment,
)

fast = settings(max_examples=200, deadline=None)
offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
naive = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30))


@fast
@given(moment=naive, offset=offsets)
def test_an_instant_is_kept_exactly_when_it_falls_within_the_supported_years(moment, offset):
    aware = moment.replace(tzinfo=offset)
    inside = EARLIEST <= aware.astimezone(UTC) < END
    if inside:
        assert checked_moment(aware) == aware and checked_moment(aware).tzinfo is offset
        assert parse_moment(aware.isoformat()) == aware
    else:
        with pytest.raises(MomentError, match="out of range: years 1970 to 8999"):
            checked_moment(aware)


@fast
@given(moment=naive)
def test_an_instant_without_a_utc_offset_is_refused_whatever_it_says(moment):
    with pytest.raises(MomentError, match="needs a UTC offset"):
        checked_moment(moment)
    with pytest.raises(MomentError, match=r"needs a UTC offset|out of range"):
        parse_moment(moment.isoformat())


def test_the_range_is_inclusive_of_its_first_instant_and_exclusive_of_its_end():
    assert checked_moment(EARLIEST) == EARLIEST
    assert checked_moment(END - timedelta(microseconds=1))
    for refused in (EARLIEST - timedelta(microseconds=1), END):
        with pytest.raises(MomentError):
            checked_moment(refused)


def test_an_instant_that_overflows_when_taken_to_utc_is_out_of_range_not_a_crash():
    with pytest.raises(MomentError, match="out of range"):
        parse_moment("0001-01-01T00:00:00+01:00")
    with pytest.raises(MomentError, match="out of range"):
        parse_moment("9999-12-31T23:59:59-01:00")


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-01T00:00:00Z", "2026-11-22T25:00Z"])
def test_what_is_not_a_date_time_says_so(text):
    with pytest.raises(MomentError, match="not an ISO 8601 date-time"):
        parse_moment(text)


@fast
@given(day=st.dates())
def test_a_day_is_kept_exactly_when_its_year_is_supported(day):
    if 1970 <= day.year <= 8999:
        assert checked_day(day) == day == parse_day(day.isoformat())
    else:
        with pytest.raises(MomentError, match="out of range"):
            checked_day(day)


def test_a_day_that_is_not_one_says_what_is_expected():
    for text in ("yesterday", "2026-02-30", "0000-01-01"):
        with pytest.raises(MomentError, match="expected YYYY-MM-DD"):
            parse_day(text)
    assert parse_day("1970-01-01") == date(1970, 1, 1)
