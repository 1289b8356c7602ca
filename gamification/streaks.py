"""Streaks: runs of consecutive active days in the program time zone, and the freezes that
keep one alive over a missed day.

A member's streak is kept as the run that ends on their last active day plus the longest run
ever, updated per new active day (`extend`, or `advance` with freezes). A day that arrives out
of order (a backdated interaction) can join two runs, so it needs the member's days (`from_days`,
`rebuilt`).

Freezes (Duolingo's "streak freeze") protect the any-action streak:
- the program's `FreezePolicy` grants one for every `earn_every_days` days the run grows, never
  past `max_held`; an admin can grant more (`grant`), within the same cap;
- a missed day uses one automatically: the days between the last active day and today are
  covered by as many freezes as the member holds. A frozen day keeps the streak but does not
  add to it (the run counts active days only). When the freezes run out before the gap does,
  the streak breaks, and the freezes spent on the gap stay spent (as the member was shown them
  go, one each midnight);
- a streak whose run is 0 while it has a last active day was found broken when an admin granted
  freezes (`grant` settles it): nothing is left to protect, so no freeze is used for it.

Freezes are used lazily: what a member sees today (`Streak.current`, `Streak.freezes_left`) is
derived from the stored streak and today's date, and the pipeline records the used freezes (the
frozen days, `Step.frozen`) when the next active day arrives. So a day rolling over, which already
ends a cached answer, is all it takes for a freeze to be seen used; nothing has to run at midnight.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)
# Bounds an admin may set (and grant): a freeze per day at most, a year's worth held at most.
MAX_EARN_EVERY_DAYS = 3650
MAX_HELD = 365


@dataclass(frozen=True)
class FreezePolicy:
    """One freeze for every `earn_every_days` days of streak (0: none earned), at most
    `max_held` held at once (grants included)."""

    earn_every_days: int = 0
    max_held: int = 0

    def earned(self, before_run: int, after_run: int) -> int:
        """Freezes earned as a run grows from `before_run` to `after_run` days: one per
        multiple of `earn_every_days` reached on the way."""
        every = self.earn_every_days
        if every <= 0 or after_run <= before_run:
            return 0
        return after_run // every - max(before_run, 0) // every

    def capped(self, held: int, more: int) -> int:
        """`held` plus `more`, never past `max_held`; what is held already is never taken away
        (the cap may have been lowered since)."""
        return max(held, min(self.max_held, held + max(more, 0)))


NO_FREEZES = FreezePolicy()


def policy_errors(policy: FreezePolicy) -> list[tuple[str, str]]:
    """(field, message) for each invalid part of `policy`; empty when valid."""
    errors = []
    if not 0 <= policy.earn_every_days <= MAX_EARN_EVERY_DAYS:
        errors.append(("earnEveryDays", f"must be between 0 and {MAX_EARN_EVERY_DAYS}"))
    if not 0 <= policy.max_held <= MAX_HELD:
        errors.append(("maxHeld", f"must be between 0 and {MAX_HELD}"))
    return errors


@dataclass(frozen=True)
class Streak:
    run: int = 0  # consecutive active days ending on last_active_on (frozen days bridge it)
    longest: int = 0
    last_active_on: date | None = None
    freezes: int = 0  # held as of last_active_on (plus grants since); none used after it yet

    def missed(self, today: date) -> int:
        """Whole days missed since the last active day, today not included (it may still come)."""
        if self.last_active_on is None:
            return 0
        return max(0, (today - self.last_active_on).days - 1)

    def freezes_used(self, today: date) -> int:
        """Freezes the missed days have used by `today` (a broken run has nothing to protect)."""
        if self.run <= 0:
            return 0
        return min(self.missed(today), self.freezes)

    def freezes_left(self, today: date) -> int:
        """What the member holds today: used freezes are gone at the end of each missed day."""
        return self.freezes - self.freezes_used(today)

    def current(self, today: date) -> int:
        """Consecutive days ending today or yesterday, or kept by freezes over the missed days;
        0 once a missed day found no freeze."""
        if self.last_active_on is None or self.missed(today) > self.freezes:
            return 0
        return self.run


@dataclass(frozen=True)
class Step:
    """A streak after a new active day (or a grant): the days freezes covered on the way (to be
    stored), and how many freezes were earned (or granted)."""

    streak: Streak
    frozen: tuple[date, ...] = ()
    earned: int = 0


def advance(streak: Streak, day: date, policy: FreezePolicy = NO_FREEZES) -> Step | None:
    """The streak after a new active day on or after the last one; None when `day` is earlier
    (then rebuild it with `rebuilt`). The missed days in between use the freezes held, first;
    then the grown run earns new ones under `policy`."""
    last = streak.last_active_on
    if last is None:
        earned = policy.earned(0, 1)
        held = policy.capped(streak.freezes, earned)
        return Step(Streak(1, max(streak.longest, 1), day, held), (), held - streak.freezes)
    if day < last:
        return None
    if day == last:
        return Step(streak)
    gap = (day - last).days - 1
    used = min(gap, streak.freezes) if streak.run > 0 else 0
    frozen = tuple(last + ONE_DAY * (offset + 1) for offset in range(used))
    kept = gap == used and streak.run > 0
    before_run = streak.run if kept else 0
    run = before_run + 1
    left = streak.freezes - used
    held = policy.capped(left, policy.earned(before_run, run))
    after = Streak(run, max(streak.longest, run), day, held)
    return Step(after, frozen, held - left)


def extend(streak: Streak, day: date) -> Streak | None:
    """The streak after a new active day on or after the last one, without freezes; None when
    `day` is earlier (then rebuild it with `from_days`)."""
    step = advance(replace(streak, freezes=0) if streak.freezes else streak, day)
    return None if step is None else step.streak


def grant(streak: Streak, today: date, count: int, policy: FreezePolicy) -> Step:
    """An admin grants `count` freezes on `today`, within `policy.max_held`.

    The freezes the missed days have used by today stay used, and are not given back: a
    streak that they kept alive keeps them pending (`advance` records them with the next
    active day, as it would have); a streak already broken is settled here (its spent freezes
    become frozen days now, its run 0) so that the new freezes protect the days to come, not
    the ones already lost. `Step.earned` is how many were added."""
    used = streak.freezes_used(today)
    if streak.last_active_on is not None and streak.run > 0 and streak.missed(today) > used:
        last = streak.last_active_on
        frozen = tuple(last + ONE_DAY * (offset + 1) for offset in range(used))
        settled = Streak(0, streak.longest, last, 0)
        after = replace(settled, freezes=policy.capped(0, count))
        return Step(after, frozen, after.freezes)
    left = streak.freezes - used
    added = policy.capped(left, count) - left
    return Step(replace(streak, freezes=streak.freezes + added), (), added)


def from_days(days: Iterable[date], frozen: Iterable[date] = ()) -> Streak:
    """The streak of a set of active days (any order, duplicates allowed), with the `frozen`
    days bridging the runs they sit in without adding to them. Holds no freezes."""
    active = set(days)
    if not active:
        return Streak()
    last = max(active)
    covered = active | {day for day in frozen if day < last}  # later ones change nothing
    run = longest = 0
    previous: date | None = None  # the last day covered, active or frozen
    for day in sorted(covered):
        joined = previous is not None and day - previous == ONE_DAY
        if day in active:
            run = run + 1 if joined else 1
            longest = max(longest, run)
        elif not joined:
            run = 0  # a frozen day after a missed one keeps nothing alive
        previous = day
    return Streak(run, longest, last)


def rebuilt(before: Streak, days: Iterable[date], frozen: Iterable[date] = ()) -> Streak:
    """The streak after an out-of-order day, from every active and frozen day: the freezes
    held stay as they were, and a run settled as broken (0, `grant`) stays broken, since the
    day came before the last one."""
    streak = replace(from_days(days, frozen), freezes=before.freezes)
    if before.run == 0 and before.last_active_on is not None:
        streak = replace(streak, run=0)
    return streak


def longest_run(days: Iterable[date]) -> int:
    return from_days(days).longest
