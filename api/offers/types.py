"""Answer conditions in GraphQL: the input admins give (a campaign's `target.answers`, a reward's
`audience`) and the type that shows them."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from gamification.offers import AnswerCondition as Condition


@strawberry.type
class AnswerCondition:
    """A condition as stored: a range shows both ends (a missing one is the end of the scale)."""

    questionnaire: str
    question: str
    choice: str | None
    min: int | None
    max: int | None

    @classmethod
    def of(cls, condition: Condition) -> AnswerCondition:
        return cls(
            questionnaire=condition.questionnaire,
            question=condition.question,
            choice=condition.choice,
            min=condition.min,
            max=condition.max,
        )

    @classmethod
    def listed(cls, conditions: Sequence[Condition]) -> list[AnswerCondition]:
        return [cls.of(condition) for condition in conditions]


@strawberry.input(
    description="A condition on one answer, used to target campaigns and rewards: the member's "
    "latest answer includes `choice`, or its value lies in [min, max]."
)
class AnswerConditionInput:
    questionnaire: str
    question: str
    choice: str | None = None
    min: int | None = None
    max: int | None = None

    def rule(self) -> Condition:
        return Condition(self.questionnaire, self.question, self.choice, self.min, self.max)


def conditions_of(given: Sequence[AnswerConditionInput] | None) -> tuple[Condition, ...]:
    """The conditions an input list gives (null: none)."""
    return tuple(item.rule() for item in given or ())
