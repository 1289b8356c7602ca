"""What text a client may send: storable everywhere, and no longer than its field allows."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.text import (
    COLLAPSED,
    DEFAULT_MAX_LENGTH,
    MAX_LENGTHS,
    TRIMMED,
    TextProblem,
    as_stored,
    first_problem,
    storable,
    within,
)

JSON = frozenset({"properties"})
fast = settings(max_examples=60, deadline=None)


def test_nul_and_lone_surrogates_are_not_storable_and_everything_else_is() -> None:
    assert not storable("a\x00b")
    assert not storable("a\ud800b")
    assert storable("ÄÖ 漢字 🎉 \t\n")


def test_the_first_problem_names_the_field_by_its_path_in_the_arguments() -> None:
    arguments = {"input": {"name": "ok", "goals": [{"action": "a"}, {"action": "b\x00"}]}}
    problem = first_problem(arguments, JSON)
    assert problem is not None and problem.path == ("input", "goals", "1", "action")


def test_a_json_value_is_named_as_a_whole_and_its_keys_are_checked_too() -> None:
    for properties in ({"k\x00": 1}, {"a": [{"b": "\ud800"}]}):
        problem = first_problem({"input": {"properties": properties}}, JSON)
        assert problem is not None and problem.path == ("input", "properties")


def test_a_json_value_is_not_bounded_by_the_text_limits() -> None:
    assert first_problem({"properties": {"note": "x" * (DEFAULT_MAX_LENGTH + 1)}}, JSON) is None


def test_free_text_is_bounded_by_its_field_name_and_others_by_the_default() -> None:
    limit = MAX_LENGTHS["description"]
    assert first_problem({"input": {"description": "d" * limit}}, JSON) is None
    assert first_problem({"input": {"description": "d" * (limit + 1)}}, JSON) == TextProblem(
        ("input", "description"), f"input.description is too long: at most {limit:,} characters"
    )
    assert first_problem({"key": "k" * (DEFAULT_MAX_LENGTH + 1)}, JSON) is not None


def test_deep_nesting_does_not_recurse() -> None:
    value: object = "bad\x00"
    for _ in range(5_000):
        value = [value]
    problem = first_problem({"properties": value}, JSON)
    assert problem is not None and problem.path == ("properties",)


# --- Limits count what is stored --------------------------------------------------------------

WHITESPACE = st.text(st.sampled_from(" \t\n\r\u00a0\u2003\u3000"), max_size=300)
WORDS = st.text(st.sampled_from("ab c"), min_size=1).map(lambda text: f"x{text}x")
LIMITED_TRIMMED = sorted(TRIMMED & MAX_LENGTHS.keys())


@fast
@given(field=st.sampled_from(LIMITED_TRIMMED), left=WHITESPACE, right=WHITESPACE)
def test_whitespace_around_a_value_never_makes_it_too_long(field, left, right) -> None:
    """A body of exactly 10,000 characters after trimming, padded, is within its limit."""
    limit = MAX_LENGTHS[field]
    assert first_problem({"input": {field: left + "x" * limit + right}}, JSON) is None


@fast
@given(field=st.sampled_from(LIMITED_TRIMMED), left=WHITESPACE, right=WHITESPACE)
def test_one_character_more_is_refused_with_the_documented_limit(field, left, right) -> None:
    limit = MAX_LENGTHS[field]
    problem = first_problem({"input": {field: left + "x" * (limit + 1) + right}}, JSON)
    assert problem == TextProblem(
        ("input", field), f"input.{field} is too long: at most {limit:,} characters"
    )


@fast
@given(gaps=st.lists(WHITESPACE.map(lambda gap: gap + " "), min_size=99, max_size=99))
def test_a_display_name_is_measured_once_its_whitespace_is_collapsed(gaps) -> None:
    name = "".join(f"{gap}x" for gap in gaps) + " "  # "x x … x": 197 characters once collapsed
    limit = MAX_LENGTHS["displayName"]
    assert len(as_stored("displayName", name)) == 197
    assert first_problem({"input": {"displayName": name}}, JSON) == TextProblem(
        ("input", "displayName"), f"input.displayName is too long: at most {limit:,} characters"
    )
    short = " ".join(gaps[:10]).join(["x", "y"])
    assert first_problem({"input": {"displayName": short}}, JSON) is None


def test_a_field_stored_as_sent_counts_its_whitespace() -> None:
    limit = MAX_LENGTHS["description"]
    assert "description" not in TRIMMED | COLLAPSED
    assert first_problem({"input": {"description": "d" * limit + " "}}, JSON) is not None


@fast
@given(left=WHITESPACE, text=WORDS, right=WHITESPACE, most=st.integers(1, 50))
def test_within_counts_the_trimmed_text(left, text, right, most) -> None:
    assert within(left + text + right, most) == (len(text) <= most)
    assert not within(left + right, most)  # whitespace alone is empty
