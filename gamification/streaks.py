"""Streaks: runs of consecutive active days in the program time zone.

A member's streak is kept as the run that ends on their last active day plus the longest run
ever, updated per new active day (`extend`). A day that arrives out of order (a backdated
interaction) can join two runs, so it needs the member's days (`from_days`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Streak:
    run: int = 0  # consecutive days ending on last_active_on
    longest: int = 0
    last_active_on: date | None = None

    def current(self, today: date) -> int:
        """Consecutive days ending today or yesterday; 0 once a whole day was missed."""
        if self.last_active_on is None or self.last_active_on < today - ONE_DAY:
            return 0
        return self.run


def extend(streak: Streak, day: date) -> Streak | None:
    """The streak after a new active day on or after the last one; None when `day` is earlier
    (then rebuild it with `from_days`)."""
    last = streak.last_active_on
    if last is None:
        return Streak(1, max(streak.longest, 1), day)
    if day < last:
        return None
    if day == last:
        return streak
    run = streak.run + 1 if day - last == ONE_DAY else 1
    return Streak(run, max(streak.longest, run), day)


def from_days(days: Iterable[date]) -> Streak:
    """The streak of a set of active days (any order, duplicates allowed)."""
    run = longest = 0
    previous: date | None = None
    for day in sorted(set(days)):
        run = run + 1 if previous is not None and day - previous == ONE_DAY else 1
        longest = max(longest, run)
        previous = day
    return Streak(run, longest, previous)


def longest_run(days: Iterable[date]) -> int:
    return from_days(days).longest
