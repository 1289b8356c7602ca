"""Answer conditions: what members told a questionnaire, used to target campaigns and rewards.

A condition names one question of one questionnaire and either an option (`choice`: the member's
latest answer includes it) or a range of a SCALE question (`min`..`max`, both ends included: the
member's latest value lies in it). A list of conditions holds when every one of them does (AND);
an empty list holds for everyone.

Pure rules: the domain loads the questionnaires a list names, and a member's latest answers (or
turns the conditions into SQL for a whole population, `domain.offers`); these functions decide
what is valid and what matches, the same way on both sides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gamification.actions import Problem
from gamification.questionnaires import SCALE_MAX, SCALE_MIN, Question, QuestionKind

# Conditions per campaign target or reward audience: each is one EXISTS in a targeting query.
MAX_CONDITIONS = 10


@dataclass(frozen=True)
class AnswerCondition:
    """One condition. A valid one has `choice`, or a range (`min` and/or `max`), never both;
    once checked (`normalised`) a range has both ends."""

    questionnaire: str
    question: str
    choice: str | None = None
    min: int | None = None
    max: int | None = None

    @property
    def is_range(self) -> bool:
        return self.min is not None or self.max is not None

    def normalised(self) -> AnswerCondition:
        """A range with a missing end reaching the end of the scale (0 or 10)."""
        if not self.is_range:
            return self
        low = SCALE_MIN if self.min is None else self.min
        high = SCALE_MAX if self.max is None else self.max
        return AnswerCondition(self.questionnaire, self.question, None, low, high)

    def as_json(self) -> dict[str, Any]:
        """As stored (a campaign's target, a reward's audience)."""
        stored: dict[str, Any] = {"questionnaire": self.questionnaire, "question": self.question}
        if self.choice is not None:
            stored["choice"] = self.choice
        if self.min is not None:
            stored["min"] = self.min
        if self.max is not None:
            stored["max"] = self.max
        return stored

    @classmethod
    def of_json(cls, data: Mapping[str, Any]) -> AnswerCondition:
        def number(name: str) -> int | None:
            found = data.get(name)
            return int(found) if found is not None else None

        choice = data.get("choice")
        return cls(
            questionnaire=str(data["questionnaire"]),
            question=str(data["question"]),
            choice=str(choice) if choice is not None else None,
            min=number("min"),
            max=number("max"),
        )


@dataclass(frozen=True)
class LatestAnswer:
    """A member's latest answer to one question, as far as conditions can test it."""

    choices: frozenset[str] = frozenset()
    value: int | None = None


# (questionnaire key, question key) -> the member's latest answer to it
LatestAnswers = Mapping[tuple[str, str], LatestAnswer]


def holds(condition: AnswerCondition, answers: LatestAnswers) -> bool:
    """Whether the member's latest answers meet one condition: no answer meets none."""
    answer = answers.get((condition.questionnaire, condition.question))
    if answer is None:
        return False
    if condition.choice is not None:
        return condition.choice in answer.choices
    if answer.value is None:
        return False
    low = SCALE_MIN if condition.min is None else condition.min
    high = SCALE_MAX if condition.max is None else condition.max
    return low <= answer.value <= high


def meets(conditions: Sequence[AnswerCondition], answers: LatestAnswers) -> bool:
    """Every condition holds (an empty list: everyone)."""
    return all(holds(condition, answers) for condition in conditions)


def validate_conditions(
    conditions: Sequence[AnswerCondition],
    questionnaires: Mapping[str, Sequence[Question]],
    at: tuple[str, ...],
) -> list[Problem]:
    """Every problem of a list of conditions, fields named from `at` (e.g. `("input",
    "audience")`): too many; neither or both of a choice and a range; an unknown questionnaire
    (`questionnaires` holds the known ones a list names, with their questions), question or
    option; a condition that does not fit the question's kind (a choice on a choice question, a
    range within 0..10 on a SCALE one; TEXT answers are private and never targeted)."""
    problems: list[Problem] = []
    if len(conditions) > MAX_CONDITIONS:
        return [Problem(at, f"give at most {MAX_CONDITIONS} answer conditions")]
    for index, condition in enumerate(conditions):
        problem = _problem(condition, questionnaires, (*at, str(index)))
        if problem is not None:
            problems.append(problem)
    return problems


def _problem(
    condition: AnswerCondition,
    questionnaires: Mapping[str, Sequence[Question]],
    at: tuple[str, ...],
) -> Problem | None:
    if (condition.choice is None) == (not condition.is_range):
        return Problem(at, "an answer condition needs either a choice or a range (min, max)")
    questions = questionnaires.get(condition.questionnaire)
    if questions is None:
        return Problem(
            (*at, "questionnaire"), f"no questionnaire {condition.questionnaire[:100]!r}"
        )
    question = next((q for q in questions if q.key == condition.question), None)
    if question is None:
        return Problem(
            (*at, "question"),
            f"questionnaire {condition.questionnaire!r} has no question "
            f"{condition.question[:100]!r}",
        )
    kind = question.kind
    if condition.choice is not None:
        if not kind.has_options:
            return Problem(
                (*at, "choice"),
                f"question {question.key!r} is {kind.value}: a choice fits only choice questions",
            )
        if condition.choice not in question.options:
            return Problem((*at, "choice"), f"no option {condition.choice[:100]!r}")
        return None
    if kind is not QuestionKind.SCALE:
        field = "min" if condition.min is not None else "max"
        return Problem(
            (*at, field),
            f"question {question.key!r} is {kind.value}: a range fits only SCALE questions",
        )
    for name, bound in (("min", condition.min), ("max", condition.max)):
        if bound is not None and not SCALE_MIN <= bound <= SCALE_MAX:
            return Problem((*at, name), f"{name} must be {SCALE_MIN} to {SCALE_MAX}")
    if condition.min is not None and condition.max is not None and condition.min > condition.max:
        return Problem((*at, "max"), "max must not be below min")
    return None
