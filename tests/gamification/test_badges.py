"""Specification of badges (`gamification.badges`).

A badge has a key, a name, an optional description and image (an http(s) URL), up to ten goals
(none for a badge only ever awarded by hand or by a challenge) and a reward. A secret badge stays
hidden from a member until they earn it. Levels above the badge's own (silver, gold) each have a
name, goals and a reward, and are reached one after another.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gamification.actions import MAX_KEY_LENGTH, MAX_POINTS, Problem
from gamification.badges import (
    MAX_IMAGE_URL,
    MAX_LEVELS,
    BadgeDefinition,
    BadgeLevelDefinition,
    levels_reached,
    shown_level,
    validate_badge,
    visible_to_member,
)
from gamification.goals import MAX_GOALS, MAX_TARGET, ActionTotals, Goal, Metric, Totals

VALID = BadgeDefinition(
    key="reviewer",
    name="Reviewer",
    description="Post five reviews.",
    image_url="https://cdn.example.com/badges/reviewer.png",
    secret=False,
    goals=(Goal(Metric.ACTION_COUNT, "review.posted", 5),),
    reward_points=100,
)
IMAGE_PROBLEM = Problem(("input", "imageUrl"), "imageUrl must be an http(s) URL")


def problems(**changes: Any) -> list[Problem]:
    return validate_badge(replace(VALID, **changes))


def fields(found: list[Problem]) -> list[tuple[str, ...]]:
    return [problem.field for problem in found]


# --- validation -----------------------------------------------------------------------------------


def test_a_well_formed_badge_is_valid() -> None:
    assert validate_badge(VALID) == []


def test_a_secret_badge_without_description_image_goals_or_reward_is_valid() -> None:
    assert problems(description="", image_url=None, secret=True, goals=(), reward_points=0) == []


@pytest.mark.parametrize(
    "key",
    ["reviewer", "reviews.fifty", "top_10.reviewer", "r", "a" * MAX_KEY_LENGTH],
)
def test_lowercase_dot_separated_keys_are_accepted(key: str) -> None:
    assert problems(key=key) == []


@pytest.mark.parametrize(
    "key",
    ["Reviewer", "top reviewer", "top-reviewer", "", "10.reviews", "reviews.", "a" * 101, "é"],
)
def test_a_key_that_is_not_lowercase_dot_separated_words_is_refused(key: str) -> None:
    assert problems(key=key) == [
        Problem(("input", "key"), "key must be lowercase dot-separated words, e.g. reviewer")
    ]


@pytest.mark.parametrize("name", ["", " ", "\t\n", "x" * 201])
def test_a_name_must_have_one_to_200_characters_and_not_be_blank(name: str) -> None:
    assert problems(name=name) == [Problem(("input", "name"), "name must be 1 to 200 characters")]


@pytest.mark.parametrize("name", ["R", "x" * 200, "Reviewer ⭐"])
def test_names_of_one_to_200_characters_are_accepted(name: str) -> None:
    assert problems(name=name) == []


@pytest.mark.parametrize("description", ["", "x", "x" * 2000])
def test_a_description_of_up_to_2000_characters_is_accepted(description: str) -> None:
    assert problems(description=description) == []


def test_a_longer_description_is_refused() -> None:
    assert problems(description="x" * 2001) == [
        Problem(("input", "description"), "description is at most 2000 characters")
    ]


@pytest.mark.parametrize(
    "url",
    [
        None,
        "https://cdn.example.com/badges/reviewer.png",
        "http://cdn.example.com/reviewer.png",
        "https://cdn.example.com:8443/badge?size=64&v=2#top",
        "https://127.0.0.1/badge.png",
        "https://[2001:db8::1]/badge.png",
        "https://cdn.example.com/" + "x" * (MAX_IMAGE_URL - len("https://cdn.example.com/")),
    ],
)
def test_no_image_or_an_http_or_https_url_is_accepted(url: str | None) -> None:
    assert problems(image_url=url) == []


@pytest.mark.parametrize(
    "url",
    [
        "",
        "cdn.example.com/reviewer.png",  # not absolute
        "//cdn.example.com/reviewer.png",  # scheme-relative
        "/badges/reviewer.png",
        "ftp://cdn.example.com/reviewer.png",
        "javascript:alert(1)",
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///etc/passwd",
        "https:cdn.example.com/reviewer.png",
        " https://cdn.example.com/reviewer.png",  # leading space
        "https://",  # no host
        "http:///reviewer.png",
        "https://:443/reviewer.png",
        "https://cdn.example.com/a b.png",  # whitespace
        "https://cdn.example.com/a.png\n",
        'https://cdn.example.com/a.png"\r\nX-Injected: 1',
        "https://cdn.example.com/\x00.png",
        "https://[2001:db8::1/badge.png",  # unclosed IPv6 bracket
    ],
)
def test_an_image_that_is_not_an_http_or_https_url_is_refused(url: str) -> None:
    assert problems(image_url=url) == [IMAGE_PROBLEM]


def test_an_image_url_over_the_maximum_is_refused_as_too_long() -> None:
    url = "https://cdn.example.com/" + "x" * (MAX_IMAGE_URL - len("https://cdn.example.com/") + 1)
    assert problems(image_url=url) == [
        Problem(
            ("input", "imageUrl"), f"imageUrl is too long: at most {MAX_IMAGE_URL:,} characters"
        )
    ]


def test_the_goals_of_a_badge_are_validated_under_its_goals_field() -> None:
    assert problems(goals=(Goal(Metric.POINTS_EARNED, "review.posted", MAX_TARGET + 1),)) == [
        Problem(("input", "goals", "0", "target"), f"target must be 1 to {MAX_TARGET}"),
        Problem(("input", "goals", "0", "action"), "POINTS_EARNED does not take an action"),
    ]


def test_a_badge_has_at_most_the_maximum_number_of_goals() -> None:
    goals = tuple(Goal(Metric.ACTION_COUNT, f"action{i}", 1) for i in range(MAX_GOALS + 1))
    assert problems(goals=goals[:MAX_GOALS]) == []
    assert problems(goals=goals) == [Problem(("input", "goals"), f"at most {MAX_GOALS} goals")]


def test_a_badge_with_the_same_goal_twice_is_refused() -> None:
    twice = (Goal(Metric.ACTIVE_DAYS, None, 5), Goal(Metric.ACTIVE_DAYS, None, 10))
    assert fields(problems(goals=twice)) == [("input", "goals", "1")]


@pytest.mark.parametrize("reward", [0, 1, MAX_POINTS])
def test_a_reward_from_zero_to_the_maximum_is_accepted(reward: int) -> None:
    assert problems(reward_points=reward) == []


@pytest.mark.parametrize("reward", [-1, MAX_POINTS + 1])
def test_a_reward_outside_zero_to_the_maximum_is_refused(reward: int) -> None:
    assert problems(reward_points=reward) == [
        Problem(("input", "rewardPoints"), f"rewardPoints must be 0 to {MAX_POINTS}")
    ]


def test_every_problem_is_reported_at_once_in_field_order() -> None:
    broken = BadgeDefinition(
        key="Bad Key",
        name="",
        description="x" * 2001,
        image_url="ftp://example.com/x.png",
        secret=True,
        goals=(Goal(Metric.ACTION_COUNT, None, 1),),
        reward_points=-5,
    )
    assert fields(validate_badge(broken)) == [
        ("input", "key"),
        ("input", "name"),
        ("input", "description"),
        ("input", "imageUrl"),
        ("input", "goals", "0", "action"),
        ("input", "rewardPoints"),
    ]


# --- visibility -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("secret", "earned", "visible"),
    [
        (False, False, True),  # a public badge shows, with progress toward it
        (False, True, True),
        (True, False, False),  # a secret one stays hidden until earned
        (True, True, True),
    ],
)
def test_a_badge_is_visible_unless_it_is_secret_and_not_yet_earned(
    secret: bool, earned: bool, visible: bool
) -> None:
    assert visible_to_member(secret, earned) is visible


# --- levels -------------------------------------------------------------------------------------

SILVER = BadgeLevelDefinition("Silver", (Goal(Metric.ACTION_COUNT, "review.posted", 10),), 50)
GOLD = BadgeLevelDefinition("Gold", (Goal(Metric.ACTION_COUNT, "review.posted", 25),), 200)


def test_levels_with_names_goals_and_rewards_of_their_own_are_valid() -> None:
    assert problems(levels=(SILVER, GOLD)) == []
    assert problems(levels=(replace(SILVER, reward_points=0),)) == []


def test_a_level_without_goals_is_refused_it_could_never_be_earned() -> None:
    assert problems(levels=(SILVER, replace(GOLD, goals=()))) == [
        Problem(("input", "levels", "1", "goals"), "a level needs at least one goal")
    ]


@pytest.mark.parametrize("name", ["Silver", " silver ", "SILVER", "Reviewer", "reviewer"])
def test_two_levels_of_one_badge_may_not_share_a_name_nor_take_the_badges_own(name: str) -> None:
    found = problems(levels=(SILVER, replace(GOLD, name=name)))
    assert fields(found) == [("input", "levels", "1", "name")]


@pytest.mark.parametrize("name", ["", "  ", "x" * 201])
def test_a_level_name_must_have_one_to_200_characters(name: str) -> None:
    assert fields(problems(levels=(replace(SILVER, name=name),))) == [
        ("input", "levels", "0", "name")
    ]


@pytest.mark.parametrize("reward", [-1, MAX_POINTS + 1])
def test_a_level_reward_outside_zero_to_the_maximum_is_refused(reward: int) -> None:
    assert fields(problems(levels=(replace(SILVER, reward_points=reward),))) == [
        ("input", "levels", "0", "rewardPoints")
    ]


def test_level_goals_are_validated_under_the_level() -> None:
    bad = (Goal(Metric.ACTION_COUNT, None, 0),)
    assert fields(problems(levels=(replace(SILVER, goals=bad),))) == [
        ("input", "levels", "0", "goals", "0", "target"),
        ("input", "levels", "0", "goals", "0", "action"),
    ]


def test_a_badge_has_at_most_the_maximum_number_of_levels() -> None:
    many = tuple(replace(SILVER, name=f"Level {n}") for n in range(MAX_LEVELS + 1))
    assert fields(problems(levels=many)) == [("input", "levels")]
    assert problems(levels=many[:MAX_LEVELS]) == []


def reviews(count: int) -> Totals:
    return Totals(actions={"review.posted": ActionTotals(interactions=count)})


LADDER = [SILVER.goals, GOLD.goals]  # levels 2 and 3


@pytest.mark.parametrize(
    ("held", "count", "reached"),
    [
        (0, 100, []),  # level 1 (the badge) comes from its own rules, never from here
        (1, 9, []),
        (1, 10, [2]),
        (1, 30, [2, 3]),  # one interaction meeting both: 2, then 3
        (2, 30, [3]),
        (3, 1000, []),  # the top
    ],
)
def test_levels_are_reached_one_after_another_from_the_one_held(
    held: int, count: int, reached: list[int]
) -> None:
    assert levels_reached(held, LADDER, reviews(count)) == reached


def test_a_level_whose_goals_are_met_waits_for_the_one_below() -> None:
    ladder = [(Goal(Metric.POINTS_EARNED, None, 500),), GOLD.goals]
    assert levels_reached(1, ladder, reviews(30)) == []


@given(
    held=st.integers(0, 6),
    targets=st.lists(st.integers(1, 50), max_size=5),
    count=st.integers(0, 60),
)
def test_levels_reached_are_consecutive_above_the_one_held_and_each_met(
    held: int, targets: list[int], count: int
) -> None:
    ladder = [(Goal(Metric.ACTION_COUNT, "review.posted", t),) for t in targets]
    reached = levels_reached(held, ladder, reviews(count))
    assert reached == list(range(held + 1, held + 1 + len(reached)))
    assert all(count >= targets[level - 2] for level in reached)
    top = held + len(reached)
    if held >= 1 and top <= len(ladder):  # stopped below the top: the next one is not met
        assert count < targets[top - 1]
    # Deciding again from where it stopped reaches nothing more: each level is earned once.
    assert levels_reached(top, ladder, reviews(count)) == []


@pytest.mark.parametrize(
    ("held", "top", "shown"),
    [(0, 1, 1), (1, 1, 1), (0, 3, 1), (1, 3, 2), (2, 3, 3), (3, 3, 3)],
)
def test_progress_shows_the_next_level_then_the_top_one(held: int, top: int, shown: int) -> None:
    assert shown_level(held, top) == shown
