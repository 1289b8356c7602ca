"""Specification of goals (`gamification.goals`).

A goal counts one metric, optionally for one action, up to a target. Badges read a member's
whole-history running totals (`progress_from_totals`); challenges keep a small state per goal
that each fact inside their window advances (`advance`). A fact only moves the goals whose trigger
it names (`triggers_of`). Day metrics count calendar days in the program time zone: a fact's
`day` is `gamification.periods.local_date` of its instant, so two interactions half an hour
apart either side of local midnight are two days, and an hour's difference in UTC is none.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import reduce
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.actions import MAX_KEY_LENGTH, Problem
from gamification.goals import (
    ACTION_METRICS,
    DAY_METRICS,
    MAX_GOALS,
    MAX_TARGET,
    NO_ACTION,
    ActionTotals,
    Fact,
    FactKind,
    Goal,
    GoalProgress,
    GoalState,
    Metric,
    Totals,
    advance,
    all_completed,
    current_from_state,
    current_from_totals,
    goals_from_json,
    goals_met,
    index_by_target,
    index_by_trigger,
    initial_state,
    moved_by,
    moves,
    progress_from_states,
    progress_from_totals,
    score,
    states_from_json,
    triggers_of,
    validate_goals,
    within_reach,
)
from gamification.periods import local_date
from gamification.streaks import longest_run

REVIEW = "review.posted"
PHOTO = "photo.shared"
PATH = ("input", "goals")
START = date(2026, 3, 1)

LOS_ANGELES = ZoneInfo("America/Los_Angeles")  # UTC-8 / UTC-7
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")  # UTC+14
BERLIN = ZoneInfo("Europe/Berlin")  # CET / CEST

fast = settings(max_examples=60, deadline=None)

COUNTING_METRICS = [m for m in Metric if m not in DAY_METRICS]
NO_ACTION_METRICS = [m for m in Metric if m not in ACTION_METRICS]
EVERY_GOAL = [
    Goal(Metric.ACTION_COUNT, REVIEW, 3),
    Goal(Metric.ACTIVE_DAYS, REVIEW, 3),
    Goal(Metric.ACTIVE_DAYS, None, 3),
    Goal(Metric.STREAK_DAYS, REVIEW, 3),
    Goal(Metric.STREAK_DAYS, None, 3),
    Goal(Metric.POINTS_EARNED, None, 300),
    Goal(Metric.REFERRALS_CONVERTED, None, 2),
    Goal(Metric.CONTENT_APPROVED, None, 2),
]


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def interaction(day: date | str, action: str | None = REVIEW) -> Fact:
    on = date.fromisoformat(day) if isinstance(day, str) else day
    return Fact(FactKind.INTERACTION, noon(on), on, action)


def fact(kind: FactKind, day: date | str = START, amount: int = 1) -> Fact:
    on = date.fromisoformat(day) if isinstance(day, str) else day
    return Fact(kind, noon(on), on, amount=amount)


def local_interaction(at: datetime, tz: ZoneInfo, action: str = REVIEW) -> Fact:
    """An interaction as the awarding code builds it: its day is the local day of its instant."""
    return Fact(FactKind.INTERACTION, at, local_date(at, tz), action)


def run_from(goal: Goal, state: GoalState, facts: Iterable[Fact]) -> GoalState:
    return reduce(lambda before, f: advance(goal, before, f), facts, state)


def run(goal: Goal, facts: Iterable[Fact]) -> GoalState:
    return run_from(goal, initial_state(goal), facts)


def reached(goal: Goal, facts: Iterable[Fact]) -> int:
    return current_from_state(goal, run(goal, facts))


def problems(*goals: Goal) -> list[Problem]:
    return validate_goals(goals, PATH)


def at(index: int, *field: str) -> tuple[str, ...]:
    return (*PATH, str(index), *field)


# --- validate_goals -------------------------------------------------------------------------------


def test_every_well_formed_kind_of_goal_is_valid() -> None:
    assert problems(*EVERY_GOAL) == []


def test_no_goals_are_valid_goals() -> None:
    # A badge without goals is only ever awarded by hand; challenges refuse it themselves.
    assert problems() == []


@pytest.mark.parametrize("target", [1, 2, MAX_TARGET])
def test_a_target_from_one_to_the_maximum_is_valid(target: int) -> None:
    assert problems(Goal(Metric.ACTION_COUNT, REVIEW, target)) == []


@pytest.mark.parametrize("target", [0, -1, MAX_TARGET + 1])
def test_a_target_outside_one_to_the_maximum_is_refused(target: int) -> None:
    assert problems(Goal(Metric.ACTION_COUNT, REVIEW, target)) == [
        Problem(at(0, "target"), f"target must be 1 to {MAX_TARGET}")
    ]


@pytest.mark.parametrize("action", [None, ""])
def test_an_action_count_needs_an_action(action: str | None) -> None:
    assert problems(Goal(Metric.ACTION_COUNT, action, 5)) == [
        Problem(at(0, "action"), "ACTION_COUNT needs an action")
    ]


@pytest.mark.parametrize("metric", NO_ACTION_METRICS)
def test_points_referral_and_content_goals_refuse_an_action(metric: Metric) -> None:
    assert problems(Goal(metric, REVIEW, 5)) == [
        Problem(at(0, "action"), f"{metric.value} does not take an action")
    ]


@pytest.mark.parametrize("metric", NO_ACTION_METRICS)
def test_an_empty_action_is_no_action(metric: Metric) -> None:
    assert problems(Goal(metric, "", 5)) == []


@pytest.mark.parametrize("metric", sorted(DAY_METRICS))
@pytest.mark.parametrize("action", [None, "", REVIEW])
def test_day_goals_take_an_action_or_none(metric: Metric, action: str | None) -> None:
    assert problems(Goal(metric, action, 5)) == []


@pytest.mark.parametrize(
    "action",
    [
        "Review.posted",
        "review posted",
        "review.",
        ".review",
        "review..posted",
        "1review",
        "review.1posted",
        "review-posted",
        "review.posted\n",
    ],
)
def test_an_action_that_is_not_an_action_key_is_refused(action: str) -> None:
    assert problems(Goal(Metric.ACTION_COUNT, action, 5)) == [
        Problem(at(0, "action"), "action must be an action key")
    ]


def test_the_longest_action_key_is_accepted() -> None:
    assert problems(Goal(Metric.ACTION_COUNT, "a" * MAX_KEY_LENGTH, 5)) == []


def test_a_key_too_long_for_any_action_is_left_to_the_lookup() -> None:
    """No action has it, so the lookup answers NOT_FOUND, as for any action not defined
    (an over-long key is not found, never malformed: README, "Keys")."""
    assert problems(Goal(Metric.ACTION_COUNT, "a" * (MAX_KEY_LENGTH + 1), 5)) == []


def test_an_action_key_is_checked_for_day_goals_too() -> None:
    assert problems(Goal(Metric.STREAK_DAYS, "Bad Key", 5)) == [
        Problem(at(0, "action"), "action must be an action key")
    ]


def test_the_same_metric_and_action_twice_is_refused_at_the_second() -> None:
    assert problems(
        Goal(Metric.ACTION_COUNT, REVIEW, 5),
        Goal(Metric.ACTION_COUNT, PHOTO, 5),
        Goal(Metric.ACTION_COUNT, REVIEW, 10),
    ) == [Problem(at(2), "the same metric and action appear twice")]


def test_no_action_and_an_empty_action_are_the_same_trigger() -> None:
    assert problems(Goal(Metric.ACTIVE_DAYS, None, 5), Goal(Metric.ACTIVE_DAYS, "", 6)) == [
        Problem(at(1), "the same metric and action appear twice")
    ]


def test_one_metric_for_several_actions_and_one_action_for_several_metrics_are_fine() -> None:
    assert (
        problems(
            Goal(Metric.ACTIVE_DAYS, REVIEW, 5),
            Goal(Metric.ACTIVE_DAYS, PHOTO, 5),
            Goal(Metric.ACTIVE_DAYS, None, 5),
            Goal(Metric.STREAK_DAYS, REVIEW, 5),
            Goal(Metric.ACTION_COUNT, REVIEW, 5),
        )
        == []
    )


def test_at_most_the_maximum_number_of_goals() -> None:
    goals = [Goal(Metric.ACTION_COUNT, f"action{i}", 1) for i in range(MAX_GOALS + 1)]
    assert problems(*goals[:MAX_GOALS]) == []
    assert problems(*goals) == [Problem(PATH, f"at most {MAX_GOALS} goals")]


def test_every_problem_of_a_goal_is_reported_with_its_field() -> None:
    assert problems(Goal(Metric.ACTION_COUNT, REVIEW, 1), Goal(Metric.POINTS_EARNED, "Bad", 0)) == [
        Problem(at(1, "target"), f"target must be 1 to {MAX_TARGET}"),
        Problem(at(1, "action"), "POINTS_EARNED does not take an action"),
        Problem(at(1, "action"), "action must be an action key"),
    ]


# --- json -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("goal", EVERY_GOAL)
def test_a_goal_survives_a_json_round_trip(goal: Goal) -> None:
    assert Goal.from_json(goal.as_json()) == goal
    assert goals_from_json([goal.as_json()]) == (goal,)


def test_a_goal_is_stored_as_plain_json() -> None:
    assert Goal(Metric.ACTION_COUNT, REVIEW, 3).as_json() == {
        "metric": "ACTION_COUNT",
        "action": REVIEW,
        "target": 3,
    }
    assert Goal(Metric.POINTS_EARNED, None, 300).as_json()["action"] is None


def test_a_stored_goal_reads_back_leniently() -> None:
    raw = {"metric": "ACTIVE_DAYS", "action": "", "target": "7"}
    assert Goal.from_json(raw) == Goal(Metric.ACTIVE_DAYS, None, 7)
    assert Goal.from_json({"metric": "POINTS_EARNED", "target": 5}) == Goal(
        Metric.POINTS_EARNED, None, 5
    )


def test_goals_of_a_list_in_order_and_nothing_from_anything_else() -> None:
    assert goals_from_json([g.as_json() for g in EVERY_GOAL]) == tuple(EVERY_GOAL)
    assert goals_from_json(None) == ()
    assert goals_from_json({"metric": "ACTIVE_DAYS"}) == ()
    assert goals_from_json([]) == ()


def test_an_unknown_metric_is_an_error() -> None:
    with pytest.raises(ValueError):
        Goal.from_json({"metric": "LIKES", "action": None, "target": 1})


# --- triggers -------------------------------------------------------------------------------------


def test_a_goal_is_indexed_by_its_metric_and_action() -> None:
    assert Goal(Metric.ACTION_COUNT, REVIEW, 3).trigger == (Metric.ACTION_COUNT, REVIEW)
    assert Goal(Metric.ACTIVE_DAYS, None, 3).trigger == (Metric.ACTIVE_DAYS, NO_ACTION)
    assert Goal(Metric.ACTIVE_DAYS, "", 3).trigger == (Metric.ACTIVE_DAYS, NO_ACTION)


def test_an_interaction_names_its_action_count_and_its_and_any_actions_days() -> None:
    assert triggers_of(interaction(START)) == {
        (Metric.ACTION_COUNT, REVIEW),
        (Metric.ACTIVE_DAYS, REVIEW),
        (Metric.STREAK_DAYS, REVIEW),
        (Metric.ACTIVE_DAYS, NO_ACTION),
        (Metric.STREAK_DAYS, NO_ACTION),
    }


def test_an_interaction_names_no_other_action_and_no_other_metric() -> None:
    triggers = triggers_of(interaction(START))
    assert (Metric.ACTION_COUNT, PHOTO) not in triggers
    assert (Metric.ACTION_COUNT, NO_ACTION) not in triggers
    assert {metric for metric, _ in triggers} == {
        Metric.ACTION_COUNT,
        Metric.ACTIVE_DAYS,
        Metric.STREAK_DAYS,
    }


@pytest.mark.parametrize(
    ("kind", "trigger"),
    [
        (FactKind.POINTS, (Metric.POINTS_EARNED, NO_ACTION)),
        (FactKind.REFERRAL_CONVERTED, (Metric.REFERRALS_CONVERTED, NO_ACTION)),
        (FactKind.CONTENT_APPROVED, (Metric.CONTENT_APPROVED, NO_ACTION)),
    ],
)
def test_other_facts_name_exactly_their_own_metric(
    kind: FactKind, trigger: tuple[Metric, str]
) -> None:
    assert triggers_of(fact(kind, amount=50)) == {trigger}


@pytest.mark.parametrize("goal", EVERY_GOAL)
@pytest.mark.parametrize(
    "moving",
    [
        interaction(START),
        interaction(START, PHOTO),
        fact(FactKind.POINTS, amount=40),
        fact(FactKind.REFERRAL_CONVERTED),
        fact(FactKind.CONTENT_APPROVED),
    ],
)
def test_a_fact_moves_exactly_the_goals_whose_trigger_it_names(goal: Goal, moving: Fact) -> None:
    assert moves(goal, moving) == (goal.trigger in triggers_of(moving))


def test_every_trigger_a_valid_goal_can_have_is_named_by_some_fact() -> None:
    facts = [
        interaction(START),
        fact(FactKind.POINTS),
        fact(FactKind.REFERRAL_CONVERTED),
        fact(FactKind.CONTENT_APPROVED),
    ]
    named = set().union(*(triggers_of(f) for f in facts))
    assert all(goal.trigger in named for goal in EVERY_GOAL)


# --- advance: counting metrics --------------------------------------------------------------------


def test_counting_goals_start_at_zero_and_day_goals_at_no_days() -> None:
    for goal in EVERY_GOAL:
        assert initial_state(goal) == ([] if goal.metric in DAY_METRICS else 0)


def test_an_action_count_counts_each_interaction_of_its_action_once() -> None:
    goal = Goal(Metric.ACTION_COUNT, REVIEW, 3)
    facts = [interaction(START), interaction(START), interaction(START + timedelta(days=3))]
    assert run(goal, facts) == 3


def test_an_action_count_counts_interactions_not_their_amount() -> None:
    goal = Goal(Metric.ACTION_COUNT, REVIEW, 3)
    weighty = Fact(FactKind.INTERACTION, noon(START), START, REVIEW, amount=50)
    assert advance(goal, 0, weighty) == 1


def test_points_earned_adds_up_the_amounts() -> None:
    goal = Goal(Metric.POINTS_EARNED, None, 300)
    facts = [fact(FactKind.POINTS, amount=100), fact(FactKind.POINTS, amount=25)]
    assert run(goal, facts) == 125
    assert advance(goal, 125, fact(FactKind.POINTS, amount=1_000)) == 1_125


@pytest.mark.parametrize(
    ("metric", "kind"),
    [
        (Metric.REFERRALS_CONVERTED, FactKind.REFERRAL_CONVERTED),
        (Metric.CONTENT_APPROVED, FactKind.CONTENT_APPROVED),
    ],
)
def test_referrals_and_approved_content_count_one_each(metric: Metric, kind: FactKind) -> None:
    goal = Goal(metric, None, 2)
    assert run(goal, [fact(kind), fact(kind, amount=5), fact(kind)]) == 3


def test_a_counting_state_is_its_current_progress() -> None:
    for goal in EVERY_GOAL:
        if goal.metric not in DAY_METRICS:
            assert current_from_state(goal, 7) == 7


@fast
@given(amounts=st.lists(st.integers(min_value=1, max_value=10_000), max_size=20))
def test_points_earned_is_the_sum_of_the_points_facts(amounts: list[int]) -> None:
    goal = Goal(Metric.POINTS_EARNED, None, 1)
    assert run(goal, [fact(FactKind.POINTS, amount=a) for a in amounts]) == sum(amounts)


# --- advance: day metrics -------------------------------------------------------------------------


def test_active_days_keeps_the_sorted_distinct_days() -> None:
    goal = Goal(Metric.ACTIVE_DAYS, REVIEW, 3)
    state = run(goal, [interaction(d) for d in ("2026-03-05", "2026-03-01", "2026-03-05")])
    assert state == ["2026-03-01", "2026-03-05"]
    assert current_from_state(goal, state) == 2


def test_many_interactions_on_one_day_are_one_active_day() -> None:
    goal = Goal(Metric.ACTIVE_DAYS, REVIEW, 3)
    assert reached(goal, [interaction(START)] * 5) == 1


def test_a_day_already_counted_leaves_the_state_as_it_is() -> None:
    goal = Goal(Metric.STREAK_DAYS, None, 3)
    state = run(goal, [interaction("2026-03-01"), interaction("2026-03-02")])
    assert advance(goal, state, interaction("2026-03-02", PHOTO)) == state


def test_advancing_a_day_state_never_changes_the_state_it_was_given() -> None:
    goal = Goal(Metric.ACTIVE_DAYS, None, 3)
    state: GoalState = ["2026-03-01"]
    after = advance(goal, state, interaction("2026-03-02"))
    assert state == ["2026-03-01"]
    assert after == ["2026-03-01", "2026-03-02"]


def test_streak_days_is_the_longest_run_of_consecutive_days() -> None:
    goal = Goal(Metric.STREAK_DAYS, REVIEW, 3)
    days = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-05", "2026-03-06"]
    assert reached(goal, [interaction(d) for d in days]) == 3


def test_streak_days_keeps_the_longest_run_after_the_streak_breaks() -> None:
    goal = Goal(Metric.STREAK_DAYS, REVIEW, 3)
    days = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-20"]
    assert reached(goal, [interaction(d) for d in days]) == 3


def test_a_backdated_day_can_join_two_runs() -> None:
    goal = Goal(Metric.STREAK_DAYS, None, 5)
    days = ["2026-03-01", "2026-03-02", "2026-03-04", "2026-03-05", "2026-03-03"]
    assert reached(goal, [interaction(d) for d in days]) == 5


def test_an_any_action_day_goal_counts_every_action() -> None:
    goal = Goal(Metric.ACTIVE_DAYS, None, 3)
    facts = [interaction("2026-03-01"), interaction("2026-03-02", PHOTO), interaction("2026-03-03")]
    assert reached(goal, facts) == 3
    assert reached(Goal(Metric.STREAK_DAYS, None, 3), facts) == 3


def test_a_day_goal_for_one_action_ignores_the_others() -> None:
    facts = [interaction("2026-03-01"), interaction("2026-03-02", PHOTO), interaction("2026-03-03")]
    assert reached(Goal(Metric.ACTIVE_DAYS, REVIEW, 3), facts) == 2
    assert reached(Goal(Metric.STREAK_DAYS, REVIEW, 3), facts) == 1


def test_day_goals_across_month_year_ends_and_a_leap_day() -> None:
    goal = Goal(Metric.STREAK_DAYS, None, 3)
    leap = ["2028-02-28", "2028-02-29", "2028-03-01"]
    assert reached(goal, [interaction(d) for d in leap]) == 3
    assert reached(goal, [interaction(d) for d in ("2026-12-31", "2027-01-01")]) == 2
    assert reached(goal, [interaction(d) for d in ("2027-02-28", "2027-03-01")]) == 2


def test_current_from_state_counts_distinct_days_or_the_longest_run() -> None:
    days: GoalState = ["2026-03-01", "2026-03-02", "2026-03-04"]
    assert current_from_state(Goal(Metric.ACTIVE_DAYS, None, 1), days) == 3
    assert current_from_state(Goal(Metric.STREAK_DAYS, None, 1), days) == 2
    assert current_from_state(Goal(Metric.ACTIVE_DAYS, None, 1), []) == 0
    assert current_from_state(Goal(Metric.STREAK_DAYS, None, 1), []) == 0


day_facts = st.lists(
    st.builds(
        interaction,
        st.integers(min_value=0, max_value=20).map(lambda n: START + timedelta(days=n)),
        st.sampled_from([REVIEW, PHOTO]),
    ),
    max_size=20,
)


@fast
@given(facts=day_facts, data=st.data())
def test_day_goals_do_not_depend_on_the_order_facts_arrive_in(
    facts: list[Fact], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(facts))
    for goal in EVERY_GOAL:
        assert run(goal, shuffled) == run(goal, facts)


@fast
@given(facts=day_facts, data=st.data())
def test_seeing_a_fact_twice_does_not_change_a_day_goal(
    facts: list[Fact], data: st.DataObject
) -> None:
    again = data.draw(st.lists(st.sampled_from(facts), max_size=10)) if facts else []
    for goal in EVERY_GOAL:
        if goal.metric in DAY_METRICS:
            assert run(goal, [*facts, *again]) == run(goal, facts)


@fast
@given(facts=day_facts)
def test_day_goal_progress_is_what_the_days_of_the_moving_facts_say(facts: list[Fact]) -> None:
    for action in (REVIEW, None):
        days = [f.day for f in facts if action is None or f.action == action]
        assert reached(Goal(Metric.ACTIVE_DAYS, action, 1), facts) == len(set(days))
        assert reached(Goal(Metric.STREAK_DAYS, action, 1), facts) == longest_run(days)
        state = run(Goal(Metric.ACTIVE_DAYS, action, 1), facts)
        assert state == sorted({d.isoformat() for d in days})


@fast
@given(facts=day_facts)
def test_an_action_count_counts_the_interactions_of_its_action(facts: list[Fact]) -> None:
    goal = Goal(Metric.ACTION_COUNT, REVIEW, 1)
    assert reached(goal, facts) == sum(1 for f in facts if f.action == REVIEW)


# --- facts that do not move a goal ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("goal", "state", "other"),
    [
        (Goal(Metric.ACTION_COUNT, REVIEW, 3), 2, interaction(START, PHOTO)),
        (Goal(Metric.ACTION_COUNT, REVIEW, 3), 2, fact(FactKind.POINTS, amount=100)),
        (Goal(Metric.ACTION_COUNT, REVIEW, 3), 2, fact(FactKind.CONTENT_APPROVED)),
        (Goal(Metric.ACTIVE_DAYS, REVIEW, 3), ["2026-02-27"], interaction(START, PHOTO)),
        (Goal(Metric.ACTIVE_DAYS, None, 3), ["2026-02-27"], fact(FactKind.POINTS, amount=5)),
        (Goal(Metric.STREAK_DAYS, REVIEW, 3), ["2026-02-28"], interaction(START, PHOTO)),
        (Goal(Metric.STREAK_DAYS, None, 3), ["2026-02-28"], fact(FactKind.REFERRAL_CONVERTED)),
        (Goal(Metric.POINTS_EARNED, None, 300), 40, interaction(START)),
        (Goal(Metric.POINTS_EARNED, None, 300), 40, fact(FactKind.REFERRAL_CONVERTED)),
        (Goal(Metric.REFERRALS_CONVERTED, None, 2), 1, fact(FactKind.CONTENT_APPROVED)),
        (Goal(Metric.REFERRALS_CONVERTED, None, 2), 1, fact(FactKind.POINTS, amount=9)),
        (Goal(Metric.CONTENT_APPROVED, None, 2), 1, fact(FactKind.REFERRAL_CONVERTED)),
        (Goal(Metric.CONTENT_APPROVED, None, 2), 1, interaction(START)),
    ],
)
def test_a_fact_that_does_not_name_a_goal_leaves_its_state_unchanged(
    goal: Goal, state: GoalState, other: Fact
) -> None:
    assert not moves(goal, other)
    assert advance(goal, state, other) == state


@fast
@given(facts=day_facts)
def test_points_referrals_and_content_never_move_on_interactions(facts: list[Fact]) -> None:
    for metric in NO_ACTION_METRICS:
        assert run(Goal(metric, None, 1), facts) == 0


# --- the program's calendar -----------------------------------------------------------------------


def days_of(facts: list[Fact]) -> tuple[int, int]:
    """(active days, streak days) of the facts, for any action."""
    return (
        reached(Goal(Metric.ACTIVE_DAYS, None, 1), facts),
        reached(Goal(Metric.STREAK_DAYS, None, 1), facts),
    )


@pytest.mark.parametrize(
    ("tz", "before_midnight"),
    [
        # 23:45 local on Jan 10, in UTC.
        (LOS_ANGELES, datetime(2026, 1, 11, 7, 45, tzinfo=UTC)),  # UTC-8: the UTC day is the next
        (KIRITIMATI, datetime(2026, 1, 10, 9, 45, tzinfo=UTC)),  # UTC+14: the UTC day is the same
        (ZoneInfo("UTC"), datetime(2026, 1, 10, 23, 45, tzinfo=UTC)),
        (BERLIN, datetime(2026, 3, 28, 22, 45, tzinfo=UTC)),  # the night before spring forward
        (BERLIN, datetime(2026, 3, 29, 21, 45, tzinfo=UTC)),  # the first night of summer time
        (BERLIN, datetime(2026, 10, 24, 21, 45, tzinfo=UTC)),  # the night before fall back
        (BERLIN, datetime(2026, 10, 25, 22, 45, tzinfo=UTC)),  # the first night of winter time
        (LOS_ANGELES, datetime(2026, 3, 8, 7, 45, tzinfo=UTC)),  # the night before spring forward
        (LOS_ANGELES, datetime(2026, 3, 9, 6, 45, tzinfo=UTC)),  # the first night of summer time
        (LOS_ANGELES, datetime(2026, 11, 1, 6, 45, tzinfo=UTC)),  # the night before fall back
        (LOS_ANGELES, datetime(2026, 11, 2, 7, 45, tzinfo=UTC)),  # the first night of winter time
    ],
)
def test_two_interactions_half_an_hour_apart_across_local_midnight_are_two_days(
    tz: ZoneInfo, before_midnight: datetime
) -> None:
    after_midnight = before_midnight + timedelta(minutes=30)
    first = local_interaction(before_midnight, tz)
    second = local_interaction(after_midnight, tz)
    assert before_midnight.astimezone(tz).time().isoformat() == "23:45:00"
    assert after_midnight.astimezone(tz).time().isoformat() == "00:15:00"
    assert second.day == first.day + timedelta(days=1)
    assert days_of([first, second]) == (2, 2)
    assert days_of([second, first]) == (2, 2)


def test_a_different_utc_day_is_the_same_local_day_in_a_negative_offset() -> None:
    # 23:59 and 00:01 UTC are 15:59 and 16:01 in Los Angeles, on Jan 10.
    late = local_interaction(datetime(2026, 1, 10, 23, 59, tzinfo=UTC), LOS_ANGELES)
    early = local_interaction(datetime(2026, 1, 11, 0, 1, tzinfo=UTC), LOS_ANGELES)
    assert late.day == early.day == date(2026, 1, 10)
    assert days_of([late, early]) == (1, 1)


def test_a_late_local_evening_and_the_next_utc_morning_are_one_day_in_a_negative_offset() -> None:
    # 23:59 local on Jan 10 is 07:59 UTC on Jan 11; 00:01 UTC on Jan 11 is 16:01 local on Jan 10.
    evening = local_interaction(datetime(2026, 1, 10, 23, 59, tzinfo=LOS_ANGELES), LOS_ANGELES)
    utc_morning = local_interaction(datetime(2026, 1, 11, 0, 1, tzinfo=UTC), LOS_ANGELES)
    assert evening.day == utc_morning.day == date(2026, 1, 10)
    assert days_of([evening, utc_morning]) == (1, 1)


def test_the_same_utc_day_is_two_local_days_in_a_large_positive_offset() -> None:
    # 09:59 and 10:01 UTC are 23:59 and 00:01 in Kiritimati.
    late = local_interaction(datetime(2026, 1, 10, 9, 59, tzinfo=UTC), KIRITIMATI)
    early = local_interaction(datetime(2026, 1, 10, 10, 1, tzinfo=UTC), KIRITIMATI)
    assert (late.day, early.day) == (date(2026, 1, 10), date(2026, 1, 11))
    assert days_of([late, early]) == (2, 2)


def test_a_local_day_in_summer_time_ends_an_hour_earlier_in_utc() -> None:
    # 22:30 UTC on Mar 29 is already 00:30 on Mar 30 in Berlin (CEST, UTC+2); it was 23:30 the
    # day before the change (CET, UTC+1).
    before_change = local_interaction(datetime(2026, 3, 28, 22, 30, tzinfo=UTC), BERLIN)
    after_change = local_interaction(datetime(2026, 3, 29, 22, 30, tzinfo=UTC), BERLIN)
    assert before_change.day == date(2026, 3, 28)
    assert after_change.day == date(2026, 3, 30)
    middle = local_interaction(datetime(2026, 3, 29, 12, tzinfo=UTC), BERLIN)
    assert days_of([before_change, middle, after_change]) == (3, 3)


def test_the_25_hour_day_of_the_autumn_change_is_one_day() -> None:
    # Oct 25 in Berlin runs from 22:00 UTC on Oct 24 to 23:00 UTC on Oct 25.
    first = local_interaction(datetime(2026, 10, 24, 22, 0, tzinfo=UTC), BERLIN)
    last = local_interaction(datetime(2026, 10, 25, 22, 59, tzinfo=UTC), BERLIN)
    repeated_hour = [
        local_interaction(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), BERLIN),  # 02:30 CEST
        local_interaction(datetime(2026, 10, 25, 1, 30, tzinfo=UTC), BERLIN),  # 02:30 CET
    ]
    facts = [first, *repeated_hour, last]
    assert {f.day for f in facts} == {date(2026, 10, 25)}
    assert last.at - first.at == timedelta(hours=24, minutes=59)
    assert days_of(facts) == (1, 1)
    next_day = local_interaction(datetime(2026, 10, 25, 23, 0, tzinfo=UTC), BERLIN)
    assert next_day.day == date(2026, 10, 26)
    assert days_of([*facts, next_day]) == (2, 2)


def test_the_23_hour_day_of_the_spring_change_is_one_day() -> None:
    # Mar 29 in Berlin runs from 23:00 UTC on Mar 28 to 22:00 UTC on Mar 29.
    first = local_interaction(datetime(2026, 3, 28, 23, 0, tzinfo=UTC), BERLIN)
    last = local_interaction(datetime(2026, 3, 29, 21, 59, tzinfo=UTC), BERLIN)
    assert first.day == last.day == date(2026, 3, 29)
    assert days_of([first, last]) == (1, 1)


@pytest.mark.parametrize("tz", [LOS_ANGELES, KIRITIMATI, BERLIN])
def test_a_week_of_local_evenings_is_a_seven_day_streak_whatever_the_zone(tz: ZoneInfo) -> None:
    # 23:30 local each evening from Mar 25 to Mar 31, across Berlin's change on Mar 29.
    evenings = [datetime(2026, 3, 25 + k, 23, 30, tzinfo=tz) for k in range(7)]
    facts = [local_interaction(moment.astimezone(UTC), tz) for moment in evenings]
    assert [f.day for f in facts] == [date(2026, 3, 25 + k) for k in range(7)]
    assert days_of(facts) == (7, 7)


# --- whole-history progress (badges) --------------------------------------------------------------

TOTALS = Totals(
    actions={
        REVIEW: ActionTotals(interactions=7, active_days=4, longest_streak=3),
        PHOTO: ActionTotals(interactions=2, active_days=2, longest_streak=1),
        NO_ACTION: ActionTotals(interactions=9, active_days=5, longest_streak=4),
    },
    points_earned=250,
    referrals_converted=2,
    content_approved=1,
)


@pytest.mark.parametrize(
    ("goal", "current"),
    [
        (Goal(Metric.ACTION_COUNT, REVIEW, 10), 7),
        (Goal(Metric.ACTION_COUNT, PHOTO, 10), 2),
        (Goal(Metric.ACTIVE_DAYS, REVIEW, 10), 4),
        (Goal(Metric.ACTIVE_DAYS, None, 10), 5),
        (Goal(Metric.ACTIVE_DAYS, "", 10), 5),
        (Goal(Metric.STREAK_DAYS, REVIEW, 10), 3),
        (Goal(Metric.STREAK_DAYS, PHOTO, 10), 1),
        (Goal(Metric.STREAK_DAYS, None, 10), 4),
        (Goal(Metric.POINTS_EARNED, None, 1000), 250),
        (Goal(Metric.REFERRALS_CONVERTED, None, 10), 2),
        (Goal(Metric.CONTENT_APPROVED, None, 10), 1),
        (Goal(Metric.ACTION_COUNT, "quiz.passed", 10), 0),  # never done
        (Goal(Metric.STREAK_DAYS, "quiz.passed", 10), 0),
    ],
)
def test_progress_from_totals_reads_the_total_of_the_goals_metric_and_action(
    goal: Goal, current: int
) -> None:
    assert current_from_totals(goal, TOTALS) == current
    assert progress_from_totals([goal], TOTALS) == [GoalProgress(goal, current)]


def test_a_new_member_has_no_progress_on_any_goal() -> None:
    assert [p.current for p in progress_from_totals(EVERY_GOAL, Totals())] == [0] * len(EVERY_GOAL)


def test_referrals_and_approved_content_are_zero_until_counted() -> None:
    counted_elsewhere = Totals(actions=TOTALS.actions, points_earned=250)
    for metric in (Metric.REFERRALS_CONVERTED, Metric.CONTENT_APPROVED):
        assert current_from_totals(Goal(metric, None, 1), counted_elsewhere) == 0


def test_progress_from_totals_keeps_the_goals_order() -> None:
    progress = progress_from_totals(EVERY_GOAL, TOTALS)
    assert [p.goal for p in progress] == EVERY_GOAL
    assert [p.current for p in progress] == [7, 4, 5, 3, 4, 250, 2, 1]


@fast
@given(
    st.lists(
        st.tuples(st.sampled_from(EVERY_GOAL), st.integers(min_value=1, max_value=12)),
        max_size=4,
    ),
    st.integers(min_value=0, max_value=300),
)
def test_goals_met_says_what_all_completed_says_of_the_progress_from_totals(
    picked: list[tuple[Goal, int]], points: int
) -> None:
    goals = [Goal(goal.metric, goal.action, target) for goal, target in picked]
    totals = Totals(actions=TOTALS.actions, points_earned=points)
    assert goals_met(goals, totals) == all_completed(progress_from_totals(goals, totals))


FACTS = [
    interaction(START),
    interaction(START, PHOTO),
    fact(FactKind.POINTS, amount=40),
    fact(FactKind.REFERRAL_CONVERTED),
    fact(FactKind.CONTENT_APPROVED),
]


@fast
@given(
    st.dictionaries(
        st.sampled_from([f"badge{n}" for n in range(8)]),
        st.lists(
            st.tuples(st.sampled_from(EVERY_GOAL), st.integers(min_value=1, max_value=12)),
            min_size=1,
            max_size=3,
            unique_by=lambda picked: picked[0].trigger,
        ),
    ),
    st.sampled_from(FACTS),
    st.integers(min_value=0, max_value=300),
)
def test_every_owner_a_fact_moves_and_the_totals_meet_is_within_reach(
    owners: dict[str, list[tuple[Goal, int]]], moving: Fact, points: int
) -> None:
    """`within_reach` only leaves out owners that cannot be met: the award chain evaluates
    just the rest."""
    goals = {
        owner: [Goal(goal.metric, goal.action, target) for goal, target in picked]
        for owner, picked in owners.items()
    }
    totals = Totals(actions=TOTALS.actions, points_earned=points)
    reach = within_reach(index_by_target(goals), moving, totals)
    for owner in moved_by(index_by_trigger(goals), moving):
        if goals_met(goals[owner], totals):
            assert owner in reach
    assert reach <= moved_by(index_by_trigger(goals), moving)


def test_a_badge_whose_target_on_the_moved_trigger_is_ahead_is_out_of_reach() -> None:
    goals = {
        "five": [Goal(Metric.ACTION_COUNT, REVIEW, 5)],  # TOTALS: 7 reviews
        "ten": [Goal(Metric.ACTION_COUNT, REVIEW, 10)],
        "both": [Goal(Metric.ACTION_COUNT, REVIEW, 3), Goal(Metric.POINTS_EARNED, None, 900)],
    }
    reach = within_reach(index_by_target(goals), interaction(START), TOTALS)
    assert reach == {"five", "both"}  # "both" is then evaluated, and not met


# --- completion and score -------------------------------------------------------------------------


def progress_of(*pairs: tuple[int, int]) -> list[GoalProgress]:
    """(target, current) pairs as progress on distinct goals."""
    return [
        GoalProgress(Goal(Metric.ACTION_COUNT, f"action{i}", target), current)
        for i, (target, current) in enumerate(pairs)
    ]


def test_a_goal_is_completed_on_reaching_its_target_exactly() -> None:
    below, exact, above = progress_of((5, 4), (5, 5), (5, 9))
    assert (below.completed, exact.completed, above.completed) == (False, True, True)
    assert (below.capped, exact.capped, above.capped) == (4, 5, 5)


def test_all_completed_needs_every_goal_met() -> None:
    assert all_completed(progress_of((5, 5), (3, 7)))
    assert not all_completed(progress_of((5, 5), (3, 2)))
    assert all_completed(progress_of((1, 1)))


def test_no_goals_are_never_completed() -> None:
    assert not all_completed([])


def test_the_score_sums_progress_capped_at_each_target() -> None:
    assert score(progress_of((5, 3), (3, 10), (100, 40))) == 3 + 3 + 40
    assert score([]) == 0


def test_overshooting_one_goal_does_not_make_up_for_another() -> None:
    assert score(progress_of((5, 50), (5, 0))) < score(progress_of((5, 5), (5, 1)))


pairs = st.tuples(
    st.integers(min_value=1, max_value=1_000), st.integers(min_value=0, max_value=2_000)
)


@fast
@given(targets_and_currents=st.lists(pairs, max_size=MAX_GOALS))
def test_the_score_lies_between_zero_and_the_sum_of_the_targets(
    targets_and_currents: list[tuple[int, int]],
) -> None:
    progress = progress_of(*targets_and_currents)
    targets = sum(target for target, _ in targets_and_currents)
    assert 0 <= score(progress) <= targets
    if progress:
        assert (score(progress) == targets) == all_completed(progress)


@fast
@given(targets_and_currents=st.lists(pairs, min_size=1, max_size=MAX_GOALS), more=pairs)
def test_more_progress_never_lowers_the_score(
    targets_and_currents: list[tuple[int, int]], more: tuple[int, int]
) -> None:
    before = progress_of(*targets_and_currents)
    target, current = targets_and_currents[0]
    after = progress_of((target, current + more[1]), *targets_and_currents[1:])
    assert score(after) >= score(before)


# --- windowed progress (challenges) ---------------------------------------------------------------


def test_progress_from_states_pairs_each_goal_with_its_state() -> None:
    goals = [Goal(Metric.ACTION_COUNT, REVIEW, 3), Goal(Metric.STREAK_DAYS, None, 3)]
    states: list[GoalState] = [5, ["2026-03-01", "2026-03-02"]]
    assert progress_from_states(goals, states) == [
        GoalProgress(goals[0], 5),
        GoalProgress(goals[1], 2),
    ]


def test_progress_from_states_needs_a_state_per_goal() -> None:
    with pytest.raises(ValueError):
        progress_from_states([Goal(Metric.ACTION_COUNT, REVIEW, 3)], [])


def test_a_challenge_completes_when_its_facts_meet_every_goal() -> None:
    goals = [
        Goal(Metric.ACTION_COUNT, REVIEW, 3),
        Goal(Metric.STREAK_DAYS, None, 3),
        Goal(Metric.POINTS_EARNED, None, 100),
    ]
    facts = [
        interaction("2026-03-01"),
        fact(FactKind.POINTS, "2026-03-01", amount=60),
        interaction("2026-03-02", PHOTO),
        interaction("2026-03-03"),
    ]
    states = [run(goal, facts) for goal in goals]
    progress = progress_from_states(goals, states)
    assert [p.current for p in progress] == [2, 3, 60]
    assert not all_completed(progress)
    assert score(progress) == 2 + 3 + 60
    more = [interaction("2026-03-04"), fact(FactKind.POINTS, "2026-03-04", amount=70)]
    states = [run_from(goal, state, more) for goal, state in zip(goals, states, strict=True)]
    progress = progress_from_states(goals, states)
    assert [p.current for p in progress] == [3, 4, 130]
    assert all_completed(progress)
    assert score(progress) == 3 + 3 + 100


# --- stored states --------------------------------------------------------------------------------


def test_stored_states_read_back_as_they_were_written() -> None:
    goals = [Goal(Metric.ACTION_COUNT, REVIEW, 3), Goal(Metric.ACTIVE_DAYS, None, 3)]
    stored = [2, ["2026-03-01", "2026-03-04"]]
    assert states_from_json(goals, stored) == stored


def test_missing_states_start_afresh() -> None:
    goals = [Goal(Metric.ACTION_COUNT, REVIEW, 3), Goal(Metric.ACTIVE_DAYS, None, 3)]
    assert states_from_json(goals, None) == [0, []]
    assert states_from_json(goals, []) == [0, []]
    assert states_from_json(goals, [4]) == [4, []]
    assert states_from_json(goals, {"0": 4}) == [0, []]


def test_extra_stored_states_are_dropped() -> None:
    goals = [Goal(Metric.ACTION_COUNT, REVIEW, 3)]
    assert states_from_json(goals, [4, ["2026-03-01"], 7]) == [4]


@pytest.mark.parametrize(
    ("goal", "stored", "state"),
    [
        (Goal(Metric.ACTION_COUNT, REVIEW, 3), ["2026-03-01"], 0),  # a day set for a count
        (Goal(Metric.ACTION_COUNT, REVIEW, 3), "4", 0),
        (Goal(Metric.ACTION_COUNT, REVIEW, 3), 4.0, 0),
        (Goal(Metric.ACTION_COUNT, REVIEW, 3), None, 0),
        (Goal(Metric.ACTION_COUNT, REVIEW, 3), True, 0),  # a boolean is not a count
        (Goal(Metric.POINTS_EARNED, None, 3), -5, 0),  # progress is never negative
        (Goal(Metric.ACTIVE_DAYS, None, 3), 4, []),  # a count for a day set
        (Goal(Metric.ACTIVE_DAYS, None, 3), "2026-03-01", []),
        (Goal(Metric.ACTIVE_DAYS, None, 3), [20260301], []),  # not a day
        (Goal(Metric.STREAK_DAYS, None, 3), ["2026-03-01", "yesterday"], []),
        (Goal(Metric.STREAK_DAYS, None, 3), ["2026-02-30"], []),  # no such day
        (Goal(Metric.STREAK_DAYS, None, 3), [None], []),
    ],
)
def test_a_malformed_stored_state_starts_afresh(
    goal: Goal, stored: object, state: GoalState
) -> None:
    states = states_from_json([goal], [stored])
    assert states == [state]
    assert progress_from_states([goal], states) == [GoalProgress(goal, 0)]


def test_stored_days_are_realigned_to_sorted_distinct_iso_days() -> None:
    goal = Goal(Metric.ACTIVE_DAYS, None, 3)
    stored = [["2026-03-04", "2026-03-01", "2026-03-04", "20260302"]]
    assert states_from_json([goal], stored) == [["2026-03-01", "2026-03-02", "2026-03-04"]]
    assert progress_from_states([goal], states_from_json([goal], stored))[0].current == 3


def test_goals_realigned_after_a_change_of_metric_start_afresh() -> None:
    # Stored for [ACTION_COUNT, ACTIVE_DAYS]; the goals now read [ACTIVE_DAYS, ACTION_COUNT].
    goals = [Goal(Metric.ACTIVE_DAYS, None, 3), Goal(Metric.ACTION_COUNT, REVIEW, 3)]
    assert states_from_json(goals, [2, ["2026-03-01"]]) == [[], 0]


@fast
@given(facts=day_facts)
def test_states_survive_a_json_round_trip_and_keep_advancing(facts: list[Fact]) -> None:
    states = [run(goal, facts) for goal in EVERY_GOAL]
    assert states_from_json(EVERY_GOAL, states) == states
    extra = interaction(START + timedelta(days=30))
    for goal, state, restored in zip(
        EVERY_GOAL, states, states_from_json(EVERY_GOAL, states), strict=True
    ):
        assert advance(goal, restored, extra) == advance(goal, state, extra)


def test_a_day_goal_given_a_count_state_starts_its_days_afresh() -> None:
    assert advance(Goal(Metric.ACTIVE_DAYS, None, 3), 5, interaction(START)) == [START.isoformat()]
    assert advance(Goal(Metric.ACTION_COUNT, REVIEW, 3), ["x"], interaction(START)) == 1


def test_an_empty_action_is_no_action_so_equal_goals_compare_equal():
    assert Goal(Metric.ACTIVE_DAYS, "", 5) == Goal(Metric.ACTIVE_DAYS, None, 5)
