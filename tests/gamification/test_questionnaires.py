"""Specification of questionnaires (`gamification.questionnaires`): valid definitions, valid
sets of answers, when a member may answer again, and results (counts, mean, NPS)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.questionnaires import (
    MAX_TEXT,
    Answer,
    Question,
    QuestionKind,
    Responses,
    check_answers,
    may_answer,
    mean,
    next_allowed_at,
    nps,
    question_result,
    validate_questionnaire,
)

fast = settings(max_examples=80, deadline=None)

RIDING = Question("riding", "What do you ride?", QuestionKind.SINGLE_CHOICE, ("road", "city"))
SERVICES = Question(
    "services", "Services?", QuestionKind.MULTIPLE_CHOICE, ("repair", "fitting", "rental")
)
RECOMMEND = Question("recommend", "Recommend us?", QuestionKind.SCALE)
WISH = Question("wish", "Anything else?", QuestionKind.TEXT, required=False)
QUESTIONS = (RIDING, SERVICES, RECOMMEND, WISH)
VALID = (
    Answer("riding", ("road",)),
    Answer("services", ("repair", "rental")),
    Answer("recommend", value=8),
)

histograms = st.dictionaries(st.integers(0, 10), st.integers(0, 1_000), max_size=11)


def values_of(histogram: dict[int, int]) -> list[int]:
    return [value for value, count in histogram.items() for _ in range(count)]


# --- definitions ------------------------------------------------------------------------------


def test_a_well_formed_definition_has_no_problem():
    assert validate_questionnaire("bike.profile", "Your riding", QUESTIONS, 30) == []
    assert validate_questionnaire("bike.profile", "Your riding", QUESTIONS, None) == []


def test_choice_questions_need_distinct_options_and_others_none():
    problems = validate_questionnaire(
        "q",
        "Q",
        (
            Question("a", "A?", QuestionKind.SINGLE_CHOICE, ("x",)),
            Question("b", "B?", QuestionKind.MULTIPLE_CHOICE, ("x", "x")),
            Question("c", "C?", QuestionKind.TEXT, ("x", "y")),
            Question("c", "C?", QuestionKind.SCALE),
        ),
        0,
    )
    assert [problem.field for problem in problems] == [
        ("input", "questions", "0", "options"),
        ("input", "questions", "1", "options"),
        ("input", "questions", "2", "options"),
        ("input", "questions", "3", "key"),
        ("input", "repeatEveryDays"),
    ]


# --- answers ----------------------------------------------------------------------------------


def test_a_complete_valid_set_has_no_problem():
    assert check_answers(QUESTIONS, VALID) == []
    assert check_answers(QUESTIONS, (*VALID, Answer("wish", text="x" * MAX_TEXT))) == []


@fast
@given(st.integers())
def test_a_scale_answer_is_valid_exactly_from_0_to_10(value):
    given_answers = (VALID[0], VALID[1], Answer("recommend", value=value))
    assert (check_answers(QUESTIONS, given_answers) == []) == (0 <= value <= 10)


@fast
@given(st.lists(st.sampled_from(["repair", "fitting", "rental", "unicycle"]), max_size=5))
def test_multiple_choices_must_be_distinct_known_options(chosen):
    given_answers = (VALID[0], Answer("services", tuple(chosen)), VALID[2])
    ok = bool(chosen) and "unicycle" not in chosen and len(set(chosen)) == len(chosen)
    assert (check_answers(QUESTIONS, given_answers) == []) == ok


@fast
@given(st.sets(st.sampled_from(["riding", "services", "recommend", "wish"])))
def test_every_required_question_must_be_answered(left_out):
    complete = (*VALID, Answer("wish", text="hi"))
    given_answers = tuple(a for a in complete if a.question not in left_out)
    missing_required = left_out - {"wish"}
    assert (check_answers(QUESTIONS, given_answers) == []) == (not missing_required)


def test_the_wrong_kind_of_answer_is_a_problem_naming_the_field():
    problems = check_answers(QUESTIONS, (Answer("riding", value=3), *VALID[1:]))
    assert [p.field for p in problems] == [("answers", "0", "value")]


def test_a_text_over_the_limit_is_a_problem():
    problems = check_answers(QUESTIONS, (*VALID, Answer("wish", text="x" * (MAX_TEXT + 1))))
    assert [p.field for p in problems] == [("answers", "3", "text")]


# --- repeating --------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)


@fast
@given(moments, st.integers(1, 400), st.integers(0, 800 * 24))
def test_a_member_may_answer_again_exactly_after_repeat_every_days(last, days, hours_later):
    now = last + timedelta(hours=hours_later)
    assert may_answer(last, days, now) == (hours_later >= days * 24)
    assert next_allowed_at(last, days) == last + timedelta(days=days)


@fast
@given(moments, moments)
def test_answered_once_for_good_and_never_answered(last, now):
    assert may_answer(None, None, now) and may_answer(None, 7, now)
    assert not may_answer(last, None, now)
    assert next_allowed_at(last, None) is None


# --- results ----------------------------------------------------------------------------------


@fast
@given(histograms)
def test_nps_is_promoters_minus_detractors_in_percent(histogram):
    values = values_of(histogram)
    score = nps(histogram)
    if not values:
        assert score is None
        return
    assert score is not None and -100 <= score <= 100
    exact = 100 * (sum(v >= 9 for v in values) - sum(v <= 6 for v in values)) / len(values)
    assert abs(score - exact) <= 0.5


def test_nps_extremes_and_rounding():
    assert nps({10: 5}) == 100
    assert nps({0: 1, 6: 1}) == -100
    assert nps({7: 3, 8: 1}) == 0
    assert nps({9: 1, 7: 1}) == 50
    assert nps({9: 1, 3: 1, 8: 1}) == 0
    assert nps({9: 2, 3: 1, 8: 5}) == 13  # 12.5 rounds away from zero
    assert nps({9: 1, 3: 2, 8: 5}) == -13


@fast
@given(histograms)
def test_the_mean_is_the_mean_of_the_values(histogram):
    values = values_of(histogram)
    found = mean(histogram)
    if not values:
        assert found is None
    else:
        assert found is not None and abs(found - sum(values) / len(values)) < 1e-9


@fast
@given(st.dictionaries(st.sampled_from(["road", "city", "gone"]), st.integers(0, 50)))
def test_counts_follow_the_options_then_options_no_longer_offered(chosen):
    result = question_result(RIDING, Responses(sum(chosen.values()), chosen))
    options = [option for option, _ in result.counts]
    assert options[:2] == ["road", "city"]
    assert options[2:] == (["gone"] if "gone" in chosen else [])
    assert dict(result.counts) == {"road": 0, "city": 0, **chosen}
    assert result.mean is None and result.nps is None


def test_a_scale_result_has_mean_and_nps_and_no_counts():
    result = question_result(RECOMMEND, Responses(3, {}, {10: 1, 7: 1, 3: 1}))
    assert result.counts == () and result.mean == 20 / 3 and result.nps == 0
