"""Specification of points expiry (`gamification.expiry`).

Credits left unspent for N days expire. Spending consumes the oldest credits first, so the
balance is a list of lots dated at their credit; a refund is a new lot dated at the refund.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.expiry import EXPIRY, Entry, Lot, due, expires_at, lots, next_expiry

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
NOW = T0 + 400 * DAY

fast = settings(max_examples=50, deadline=None)

credits = st.builds(
    Entry,
    amount=st.integers(min_value=1, max_value=500),
    at=st.integers(min_value=0, max_value=500).map(lambda d: T0 + d * DAY),
    reason=st.sampled_from(["ACTION", "BONUS", "REVERSAL", "ADJUSTMENT"]),
)
debits = st.builds(
    Entry,
    amount=st.integers(min_value=-800, max_value=-1),
    at=st.just(T0),
    reason=st.sampled_from(["REDEMPTION", "ADJUSTMENT", "REVERSAL", EXPIRY]),
)
ledgers = st.lists(credits | debits, max_size=20)
days_ = st.integers(min_value=1, max_value=400)
moments = st.integers(min_value=0, max_value=1_000).map(lambda d: T0 + d * DAY)


def balance(entries: list[Entry]) -> int:
    return sum(entry.amount for entry in entries)


def spendable(entries: list[Entry]) -> list[Entry]:
    """The entries with every debit trimmed to the balance, as the domain layer guarantees."""
    kept: list[Entry] = []
    for entry in entries:
        amount = max(entry.amount, -balance(kept))
        kept.append(Entry(amount, entry.at, entry.reason))
    return kept


# --- lots -----------------------------------------------------------------------------------------


def test_without_entries_there_are_no_lots() -> None:
    assert lots([]) == []


def test_each_credit_is_a_lot_dated_when_it_was_credited() -> None:
    entries = [Entry(100, T0, "ACTION"), Entry(50, T0 + DAY, "BONUS")]
    assert lots(entries) == [Lot(100, T0), Lot(50, T0 + DAY)]


def test_plain_tuples_are_entries_too() -> None:
    assert lots([(100, T0, "ACTION")]) == [Lot(100, T0)]


def test_spending_consumes_the_oldest_credits_first() -> None:
    entries = [
        Entry(100, T0, "ACTION"),
        Entry(50, T0 + DAY, "ACTION"),
        Entry(30, T0 + 2 * DAY, "ACTION"),
        Entry(-120, T0 + 3 * DAY, "REDEMPTION"),
    ]
    assert lots(entries) == [Lot(30, T0 + DAY), Lot(30, T0 + 2 * DAY)]


def test_a_backdated_credit_is_spent_among_its_peers_by_date() -> None:
    entries = [
        Entry(100, T0 + 5 * DAY, "ACTION"),
        Entry(40, T0 + DAY, "ACTION"),  # an import recorded later, dated earlier
        Entry(-50, T0 + 6 * DAY, "REDEMPTION"),
    ]
    assert lots(entries) == [Lot(90, T0 + 5 * DAY)]


def test_a_debit_only_consumes_lots_credited_before_it_in_the_ledger() -> None:
    entries = [
        Entry(100, T0 + 5 * DAY, "ACTION"),
        Entry(-100, T0 + 6 * DAY, "REDEMPTION"),
        Entry(40, T0 + DAY, "ACTION"),  # backdated, but recorded after the spend
    ]
    assert lots(entries) == [Lot(40, T0 + DAY)]


def test_a_refunded_redemption_comes_back_as_a_new_lot_dated_at_the_refund() -> None:
    entries = [
        Entry(100, T0, "ACTION"),
        Entry(-100, T0 + DAY, "REDEMPTION"),
        Entry(100, T0 + 10 * DAY, "REVERSAL"),
    ]
    assert lots(entries) == [Lot(100, T0 + 10 * DAY)]


def test_an_overdraft_is_paid_off_by_later_credits_before_they_form_lots() -> None:
    entries = [Entry(50, T0, "ACTION"), Entry(-80, T0, "ADJUSTMENT"), Entry(100, T0, "ACTION")]
    assert lots(entries) == [Lot(70, T0)]
    assert lots(entries[:2]) == []


def test_empty_entries_change_nothing() -> None:
    assert lots([Entry(10, T0, "ACTION"), Entry(0, T0, "ADJUSTMENT")]) == [Lot(10, T0)]


def test_lots_refuse_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        lots([Entry(1, T0, "ACTION"), Entry(1, datetime(2026, 1, 1), "ACTION")])


@fast
@given(entries=ledgers)
def test_lots_are_positive_oldest_first_and_add_up_to_a_non_negative_balance(
    entries: list[Entry],
) -> None:
    remaining = lots(entries)
    assert all(lot.amount > 0 for lot in remaining)
    assert [lot.at for lot in remaining] == sorted(lot.at for lot in remaining)
    assert sum(lot.amount for lot in remaining) == max(balance(entries), 0)


@fast
@given(entries=ledgers)
def test_when_debits_never_overdraw_the_lots_add_up_to_the_balance(entries: list[Entry]) -> None:
    kept = spendable(entries)
    assert balance(kept) >= 0
    assert sum(lot.amount for lot in lots(kept)) == balance(kept)


@fast
@given(
    amounts=st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=15),
    spent=st.integers(min_value=0, max_value=1_500),
)
def test_what_remains_after_a_spend_is_the_newest_credits(amounts: list[int], spent: int) -> None:
    entries = [Entry(a, T0 + i * DAY, "ACTION") for i, a in enumerate(amounts)]
    spent = min(spent, sum(amounts))
    remaining = lots([*entries, Entry(-spent, NOW, "REDEMPTION")])
    # Whole credits from the newest back, the oldest surviving one possibly cut.
    expected: list[Lot] = []
    left = sum(amounts) - spent
    for i, amount in reversed(list(enumerate(amounts))):
        if left == 0:
            break
        expected.insert(0, Lot(min(amount, left), T0 + i * DAY))
        left -= min(amount, left)
    assert remaining == expected


# --- due ------------------------------------------------------------------------------------------


def test_expiry_is_off_unless_configured() -> None:
    old = [Lot(100, T0)]
    assert due(old, NOW, None) == 0
    assert next_expiry(old, T0, None) is None


def test_a_lot_expires_exactly_n_days_after_its_credit() -> None:
    lot = Lot(100, T0)
    assert expires_at(lot, 30) == T0 + 30 * DAY
    assert due([lot], T0 + 30 * DAY - timedelta(microseconds=1), 30) == 0
    assert due([lot], T0 + 30 * DAY, 30) == 100


def test_only_lots_old_enough_are_due() -> None:
    remaining = [Lot(30, T0), Lot(20, T0 + 5 * DAY), Lot(10, T0 + 40 * DAY)]
    assert due(remaining, T0 + 35 * DAY, 30) == 50


def test_days_are_elapsed_time_across_a_dst_change() -> None:
    paris = ZoneInfo("Europe/Paris")
    credited = datetime(2026, 3, 28, 12, 0, tzinfo=paris)  # 11:00 UTC, before the change
    lot = Lot(10, credited)
    assert expires_at(lot, 2) == datetime(2026, 3, 30, 11, 0, tzinfo=UTC)  # 13:00 in Paris
    assert due([lot], datetime(2026, 3, 30, 12, 30, tzinfo=paris), 2) == 0


def test_spent_points_never_expire() -> None:
    entries = [Entry(100, T0, "ACTION"), Entry(-100, T0 + DAY, "REDEMPTION")]
    assert due(lots(entries), NOW, 30) == 0


@fast
@given(entries=ledgers, now=moments, days=days_)
def test_expiring_never_takes_more_than_the_balance(
    entries: list[Entry], now: datetime, days: int
) -> None:
    kept = spendable(entries)
    expiring = due(lots(kept), now, days)
    assert 0 <= expiring <= balance(kept)
    assert balance([*kept, Entry(-expiring, now, EXPIRY)]) >= 0


@fast
@given(entries=ledgers, now=moments, days=days_)
def test_running_the_expiry_twice_expires_nothing_the_second_time(
    entries: list[Entry], now: datetime, days: int
) -> None:
    first = due(lots(entries), now, days)
    after = [*entries, Entry(-first, now, EXPIRY)]
    assert due(lots(after), now, days) == 0
    # And the lots that were not due are untouched.
    assert lots(after) == [lot for lot in lots(entries) if expires_at(lot, days) > now]


# --- next_expiry ----------------------------------------------------------------------------------


def test_the_next_expiry_is_the_earliest_future_one_with_its_amount() -> None:
    remaining = [Lot(30, T0), Lot(20, T0 + 5 * DAY), Lot(10, T0 + 9 * DAY)]
    assert next_expiry(remaining, T0 + DAY, 30) == (T0 + 30 * DAY, 30)


def test_lots_expiring_at_the_same_instant_are_grouped() -> None:
    remaining = [Lot(30, T0 + DAY), Lot(20, T0 + DAY), Lot(10, T0 + 2 * DAY)]
    assert next_expiry(remaining, T0, 30) == (T0 + 31 * DAY, 50)


def test_lots_already_due_are_left_to_the_expiry_job() -> None:
    remaining = [Lot(30, T0), Lot(20, T0 + 5 * DAY)]
    assert next_expiry(remaining, T0 + 30 * DAY, 30) == (T0 + 35 * DAY, 20)
    assert next_expiry(remaining, T0 + 35 * DAY, 30) is None


def test_nothing_expires_without_lots() -> None:
    assert next_expiry([], T0, 30) is None


@fast
@given(entries=ledgers, now=moments, days=days_)
def test_at_the_next_expiry_at_least_its_amount_is_due(
    entries: list[Entry], now: datetime, days: int
) -> None:
    remaining = lots(entries)
    upcoming = next_expiry(remaining, now, days)
    if upcoming is None:
        assert due(remaining, now + 10_000 * DAY, days) == due(remaining, now, days)
        return
    when, amount = upcoming
    assert when > now
    assert amount > 0
    assert due(remaining, when, days) == due(remaining, now, days) + amount
