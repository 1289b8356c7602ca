"""Questionnaires in GraphQL: definitions, a member's status and answers, results."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.insight.types import RfmSegment
from domain.models import Questionnaire as QuestionnaireModel
from domain.questionnaires.answers import MemberStatus, StoredAnswer
from domain.questionnaires.definitions import questions_of
from domain.questionnaires.results import Results
from gamification import questionnaires as rules

QuestionKind = strawberry.enum(rules.QuestionKind, name="QuestionKind")

__all__ = ["QuestionKind", "RfmSegment"]


@strawberry.type
class Question:
    key: str
    prompt: str
    kind: QuestionKind  # type: ignore[valid-type]
    options: list[str] = strawberry.field(
        description="For choice questions: option keys in display order."
    )
    required: bool

    @classmethod
    def of_rule(cls, question: rules.Question) -> Question:
        return cls(
            key=question.key,
            prompt=question.prompt,
            kind=question.kind,
            options=list(question.options),
            required=question.required,
        )


@strawberry.type
class Questionnaire:
    key: str
    title: str
    questions: list[Question]
    completion_action: str | None = strawberry.field(
        description="The action recorded (through the award pipeline, so its points, limits and "
        "tier multiplier apply) when a member submits a complete set of answers: the first time "
        "only, unless `repeatEveryDays` allows again."
    )
    repeat_every_days: int | None = strawberry.field(
        description="Null = answered once for good; N = may be answered again N days after the "
        "last submission (the answers are replaced, history kept)."
    )
    active: bool

    @classmethod
    def from_model(cls, questionnaire: QuestionnaireModel) -> Questionnaire:
        return cls(
            key=questionnaire.key,
            title=questionnaire.title,
            questions=[Question.of_rule(q) for q in questions_of(questionnaire)],
            completion_action=questionnaire.completion_action,
            repeat_every_days=questionnaire.repeat_every_days,
            active=questionnaire.active,
        )


@strawberry.type
class Answer:
    question: str
    choices: list[str]
    value: int | None
    text: str | None
    answered_at: datetime

    @classmethod
    def of(cls, answer: StoredAnswer, show_text: bool) -> Answer:
        return cls(
            question=answer.question,
            choices=list(answer.choices),
            value=answer.value,
            text=answer.text if show_text else None,
            answered_at=answer.answered_at,
        )


@strawberry.type
class QuestionnaireStatus:
    questionnaire: Questionnaire
    answered: bool
    next_allowed_at: datetime | None = strawberry.field(
        description="When the member may answer again; null when they may now, or never again."
    )
    answers: list[Answer]

    @classmethod
    def of(cls, status: MemberStatus, show_text: bool = True) -> QuestionnaireStatus:
        """`show_text` False hides TEXT answers (null): private to the member and admins."""
        return cls(
            questionnaire=Questionnaire.from_model(status.questionnaire),
            answered=status.answered,
            next_allowed_at=status.next_allowed_at,
            answers=[Answer.of(answer, show_text) for answer in status.answers],
        )


@strawberry.type
class OptionCount:
    option: str
    count: int


@strawberry.type
class QuestionResult:
    question: str
    responses: int
    counts: list[OptionCount] = strawberry.field(description="Choice questions.")
    mean: float | None = strawberry.field(
        description="SCALE questions: mean and NPS (-100 to 100)."
    )
    nps: int | None

    @classmethod
    def of(cls, result: rules.QuestionResult) -> QuestionResult:
        return cls(
            question=result.question,
            responses=result.responses,
            counts=[OptionCount(option=option, count=count) for option, count in result.counts],
            mean=result.mean,
            nps=result.nps,
        )


@strawberry.type
class QuestionnaireResults:
    questionnaire: Questionnaire
    respondents: int
    questions: list[QuestionResult]

    @classmethod
    def of(cls, results: Results) -> QuestionnaireResults:
        return cls(
            questionnaire=Questionnaire.from_model(results.questionnaire),
            respondents=results.respondents,
            questions=[QuestionResult.of(result) for result in results.questions],
        )
