"""What text a client may send: storable everywhere, and no longer than its field allows."""

from __future__ import annotations

from gamification.text import DEFAULT_MAX_LENGTH, MAX_LENGTHS, TextProblem, first_problem, storable

JSON = frozenset({"properties"})


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
