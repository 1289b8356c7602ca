"""Points expiry: credits left unspent for N days expire, and spending uses the oldest first.

Off unless the program configures N (`days` None below means off). The balance is kept as lots:
every positive ledger entry adds a lot dated at its `at`, and every negative one (redemption,
expiry, negative adjustment, reversal of a credit) consumes the lots with the earliest `at`
first. A reversed redemption therefore comes back as a new lot dated at the refund, with its
N days starting afresh, rather than reviving the lots it once consumed.

Entries are taken in ledger order (the order they moved the balance); `at` only dates the lots.
A backdated credit joins the lots in date order, so it is spent (and expires) among its peers.
A debit larger than every lot leaves a deficit that later credits pay off before they form lots,
so the lots always add up to the balance whenever the balance is not negative.

The expiry job appends `Entry(-due(...), now, "EXPIRY")`. Due lots are the oldest ones, which is
exactly what that debit consumes, so running the job twice expires nothing the second time.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

EXPIRY = "EXPIRY"


class Entry(NamedTuple):
    """A ledger entry: credits positive, debits negative. Plain (amount, at, reason) tuples do."""

    amount: int
    at: datetime
    reason: str


@dataclass(frozen=True)
class Lot:
    """Points of one credit still unspent, dated when they were credited."""

    amount: int
    at: datetime


def lots(entries: Iterable[tuple[int, datetime, str]]) -> list[Lot]:
    """The unspent lots after the entries, oldest first, each with a positive amount."""
    remaining: list[Lot] = []
    deficit = 0
    for amount, at, _reason in entries:
        if amount > 0:
            paid = min(amount, deficit)
            deficit -= paid
            if amount > paid:
                lot = Lot(amount - paid, at)
                # After every lot of the same date: FIFO within a date is ledger order.
                index = bisect.bisect_right(remaining, _utc(at), key=_utc_at)
                remaining.insert(index, lot)
        elif amount < 0:
            owed = -amount
            while owed and remaining:
                oldest = remaining[0]
                if oldest.amount <= owed:
                    owed -= oldest.amount
                    remaining.pop(0)
                else:
                    remaining[0] = Lot(oldest.amount - owed, oldest.at)
                    owed = 0
            deficit += owed
    return remaining


def expires_at(lot: Lot, days: int) -> datetime:
    """When a lot expires: `days` of elapsed time after it was credited, in UTC."""
    return _utc(lot.at) + timedelta(days=days)


def due(lots: Sequence[Lot], now: datetime, days: int | None) -> int:
    """Points to expire now: the lots whose expiry is at or before `now`; 0 when expiry is off."""
    if days is None:
        return 0
    moment = _utc(now)
    return sum(lot.amount for lot in lots if expires_at(lot, days) <= moment)


def next_expiry(
    lots: Sequence[Lot], now: datetime, days: int | None
) -> tuple[datetime, int] | None:
    """The earliest expiry after `now` and the points expiring at exactly that instant (lots of
    the same `at` expire together), or None when nothing is left to expire or expiry is off.

    Lots already due are left out: the expiry job takes them, not a future date.
    """
    if days is None:
        return None
    moment = _utc(now)
    upcoming = [(expires_at(lot, days), lot.amount) for lot in lots]
    future = [(when, amount) for when, amount in upcoming if when > moment]
    if not future:
        return None
    earliest = min(when for when, _ in future)
    return earliest, sum(amount for when, amount in future if when == earliest)


def _utc_at(lot: Lot) -> datetime:
    return _utc(lot.at)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
    return moment.astimezone(UTC)
