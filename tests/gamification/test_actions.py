"""Specification of a valid action definition (`gamification.actions.validate_action`).

Every problem is reported at once, each with the path of the GraphQL input field at fault, in
the order key, name, points, limits, cooldownSeconds.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.actions import (
    MAX_COOLDOWN_SECONDS,
    MAX_KEY_LENGTH,
    MAX_POINTS,
    Problem,
    validate_action,
)
from gamification.limits import Limit
from gamification.periods import Period

KEY_FIELD = ("input", "key")
NAME_FIELD = ("input", "name")
POINTS_FIELD = ("input", "points")
LIMITS_FIELD = ("input", "limits")
COOLDOWN_FIELD = ("input", "cooldownSeconds")


def problems_with(
    key: str = "review.posted",
    name: str = "Posted a review",
    points: int = 10,
    limits: list[Limit] | None = None,
    cooldown_seconds: int = 0,
) -> list[Problem]:
    return validate_action(key, name, points, limits or [], cooldown_seconds)


def fields(problems: list[Problem]) -> list[tuple[str, ...]]:
    return [problem.field for problem in problems]


def test_a_sensible_action_has_no_problems() -> None:
    assert problems_with() == []
    assert problems_with(limits=[Limit(Period.DAY, 3), Limit(Period.WEEK, 10)]) == []


def test_the_limits_of_the_contract_are_what_the_messages_say() -> None:
    assert MAX_KEY_LENGTH == 100
    assert MAX_POINTS == 1_000_000
    assert MAX_COOLDOWN_SECONDS == 366 * 24 * 3600


# --- key ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["review", "review.posted", "a", "a1_b.c2_", "order.item.returned", "x" * MAX_KEY_LENGTH],
)
def test_a_key_of_lowercase_dot_separated_words_is_valid(key: str) -> None:
    assert problems_with(key=key) == []


@pytest.mark.parametrize(
    "key",
    [
        "",
        "Review",
        "review.Posted",
        "REVIEW",
        "1review",
        "review.1st",
        "_review",
        "review._x",
        ".review",
        "review.",
        "review..posted",
        "review-posted",
        "review posted",
        " review",
        "review ",
        "révision",
        "review/posted",
        "review:posted",
        "x" * (MAX_KEY_LENGTH + 1),
        "a." * 50 + "b",  # 101 characters of otherwise valid words
    ],
)
def test_a_key_that_is_not_lowercase_dot_separated_words_is_refused(key: str) -> None:
    problems = problems_with(key=key)
    assert fields(problems) == [KEY_FIELD]
    assert problems[0].message == (
        "key must be lowercase dot-separated words, e.g. review.posted (at most 100 characters)"
    )


def test_a_key_with_a_trailing_newline_is_refused() -> None:
    assert fields(problems_with(key="review.posted\n")) == [KEY_FIELD]


words = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
valid_keys = st.lists(words, min_size=1, max_size=7).map(".".join)


@settings(max_examples=100, deadline=None)
@given(key=valid_keys)
def test_any_dot_separated_lowercase_words_up_to_100_characters_make_a_valid_key(key: str) -> None:
    assert len(key) <= MAX_KEY_LENGTH
    assert problems_with(key=key) == []


@settings(max_examples=100, deadline=None)
@given(key=valid_keys, bad=st.sampled_from(["A", "-", " ", "é", "!", "..", "\t"]), at=st.integers())
def test_slipping_any_other_character_into_a_key_makes_it_invalid(
    key: str, bad: str, at: int
) -> None:
    position = at % (len(key) + 1)
    broken = key[:position] + bad + key[position:]
    assert fields(problems_with(key=broken)) == [KEY_FIELD]


# --- name -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["x", "Posted a review", "x" * 200, "  padded  ", " " * 50 + "x" * 200 + "\n"]
)
def test_a_name_of_1_to_200_characters_is_valid(name: str) -> None:
    assert problems_with(name=name) == []


@pytest.mark.parametrize("name", ["", " ", "\t\n ", "x" * 201])
def test_a_blank_or_overlong_name_is_refused(name: str) -> None:
    problems = problems_with(name=name)
    assert problems == [Problem(NAME_FIELD, "name must be 1 to 200 characters")]


# --- points ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("points", [0, 1, MAX_POINTS])
def test_points_from_zero_to_a_million_are_valid(points: int) -> None:
    assert problems_with(points=points) == []


@pytest.mark.parametrize("points", [-1, -100, MAX_POINTS + 1])
def test_negative_points_or_more_than_a_million_are_refused(points: int) -> None:
    problems = problems_with(points=points)
    assert problems == [Problem(POINTS_FIELD, "points must be 0 to 1000000")]


# --- limits ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (
            [Limit(Period.DAY, 0)],
            "a limit's max must be at least 1 (deactivate the action to stop awards)",
        ),
        ([Limit(Period.DAY, 1_000_001)], "a limit's max must be at most 1000000"),
        ([Limit(Period.MONTH, 1), Limit(Period.MONTH, 2)], "more than one limit for period MONTH"),
    ],
)
def test_limit_problems_are_reported_against_the_limits_field(
    limits: list[Limit], message: str
) -> None:
    assert problems_with(limits=limits) == [Problem(LIMITS_FIELD, message)]


# --- cooldown -------------------------------------------------------------------------------------


@pytest.mark.parametrize("cooldown", [0, 1, 3600, MAX_COOLDOWN_SECONDS])
def test_a_cooldown_from_zero_to_a_leap_year_is_valid(cooldown: int) -> None:
    assert problems_with(cooldown_seconds=cooldown) == []


@pytest.mark.parametrize("cooldown", [-1, MAX_COOLDOWN_SECONDS + 1])
def test_a_negative_cooldown_or_one_longer_than_a_leap_year_is_refused(cooldown: int) -> None:
    problems = problems_with(cooldown_seconds=cooldown)
    assert problems == [Problem(COOLDOWN_FIELD, "cooldownSeconds must be 0 to 31622400")]


# --- all together ---------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_in_field_order() -> None:
    problems = problems_with(
        key="Bad Key",
        name="",
        points=-1,
        limits=[Limit(Period.DAY, 0)],
        cooldown_seconds=-1,
    )
    assert fields(problems) == [KEY_FIELD, NAME_FIELD, POINTS_FIELD, LIMITS_FIELD, COOLDOWN_FIELD]
    assert all(problem.message for problem in problems)
