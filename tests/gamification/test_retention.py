"""Specification of how long raw interactions are kept for the rules that read them
(`gamification.retention`), and of the oldest moment an interaction may then claim
(`gamification.timing` with `oldest`).

An action's interactions are kept for the longer of the retention and what its own rules reach
back (with the members' backdating window and a day of slack), so a member's interaction is
never decided on missing rows; an import may not date one before what its rules can still read.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.periods import Period
from gamification.retention import (
    MIN_RETENTION_DAYS,
    PERIOD_REACH,
    SLACK,
    counts_whole_history,
    kept_for,
    lookback,
    oldest_decidable,
)
from gamification.timing import BACKDATED, check_timing

NOW = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)

fast = settings(max_examples=200, deadline=None)


def test_a_rule_reaches_back_as_far_as_its_longest_window():
    assert lookback([], 0) == timedelta(0)
    assert lookback([Period.DAY], 0) == timedelta(hours=25)  # a day lasts 25 h across DST
    assert lookback([Period.DAY, Period.MONTH], 60) == timedelta(days=31, hours=1)
    assert lookback([Period.WEEK], 200 * 86400) == timedelta(days=200)
    # LIFETIME is no window: those actions keep their awarded interactions for good.
    assert lookback([Period.LIFETIME], 0) == timedelta(0)
    assert counts_whole_history([Period.DAY, Period.LIFETIME])
    assert not counts_whole_history([Period.DAY, Period.WEEK, Period.MONTH])


def test_the_retention_is_kept_unless_a_rule_needs_longer():
    assert kept_for(100 * DAY, PERIOD_REACH[Period.MONTH], DAY) == 100 * DAY
    reach = timedelta(days=200)
    assert kept_for(100 * DAY, reach, DAY) == reach + DAY + SLACK


def test_the_shortest_retention_covers_the_insight_window_and_a_month():
    shortest = MIN_RETENTION_DAYS * DAY
    assert shortest >= timedelta(days=91) + DAY
    assert shortest >= PERIOD_REACH[Period.MONTH] + DAY + SLACK


reaches = st.sampled_from([timedelta(0), *PERIOD_REACH.values()]) | st.timedeltas(
    min_value=timedelta(0), max_value=timedelta(days=366)
)
retentions = st.integers(min_value=MIN_RETENTION_DAYS, max_value=3650).map(lambda d: d * DAY)
backdates = st.integers(min_value=0, max_value=24 * 365).map(lambda h: timedelta(hours=h))


@fast
@given(retentions, reaches, backdates)
def test_a_member_may_always_date_an_interaction_as_far_back_as_before(kept, reach, backdate):
    assert oldest_decidable(NOW, kept, reach, backdate) <= NOW - backdate


@fast
@given(retentions, reaches, backdates)
def test_what_an_accepted_interaction_reads_is_still_held_a_day_later(kept, reach, backdate):
    oldest = oldest_decidable(NOW, kept, reach, backdate)
    deleted_before = (NOW + SLACK) - kept_for(kept, reach, backdate)
    assert oldest - reach >= deleted_before


def test_an_import_dated_before_what_its_rules_can_read_is_backdated():
    oldest = oldest_decidable(NOW, 100 * DAY, PERIOD_REACH[Period.DAY], DAY)
    assert oldest == NOW - 100 * DAY + PERIOD_REACH[Period.DAY] + SLACK
    before = oldest - timedelta(seconds=1)
    assert check_timing(before, NOW, trusted=True, member_backdate=DAY, oldest=oldest) == BACKDATED
    assert check_timing(oldest, NOW, trusted=True, member_backdate=DAY, oldest=oldest) is None
    # Without retention, imports backdate freely as before.
    assert check_timing(NOW - 1000 * DAY, NOW, trusted=True, member_backdate=DAY) is None
