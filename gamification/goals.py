"""Goals: what a badge or challenge asks of a member, and how far along they are.

A goal is a metric (what to count), an optional action (whose interactions) and a target.
Progress never scans history: badges read whole-history running totals (`Totals`), and a
challenge keeps a small state per goal (`GoalState`) that each fact inside its window advances.
A fact only moves the goals whose trigger (`Goal.trigger`) it names (`triggers_of`), which is
what lets the engine look up the few goals an interaction can move.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property

from gamification.actions import ACTION_KEY, Problem
from gamification.streaks import longest_run

MAX_GOALS = 10
MAX_TARGET = 1_000_000_000
NO_ACTION = ""  # the trigger action of goals without one


class Metric(StrEnum):
    ACTION_COUNT = "ACTION_COUNT"
    ACTIVE_DAYS = "ACTIVE_DAYS"
    STREAK_DAYS = "STREAK_DAYS"
    POINTS_EARNED = "POINTS_EARNED"
    REFERRALS_CONVERTED = "REFERRALS_CONVERTED"
    CONTENT_APPROVED = "CONTENT_APPROVED"


# Metrics that count days, and those that take an action (optional for the day metrics).
DAY_METRICS = frozenset({Metric.ACTIVE_DAYS, Metric.STREAK_DAYS})
ACTION_METRICS = frozenset({Metric.ACTION_COUNT}) | DAY_METRICS


@dataclass(frozen=True)
class Goal:
    metric: Metric
    action: str | None
    target: int

    def __post_init__(self) -> None:
        # "" and None both mean "no action": one spelling, so equal goals compare equal.
        if self.action == "":
            object.__setattr__(self, "action", None)

    @property
    def trigger(self) -> tuple[Metric, str]:
        """The index key of this goal: facts naming it can move it."""
        return (self.metric, self.action or NO_ACTION)

    def as_json(self) -> dict[str, object]:
        return {"metric": self.metric.value, "action": self.action, "target": self.target}

    @classmethod
    def from_json(cls, raw: Mapping[str, object]) -> Goal:
        action = raw.get("action")
        return cls(
            Metric(str(raw["metric"])), str(action) if action else None, int(str(raw["target"]))
        )


def goals_from_json(raw: object) -> tuple[Goal, ...]:
    return tuple(Goal.from_json(item) for item in raw) if isinstance(raw, list) else ()


def validate_goals(goals: Sequence[Goal], path: tuple[str, ...]) -> list[Problem]:
    problems: list[Problem] = []
    if len(goals) > MAX_GOALS:
        problems.append(Problem(path, f"at most {MAX_GOALS} goals"))
    seen: set[tuple[Metric, str]] = set()
    for index, goal in enumerate(goals):
        here = (*path, str(index))
        if not 1 <= goal.target <= MAX_TARGET:
            problems.append(Problem((*here, "target"), f"target must be 1 to {MAX_TARGET}"))
        if goal.metric is Metric.ACTION_COUNT and not goal.action:
            problems.append(Problem((*here, "action"), "ACTION_COUNT needs an action"))
        if goal.metric not in ACTION_METRICS and goal.action:
            problems.append(
                Problem((*here, "action"), f"{goal.metric.value} does not take an action")
            )
        # A key of the right shape but too long is left to the lookup, which answers NOT_FOUND
        # as for any action that is not defined (`domain.goals.goal_actions`).
        if goal.action and not ACTION_KEY.fullmatch(goal.action):
            problems.append(Problem((*here, "action"), "action must be an action key"))
        if goal.trigger in seen:
            problems.append(Problem(here, "the same metric and action appear twice"))
        seen.add(goal.trigger)
    return problems


# --- facts --------------------------------------------------------------------------------------


class FactKind(StrEnum):
    INTERACTION = "INTERACTION"  # an awarded interaction
    POINTS = "POINTS"  # points credited (earned)
    REFERRAL_CONVERTED = "REFERRAL_CONVERTED"
    CONTENT_APPROVED = "CONTENT_APPROVED"


@dataclass(frozen=True)
class Fact:
    """Something that happened to a member that goals count. `day` is the calendar day of `at`
    in the program time zone (`gamification.periods.local_date`)."""

    kind: FactKind
    at: datetime
    day: date
    action: str | None = None
    amount: int = 1

    @cached_property
    def triggers(self) -> frozenset[tuple[Metric, str]]:
        """The goal index keys the fact can move: worked out once per fact, as the award
        chain asks it of every goal of every badge and challenge the fact reaches."""
        if self.kind is FactKind.INTERACTION:
            action = self.action or NO_ACTION
            return frozenset(
                {
                    (Metric.ACTION_COUNT, action),
                    (Metric.ACTIVE_DAYS, action),
                    (Metric.STREAK_DAYS, action),
                    (Metric.ACTIVE_DAYS, NO_ACTION),
                    (Metric.STREAK_DAYS, NO_ACTION),
                }
            )
        if self.kind is FactKind.POINTS:
            return frozenset({(Metric.POINTS_EARNED, NO_ACTION)})
        if self.kind is FactKind.REFERRAL_CONVERTED:
            return frozenset({(Metric.REFERRALS_CONVERTED, NO_ACTION)})
        return frozenset({(Metric.CONTENT_APPROVED, NO_ACTION)})


def triggers_of(fact: Fact) -> frozenset[tuple[Metric, str]]:
    """The goal index keys a fact can move."""
    return fact.triggers


def moves(goal: Goal, fact: Fact) -> bool:
    return goal.trigger in triggers_of(fact)


# --- whole-history progress (badges) ------------------------------------------------------------


@dataclass(frozen=True)
class ActionTotals:
    """Running totals for one action (or any action): see `domain.models.ActivityStats`."""

    interactions: int = 0
    active_days: int = 0
    longest_streak: int = 0


@dataclass(frozen=True)
class Totals:
    """A member's whole-history counters. `actions` is keyed by action, NO_ACTION for any."""

    actions: Mapping[str, ActionTotals] = field(default_factory=dict)
    points_earned: int = 0
    referrals_converted: int = 0
    content_approved: int = 0


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    current: int

    @property
    def completed(self) -> bool:
        return self.current >= self.goal.target

    @property
    def capped(self) -> int:
        """Progress counted toward a score: never more than the target."""
        return min(self.current, self.goal.target)


def current_from_totals(goal: Goal, totals: Totals) -> int:
    if goal.metric is Metric.POINTS_EARNED:
        return totals.points_earned
    if goal.metric is Metric.REFERRALS_CONVERTED:
        return totals.referrals_converted
    if goal.metric is Metric.CONTENT_APPROVED:
        return totals.content_approved
    action = totals.actions.get(goal.action or NO_ACTION, ActionTotals())
    if goal.metric is Metric.ACTION_COUNT:
        return action.interactions
    if goal.metric is Metric.ACTIVE_DAYS:
        return action.active_days
    return action.longest_streak


def progress_from_totals(goals: Sequence[Goal], totals: Totals) -> list[GoalProgress]:
    return [GoalProgress(goal, current_from_totals(goal, totals)) for goal in goals]


def all_completed(progress: Sequence[GoalProgress]) -> bool:
    """Every goal met. No goals is never met: such badges are only awarded by hand or by a
    challenge."""
    return bool(progress) and all(p.completed for p in progress)


def goals_met(goals: Sequence[Goal], totals: Totals) -> bool:
    """`all_completed(progress_from_totals(goals, totals))` without building the progress: the
    award chain asks it of every unearned badge a fact moves, so it stops at the first goal
    short of its target."""
    return bool(goals) and all(current_from_totals(goal, totals) >= goal.target for goal in goals)


def score(progress: Sequence[GoalProgress]) -> int:
    """A challenge's leaderboard score: summed progress, each goal capped at its target."""
    return sum(p.capped for p in progress)


def score_and_completion(goals: Sequence[Goal], states: Sequence[GoalState]) -> tuple[int, bool]:
    """`score(progress)` and `all_completed(progress)` of the states, without building the
    progress: the award chain asks it of every challenge row each fact moves."""
    total, completed = 0, bool(goals)
    for goal, state in zip(goals, states, strict=True):
        current = current_from_state(goal, state)
        total += min(current, goal.target)
        completed = completed and current >= goal.target
    return total, completed


# --- windowed progress (challenges) -------------------------------------------------------------

# A count for counting metrics; the sorted ISO days seen for day metrics.
GoalState = int | list[str]


def initial_state(goal: Goal) -> GoalState:
    return [] if goal.metric in DAY_METRICS else 0


def advance(goal: Goal, state: GoalState, fact: Fact) -> GoalState:
    """The goal's state after a fact that counts for it (in the window, after enrolment).

    Day sets make the result independent of the order facts arrive in: a late, backdated
    interaction lands on its own day.
    """
    if not moves(goal, fact):
        return state
    if goal.metric in DAY_METRICS:
        days = state if isinstance(state, list) else []
        day = fact.day.isoformat()
        return days if day in days else sorted([*days, day])
    count = state if isinstance(state, int) else 0
    return count + (fact.amount if fact.kind is FactKind.POINTS else 1)


def current_from_state(goal: Goal, state: GoalState) -> int:
    if isinstance(state, int):
        return state
    if goal.metric is Metric.ACTIVE_DAYS:
        return len(state)
    return longest_run(date.fromisoformat(day) for day in state)


def states_from_json(goals: Sequence[Goal], raw: object) -> list[GoalState]:
    """Stored states, realigned to `goals` (a missing or malformed one starts afresh). Stored
    days come back sorted and distinct, as `advance` keeps them."""
    stored = raw if isinstance(raw, list) else []
    states: list[GoalState] = []
    for index, goal in enumerate(goals):
        value = stored[index] if index < len(stored) else None
        if goal.metric in DAY_METRICS:
            states.append(_days_from_json(value))
        else:
            count = value if isinstance(value, int) and not isinstance(value, bool) else 0
            states.append(max(count, 0))
    return states


def _days_from_json(value: object) -> list[str]:
    """A stored day set: a list of ISO days, or malformed (then empty)."""
    if not isinstance(value, list):
        return []
    try:
        days = {date.fromisoformat(day).isoformat() for day in value}
    except (TypeError, ValueError):
        return []
    return sorted(days)


def progress_from_states(goals: Sequence[Goal], states: Sequence[GoalState]) -> list[GoalProgress]:
    return [
        GoalProgress(goal, current_from_state(goal, state))
        for goal, state in zip(goals, states, strict=True)
    ]


def index_by_trigger(
    owners: Mapping[str, Sequence[Goal]],
) -> dict[tuple[Metric, str], frozenset[str]]:
    """Which owners (badges or challenges, by key) have a goal on each trigger: the index that
    lets a fact find the few goals it can move."""
    index: dict[tuple[Metric, str], set[str]] = {}
    for owner, goals in owners.items():
        for goal in goals:
            index.setdefault(goal.trigger, set()).add(owner)
    return {trigger: frozenset(keys) for trigger, keys in index.items()}


# Per trigger: the owners' smallest targets on it, ascending, and the owners in that order.
TargetIndex = Mapping[tuple[Metric, str], tuple[tuple[int, ...], tuple[str, ...]]]


def index_by_target(
    owners: Mapping[str, Sequence[Goal]],
) -> dict[tuple[Metric, str], tuple[tuple[int, ...], tuple[str, ...]]]:
    """For each trigger, every owner with a goal on it, by the smallest such target: what
    `within_reach` bisects."""
    smallest: dict[tuple[Metric, str], dict[str, int]] = {}
    for owner, goals in owners.items():
        for goal in goals:
            targets = smallest.setdefault(goal.trigger, {})
            targets[owner] = min(targets.get(owner, goal.target), goal.target)
    index = {}
    for trigger, targets in smallest.items():
        ordered = sorted((target, owner) for owner, target in targets.items())
        index[trigger] = (
            tuple(target for target, _ in ordered),
            tuple(owner for _, owner in ordered),
        )
    return index


def within_reach(index: TargetIndex, fact: Fact, totals: Totals) -> set[str]:
    """The owners in `index` whose goal on one of `fact`'s triggers the totals have reached.
    Every owner a fact moves whose goals are all met is among them (a met owner has met its
    goal on the trigger the fact moved), so only these need `goals_met`: a busy program's
    badges with targets far ahead cost a bisection, not an evaluation each."""
    found: set[str] = set()
    for trigger in fact.triggers:
        entry = index.get(trigger)
        if entry is None:
            continue
        targets, owners = entry
        metric, action = trigger
        current = current_from_totals(Goal(metric, action or None, 0), totals)
        found.update(owners[: bisect_right(targets, current)])
    return found


def moved_by(index: Mapping[tuple[Metric, str], frozenset[str]], fact: Fact) -> set[str]:
    """The owners in `index` with a goal that `fact` can move."""
    moved: set[str] = set()
    for trigger in triggers_of(fact):
        moved |= index.get(trigger, frozenset())
    return moved
