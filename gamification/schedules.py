"""Points schedules: an action worth less the more often a member does it in a period.

"The first review of the month earns 100, the 2nd to 5th 50 each, any later one 10" is
`Schedule(Period.MONTH, (Step(1, 100), Step(5, 50), Step(None, 10)))`. Periods are the calendar
periods of limits (`gamification.periods`), so a schedule and a limit on the same period count
the same interactions: the domain layer passes `nth = awarded_in_period + 1`, where
`awarded_in_period` is what it already counts for `check_limits`.
"""

from __future__ import annotations

from dataclasses import dataclass

from gamification.actions import MAX_POINTS, Problem
from gamification.periods import Period

MAX_STEPS = 20
MAX_UP_TO = 1_000_000  # the largest limit max: a step beyond it could never be reached


@dataclass(frozen=True)
class Step:
    """Points for every award up to the `up_to`-th (inclusive) in the period; None: all later."""

    up_to: int | None
    points: int


@dataclass(frozen=True)
class Schedule:
    period: Period
    steps: tuple[Step, ...]


def points_for(schedule: Schedule, nth: int) -> int:
    """The points of the `nth` (1-based) award of the action to one member in the period.

    The first step whose `up_to` is None or at least `nth`. A schedule that fails validation by
    ending on a bounded step keeps paying its last step's points; one without steps pays 0.
    """
    if nth < 1:
        raise ValueError("nth counts awards from 1")
    for step in schedule.steps:
        if step.up_to is None or nth <= step.up_to:
            return step.points
    return schedule.steps[-1].points if schedule.steps else 0


def validate_schedule(
    schedule: Schedule, path: tuple[str, ...] = ("input", "schedule")
) -> list[Problem]:
    """Every problem with a schedule, each at `path` + the field at fault, e.g.
    ("input", "schedule", "steps", "1", "upTo").

    1 to 20 steps; each but the last with an `up_to` of 1 to a million, greater than the one
    before; the last with none; points 0 to a million.
    """
    steps_path = (*path, "steps")
    if not 1 <= len(schedule.steps) <= MAX_STEPS:
        return [Problem(steps_path, f"a schedule has 1 to {MAX_STEPS} steps")]
    problems: list[Problem] = []
    previous = 0
    last = len(schedule.steps) - 1
    for index, step in enumerate(schedule.steps):
        step_path = (*steps_path, str(index))
        if index == last:
            if step.up_to is not None:
                problems.append(
                    Problem(
                        (*step_path, "upTo"),
                        "the last step has no upTo: it pays for every later award",
                    )
                )
        elif step.up_to is None:
            problems.append(Problem((*step_path, "upTo"), "only the last step may omit upTo"))
        elif not previous < step.up_to <= MAX_UP_TO:
            after = " (more than the step before)" if index else ""
            problems.append(
                Problem((*step_path, "upTo"), f"upTo must be {previous + 1} to {MAX_UP_TO}{after}")
            )
        else:
            previous = step.up_to
        if not 0 <= step.points <= MAX_POINTS:
            problems.append(Problem((*step_path, "points"), f"points must be 0 to {MAX_POINTS}"))
    return problems
