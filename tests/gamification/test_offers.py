"""Specification of answer conditions (`gamification.offers`): what is a valid condition, and
when a member's latest answers meet a list of them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.offers import (
    MAX_CONDITIONS,
    AnswerCondition,
    LatestAnswer,
    holds,
    meets,
    validate_conditions,
)
from gamification.questionnaires import Question, QuestionKind

fast = settings(max_examples=80, deadline=None)

RIDING = Question("riding", "What do you ride?", QuestionKind.SINGLE_CHOICE, ("road", "city"))
SERVICES = Question("services", "Services?", QuestionKind.MULTIPLE_CHOICE, ("repair", "rental"))
RECOMMEND = Question("recommend", "Recommend us?", QuestionKind.SCALE)
WISH = Question("wish", "Anything else?", QuestionKind.TEXT, required=False)
KNOWN = {"bike": (RIDING, SERVICES, RECOMMEND, WISH)}
AT = ("input", "audience")

options = st.sampled_from(["road", "city", "repair", "rental"])
values = st.integers(min_value=0, max_value=10)
bounds = st.none() | values
choice_conditions = st.builds(
    AnswerCondition, st.just("bike"), st.sampled_from(["riding", "services"]), options
)
range_conditions = st.builds(
    AnswerCondition, st.just("bike"), st.just("recommend"), st.none(), bounds, bounds
)
conditions = choice_conditions | range_conditions
latest = st.fixed_dictionaries(
    {
        ("bike", "riding"): st.builds(LatestAnswer, st.frozensets(options, max_size=1)),
        ("bike", "services"): st.builds(LatestAnswer, st.frozensets(options, max_size=2)),
        ("bike", "recommend"): st.builds(LatestAnswer, st.just(frozenset()), values),
    }
)


def problems(*given: AnswerCondition) -> list[tuple[tuple[str, ...], str]]:
    return [(p.field, p.message) for p in validate_conditions(given, KNOWN, AT)]


def test_a_condition_names_an_existing_option_or_a_range_of_a_scale_question():
    assert problems(AnswerCondition("bike", "riding", "road")) == []
    assert problems(AnswerCondition("bike", "recommend", min=9)) == []
    assert problems(AnswerCondition("bike", "recommend", max=3)) == []
    assert problems(AnswerCondition("bike", "recommend", min=4, max=4)) == []
    refused = {
        AnswerCondition("bike", "riding"): ("input", "audience", "0"),
        AnswerCondition("bike", "riding", "road", min=1): ("input", "audience", "0"),
        AnswerCondition("nope", "riding", "road"): ("input", "audience", "0", "questionnaire"),
        AnswerCondition("bike", "colour", "red"): ("input", "audience", "0", "question"),
        AnswerCondition("bike", "riding", "gravel"): ("input", "audience", "0", "choice"),
        AnswerCondition("bike", "recommend", "9"): ("input", "audience", "0", "choice"),
        AnswerCondition("bike", "services", max=2): ("input", "audience", "0", "max"),
        AnswerCondition("bike", "wish", min=0): ("input", "audience", "0", "min"),
        AnswerCondition("bike", "recommend", min=-1): ("input", "audience", "0", "min"),
        AnswerCondition("bike", "recommend", max=11): ("input", "audience", "0", "max"),
        AnswerCondition("bike", "recommend", min=6, max=5): ("input", "audience", "0", "max"),
    }
    for condition, field in refused.items():
        assert [f for f, _ in problems(condition)] == [field], condition
    many = [AnswerCondition("bike", "riding", "road")] * (MAX_CONDITIONS + 1)
    assert [f for f, _ in problems(*many)] == [AT]


@fast
@given(conditions, latest)
def test_a_choice_holds_when_the_latest_answer_includes_it_and_a_range_when_it_holds_the_value(
    condition, answers
):
    answer = answers[(condition.questionnaire, condition.question)]
    if condition.choice is not None:
        assert holds(condition, answers) == (condition.choice in answer.choices)
    else:
        low = 0 if condition.min is None else condition.min
        high = 10 if condition.max is None else condition.max
        assert answer.value is not None
        assert holds(condition, answers) == (low <= answer.value <= high)
    # Storing a range with both ends changes nothing it matches, nor does storing it at all.
    assert holds(condition.normalised(), answers) == holds(condition, answers)
    assert AnswerCondition.of_json(condition.as_json()) == condition


@fast
@given(st.lists(conditions, max_size=4), st.lists(conditions, max_size=4), latest)
def test_every_condition_must_hold_and_no_condition_asks_nothing(first, second, answers):
    assert meets([], answers)
    assert meets(first + second, answers) == (meets(first, answers) and meets(second, answers))


@fast
@given(st.lists(conditions, min_size=1, max_size=4), range_conditions)
def test_a_member_without_an_answer_meets_no_condition(given_conditions, scale):
    assert not meets(given_conditions, {})
    # An answer without a value (none given) is in no range.
    assert not holds(scale, {("bike", "recommend"): LatestAnswer()})
