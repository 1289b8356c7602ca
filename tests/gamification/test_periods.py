"""Specification of calendar periods in the program time zone (`gamification.periods`).

Every rule that asks "which day / week / month is this?" gets its answer from `period_window`, so
these tests pin down the answer to the second: windows are half-open, start at local midnight,
follow ISO weeks, and tile time without gaps or overlaps across DST changes and odd offsets.

Bounds are compared as instants (converted to UTC): Python compares datetimes that share a tzinfo
by wall clock, which is not what "the same instant" means around a DST change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.periods import Period, Window, local_date, period_window

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")  # UTC+14, the first place on Earth to see a new day
PAGO_PAGO = ZoneInfo("Pacific/Pago_Pago")  # UTC-11, among the last
SANTIAGO = ZoneInfo("America/Santiago")  # springs forward at midnight: some days have no 00:00
APIA = ZoneInfo("Pacific/Apia")  # skipped 2011-12-30 entirely when it crossed the date line

CALENDAR = [Period.DAY, Period.WEEK, Period.MONTH]

# Zones where local midnight always exists, so a window starts at 00:00 on the wall clock.
MIDNIGHT_ZONES = [
    "UTC",
    "Europe/Paris",
    "America/New_York",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Apia",
]
ALL_ZONES = [*MIDNIGHT_ZONES, "America/Santiago"]

instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2060, 12, 31), timezones=st.just(UTC)
)
any_zone = st.sampled_from(ALL_ZONES).map(ZoneInfo)
midnight_zone = st.sampled_from(MIDNIGHT_ZONES).map(ZoneInfo)
calendar_period = st.sampled_from(CALENDAR)
fast = settings(max_examples=60, deadline=None)


def utc(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment.astimezone(UTC)


def length(window: Window) -> timedelta:
    return utc(window.end) - utc(window.start)


# --- properties -----------------------------------------------------------------------------------


@fast
@given(period=calendar_period, moment=instants, tz=any_zone)
def test_every_moment_lies_inside_its_own_period_window(
    period: Period, moment: datetime, tz: ZoneInfo
) -> None:
    window = period_window(period, moment, tz)
    assert utc(window.start) <= moment < utc(window.end)
    assert window.contains(moment)
    assert window.period is period


@fast
@given(period=calendar_period, moment=instants, tz=any_zone)
def test_consecutive_windows_tile_time_without_gap_or_overlap(
    period: Period, moment: datetime, tz: ZoneInfo
) -> None:
    window = period_window(period, moment, tz)
    following = period_window(period, utc(window.end), tz)
    preceding = period_window(period, utc(window.start) - timedelta(microseconds=1), tz)
    assert utc(following.start) == utc(window.end)
    assert utc(preceding.end) == utc(window.start)
    assert preceding.key < window.key < following.key


@fast
@given(period=calendar_period, moment=instants, tz=any_zone)
def test_a_window_is_half_open_so_its_end_belongs_to_the_next_period(
    period: Period, moment: datetime, tz: ZoneInfo
) -> None:
    window = period_window(period, moment, tz)
    assert window.contains(utc(window.start))
    assert not window.contains(utc(window.start) - timedelta(microseconds=1))
    assert window.contains(utc(window.end) - timedelta(microseconds=1))
    assert not window.contains(utc(window.end))


@fast
@given(period=calendar_period, moment=instants, tz=midnight_zone)
def test_a_window_starts_and_ends_at_local_midnight(
    period: Period, moment: datetime, tz: ZoneInfo
) -> None:
    window = period_window(period, moment, tz)
    start = utc(window.start).astimezone(tz)
    end = utc(window.end).astimezone(tz)
    assert start.time() == time(0)
    assert end.time() == time(0)


@fast
@given(moment=instants, tz=midnight_zone)
def test_a_week_starts_on_a_local_monday(moment: datetime, tz: ZoneInfo) -> None:
    window = period_window(Period.WEEK, moment, tz)
    start = utc(window.start).astimezone(tz)
    end = utc(window.end).astimezone(tz)
    assert start.weekday() == 0
    assert end.date() - start.date() == timedelta(days=7)


@fast
@given(moment=instants, tz=midnight_zone)
def test_a_month_starts_on_the_local_first_of_the_month(moment: datetime, tz: ZoneInfo) -> None:
    window = period_window(Period.MONTH, moment, tz)
    start = utc(window.start).astimezone(tz)
    end = utc(window.end).astimezone(tz)
    assert start.day == 1
    assert end.day == 1
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == 1


@fast
@given(period=calendar_period, moment=instants, tz=any_zone)
def test_a_window_starts_at_the_first_instant_of_its_local_day(
    period: Period, moment: datetime, tz: ZoneInfo
) -> None:
    window = period_window(period, moment, tz)
    first = utc(window.start)
    assert local_date(first - timedelta(microseconds=1), tz) < local_date(first, tz)


@fast
@given(moment=instants, tz=any_zone)
def test_period_keys_name_the_local_calendar_day_iso_week_and_month(
    moment: datetime, tz: ZoneInfo
) -> None:
    day = moment.astimezone(tz).date()
    iso = day.isocalendar()
    assert period_window(Period.DAY, moment, tz).key == day.isoformat()
    assert period_window(Period.WEEK, moment, tz).key == f"{iso.year}-W{iso.week:02d}"
    assert period_window(Period.MONTH, moment, tz).key == f"{day.year}-{day.month:02d}"


@fast
@given(
    period=calendar_period,
    moment=instants,
    apart=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=70)),
    tz=any_zone,
)
def test_two_moments_share_a_period_exactly_when_they_share_its_key(
    period: Period, moment: datetime, apart: timedelta, tz: ZoneInfo
) -> None:
    first = period_window(period, moment, tz)
    second = period_window(period, moment + apart, tz)
    same_window = utc(first.start) == utc(second.start) and utc(first.end) == utc(second.end)
    assert (first.key == second.key) == same_window
    assert (first.key == second.key) == first.contains(moment + apart)
    assert first.key <= second.key  # keys sort in time order


@fast
@given(
    period=calendar_period,
    moment=instants,
    shown_in=st.sampled_from(["UTC", "Asia/Tokyo", "America/Los_Angeles", "Europe/Paris"]),
    tz=any_zone,
)
def test_the_window_depends_on_the_instant_not_the_zone_it_is_written_in(
    period: Period, moment: datetime, shown_in: str, tz: ZoneInfo
) -> None:
    as_utc = period_window(period, moment, tz)
    elsewhere = period_window(period, moment.astimezone(ZoneInfo(shown_in)), tz)
    assert elsewhere.key == as_utc.key
    assert utc(elsewhere.start) == utc(as_utc.start)
    assert utc(elsewhere.end) == utc(as_utc.end)


@fast
@given(moment=instants)
def test_in_utc_days_last_24_hours_weeks_7_days_and_months_their_calendar_length(
    moment: datetime,
) -> None:
    tz = ZoneInfo("UTC")
    assert length(period_window(Period.DAY, moment, tz)) == timedelta(hours=24)
    assert length(period_window(Period.WEEK, moment, tz)) == timedelta(days=7)
    month = period_window(Period.MONTH, moment, tz)
    assert utc(month.start).date() == moment.date().replace(day=1)
    assert length(month) in {timedelta(days=n) for n in (28, 29, 30, 31)}


# --- local midnight, not UTC ----------------------------------------------------------------------


def test_a_daily_limit_resets_at_local_midnight_not_utc() -> None:
    before = datetime(2026, 6, 15, 21, 59, 59, tzinfo=UTC)  # 23:59:59 in Paris (UTC+2)
    after = datetime(2026, 6, 15, 22, 0, tzinfo=UTC)  # 00:00 on the 16th in Paris
    assert period_window(Period.DAY, before, PARIS).key == "2026-06-15"
    assert period_window(Period.DAY, after, PARIS).key == "2026-06-16"
    assert utc(period_window(Period.DAY, after, PARIS).start) == after


def test_local_date_is_the_calendar_day_in_the_program_zone() -> None:
    moment = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
    assert local_date(moment, ZoneInfo("UTC")) == date(2026, 1, 1)
    assert local_date(moment, NEW_YORK) == date(2025, 12, 31)
    assert local_date(moment, KIRITIMATI) == date(2026, 1, 1)


def test_naive_datetimes_are_refused_because_they_name_no_instant() -> None:
    naive = datetime(2026, 3, 29, 12, 0)
    with pytest.raises(ValueError, match="naive"):
        local_date(naive, PARIS)
    for period in CALENDAR:
        with pytest.raises(ValueError, match="naive"):
            period_window(period, naive, PARIS)


def test_the_lifetime_period_is_one_unbounded_window_containing_every_moment() -> None:
    window = period_window(Period.LIFETIME, datetime(2026, 3, 29, tzinfo=UTC), PARIS)
    assert window == Window(Period.LIFETIME, "lifetime", None, None)
    assert window.contains(datetime(1, 1, 1, tzinfo=UTC))
    assert window.contains(datetime(9999, 12, 31, 23, 59, tzinfo=UTC))
    later = period_window(Period.LIFETIME, datetime(2099, 1, 1, tzinfo=UTC), KIRITIMATI)
    assert later.key == window.key


# --- DST: days of 23 and 25 hours -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "start", "end", "hours"),
    [
        # Paris springs forward on 2026-03-29 (02:00 -> 03:00) and falls back on 2026-10-25.
        (PARIS, date(2026, 3, 29), datetime(2026, 3, 28, 23), datetime(2026, 3, 29, 22), 23),
        (PARIS, date(2026, 10, 25), datetime(2026, 10, 24, 22), datetime(2026, 10, 25, 23), 25),
        # New York springs forward on 2026-03-08 and falls back on 2026-11-01.
        (NEW_YORK, date(2026, 3, 8), datetime(2026, 3, 8, 5), datetime(2026, 3, 9, 4), 23),
        (NEW_YORK, date(2026, 11, 1), datetime(2026, 11, 1, 4), datetime(2026, 11, 2, 5), 25),
    ],
    ids=["paris-spring", "paris-autumn", "new-york-spring", "new-york-autumn"],
)
def test_a_dst_change_makes_the_day_23_or_25_hours_long_rather_than_moving_midnight(
    tz: ZoneInfo, day: date, start: datetime, end: datetime, hours: int
) -> None:
    noon = datetime.combine(day, time(12), tzinfo=tz)
    window = period_window(Period.DAY, noon, tz)
    assert window.key == day.isoformat()
    assert utc(window.start) == start.replace(tzinfo=UTC)
    assert utc(window.end) == end.replace(tzinfo=UTC)
    assert length(window) == timedelta(hours=hours)


def test_the_hour_that_does_not_exist_in_paris_is_simply_missing_from_the_day() -> None:
    before_gap = datetime(2026, 3, 29, 1, 59, 59, tzinfo=PARIS)  # 00:59:59 UTC
    after_gap = datetime(2026, 3, 29, 3, 0, tzinfo=PARIS)  # 01:00 UTC, one second later
    assert utc(after_gap) - utc(before_gap) == timedelta(seconds=1)
    for moment in (before_gap, after_gap):
        assert period_window(Period.DAY, moment, PARIS).key == "2026-03-29"


def test_both_occurrences_of_the_repeated_hour_belong_to_the_same_day() -> None:
    first = datetime(2026, 10, 25, 2, 30, tzinfo=PARIS, fold=0)  # 00:30 UTC, summer time
    second = datetime(2026, 10, 25, 2, 30, tzinfo=PARIS, fold=1)  # 01:30 UTC, winter time
    assert utc(second) - utc(first) == timedelta(hours=1)
    window = period_window(Period.DAY, second, PARIS)
    assert window.key == "2026-10-25"
    assert window.contains(first)
    assert window.contains(second)
    assert window.contains(utc(first))
    assert window.contains(utc(second))


def test_a_week_holding_a_spring_forward_is_one_hour_short() -> None:
    window = period_window(Period.WEEK, datetime(2026, 3, 25, 12, tzinfo=UTC), PARIS)
    assert window.key == "2026-W13"
    assert utc(window.start) == datetime(2026, 3, 22, 23, tzinfo=UTC)  # Monday 23 March, 00:00
    assert utc(window.end) == datetime(2026, 3, 29, 22, tzinfo=UTC)  # Monday 30 March, 00:00
    assert length(window) == timedelta(days=7, hours=-1)


def test_a_month_holding_a_fall_back_is_one_hour_longer() -> None:
    window = period_window(Period.MONTH, datetime(2026, 11, 15, tzinfo=UTC), NEW_YORK)
    assert window.key == "2026-11"
    assert utc(window.start) == datetime(2026, 11, 1, 4, tzinfo=UTC)
    assert utc(window.end) == datetime(2026, 12, 1, 5, tzinfo=UTC)
    assert length(window) == timedelta(days=30, hours=1)


def test_when_local_midnight_does_not_exist_the_day_starts_at_its_first_real_instant() -> None:
    # Santiago springs forward at 24:00 on 2026-09-05: the clock goes from 23:59:59 to 01:00.
    window = period_window(Period.DAY, datetime(2026, 9, 6, 12, tzinfo=UTC), SANTIAGO)
    assert window.key == "2026-09-06"
    assert utc(window.start) == datetime(2026, 9, 6, 4, tzinfo=UTC)
    assert utc(window.start).astimezone(SANTIAGO).time() == time(1)
    previous = period_window(Period.DAY, datetime(2026, 9, 5, 12, tzinfo=UTC), SANTIAGO)
    assert utc(previous.end) == utc(window.start)
    assert length(window) == timedelta(hours=23)


def test_a_day_the_zone_skipped_entirely_leaves_no_gap_between_its_neighbours() -> None:
    # Samoa jumped from 2011-12-29 24:00 (UTC-10) straight to 2011-12-31 00:00 (UTC+14).
    thursday = period_window(Period.DAY, datetime(2011, 12, 29, 12, tzinfo=UTC), APIA)
    saturday = period_window(Period.DAY, datetime(2011, 12, 30, 12, tzinfo=UTC), APIA)
    assert thursday.key == "2011-12-29"
    assert saturday.key == "2011-12-31"
    assert utc(thursday.end) == utc(saturday.start) == datetime(2011, 12, 30, 10, tzinfo=UTC)


# --- far east, far west, year and month boundaries ------------------------------------------------


def test_kiritimati_at_utc_plus_14_is_already_in_next_year_on_utc_new_years_eve() -> None:
    moment = datetime(2026, 12, 31, 10, 0, tzinfo=UTC)  # 2027-01-01 00:00 in Kiritimati
    day = period_window(Period.DAY, moment, KIRITIMATI)
    month = period_window(Period.MONTH, moment, KIRITIMATI)
    week = period_window(Period.WEEK, moment, KIRITIMATI)
    assert day.key == "2027-01-01"
    assert utc(day.start) == moment
    assert month.key == "2027-01"
    assert utc(month.start) == moment
    assert week.key == "2026-W53"  # Friday 1 January 2027 ends ISO week 53 of 2026
    assert period_window(Period.DAY, moment - timedelta(seconds=1), KIRITIMATI).key == "2026-12-31"


def test_pago_pago_at_utc_minus_11_is_still_in_last_year_on_utc_new_years_day() -> None:
    moment = datetime(2026, 1, 1, 10, 59, tzinfo=UTC)  # 2025-12-31 23:59 in Pago Pago
    assert period_window(Period.DAY, moment, PAGO_PAGO).key == "2025-12-31"
    assert period_window(Period.MONTH, moment, PAGO_PAGO).key == "2025-12"
    assert period_window(Period.WEEK, moment, PAGO_PAGO).key == "2026-W01"
    month = period_window(Period.MONTH, moment, PAGO_PAGO)
    assert utc(month.end) == datetime(2026, 1, 1, 11, tzinfo=UTC)
    assert period_window(Period.MONTH, utc(month.end), PAGO_PAGO).key == "2026-01"


def test_the_same_instant_falls_on_different_days_across_the_date_line() -> None:
    moment = datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert period_window(Period.DAY, moment, KIRITIMATI).key == "2026-07-02"
    assert period_window(Period.DAY, moment, PAGO_PAGO).key == "2026-07-01"


def test_february_of_a_leap_year_holds_its_29th_day() -> None:
    tz = ZoneInfo("UTC")
    leap_day = datetime(2028, 2, 29, 12, tzinfo=UTC)
    assert period_window(Period.DAY, leap_day, tz).key == "2028-02-29"
    month = period_window(Period.MONTH, leap_day, tz)
    assert month.key == "2028-02"
    assert utc(month.start) == datetime(2028, 2, 1, tzinfo=UTC)
    assert utc(month.end) == datetime(2028, 3, 1, tzinfo=UTC)
    assert length(month) == timedelta(days=29)
    week = period_window(Period.WEEK, leap_day, tz)
    assert week.key == "2028-W09"
    assert utc(week.start) == datetime(2028, 2, 28, tzinfo=UTC)
    following = period_window(Period.DAY, leap_day + timedelta(days=1), tz)
    assert following.key == "2028-03-01"


def test_february_of_a_common_year_has_28_days() -> None:
    month = period_window(Period.MONTH, datetime(2026, 2, 14, tzinfo=UTC), ZoneInfo("UTC"))
    assert length(month) == timedelta(days=28)


def test_december_ends_where_january_of_the_next_year_begins() -> None:
    december = period_window(Period.MONTH, datetime(2026, 12, 31, 12, tzinfo=UTC), PARIS)
    assert december.key == "2026-12"
    january = period_window(Period.MONTH, utc(december.end), PARIS)
    assert january.key == "2027-01"
    assert utc(december.end) == utc(january.start) == datetime(2026, 12, 31, 23, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "key", "monday"),
    [
        (date(2024, 12, 30), "2025-W01", date(2024, 12, 30)),  # a Monday of 2024 in 2025's week 1
        (date(2025, 1, 5), "2025-W01", date(2024, 12, 30)),
        (date(2026, 12, 31), "2026-W53", date(2026, 12, 28)),  # 2026 has 53 ISO weeks
        (date(2027, 1, 3), "2026-W53", date(2026, 12, 28)),  # a Sunday of 2027 in 2026's week 53
        (date(2027, 1, 4), "2027-W01", date(2027, 1, 4)),
        (date(2021, 1, 1), "2020-W53", date(2020, 12, 28)),
    ],
)
def test_iso_weeks_spanning_new_year_are_named_after_their_iso_year(
    day: date, key: str, monday: date
) -> None:
    window = period_window(Period.WEEK, datetime.combine(day, time(12), tzinfo=PARIS), PARIS)
    assert window.key == key
    assert window.start == datetime.combine(monday, time(0), tzinfo=PARIS)
    assert utc(window.end) - utc(window.start) == timedelta(days=7)


def test_week_keys_are_zero_padded_so_they_sort_in_time_order() -> None:
    early = period_window(Period.WEEK, datetime(2026, 1, 5, tzinfo=UTC), ZoneInfo("UTC"))
    later = period_window(Period.WEEK, datetime(2026, 3, 2, tzinfo=UTC), ZoneInfo("UTC"))
    assert early.key == "2026-W02"
    assert later.key == "2026-W10"
    assert early.key < later.key
