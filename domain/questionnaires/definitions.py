"""Define questionnaires (admin, audited) and read them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.errors import reject_invalid
from domain.infra.db import find_by_key, matching, transaction
from domain.models import Questionnaire
from domain.program import audit
from gamification.actions import ACTION_KEY, MAX_KEY_LENGTH, Problem
from gamification.questionnaires import Question, validate_questionnaire


@dataclass(frozen=True)
class QuestionnaireDefinition:
    key: str
    title: str
    questions: tuple[Question, ...]
    completion_action: str | None = None
    repeat_every_days: int | None = None
    active: bool = True


def questions_of(questionnaire: Questionnaire) -> tuple[Question, ...]:
    return tuple(Question.of_json(item) for item in questionnaire.questions or ())


def snapshot(questionnaire: Questionnaire) -> dict[str, Any]:
    return {
        "key": questionnaire.key,
        "title": questionnaire.title,
        "questions": questionnaire.questions,
        "completionAction": questionnaire.completion_action,
        "repeatEveryDays": questionnaire.repeat_every_days,
        "active": questionnaire.active,
    }


def _validate(definition: QuestionnaireDefinition) -> None:
    problems = validate_questionnaire(
        definition.key, definition.title, definition.questions, definition.repeat_every_days
    )
    action = definition.completion_action
    if action is not None and (len(action) > MAX_KEY_LENGTH or not ACTION_KEY.fullmatch(action)):
        problems.append(
            Problem(
                ("input", "completionAction"),
                "completionAction must be an action key, e.g. questionnaire.completed",
            )
        )
    reject_invalid(problems)


async def upsert_questionnaire(actor: str, definition: QuestionnaireDefinition) -> Questionnaire:
    """Create the questionnaire or replace its definition; audited.

    Answers already given stay as they were: a question removed keeps its answers (history),
    and results list options no longer offered after the offered ones. The completion action
    need not exist yet: an unknown action is recorded REJECTED (UNKNOWN_ACTION), as any
    interaction naming one, so the member still sees what happened.
    """
    _validate(definition)
    values = {
        "title": definition.title.strip(),
        "questions": [question.as_json() for question in definition.questions],
        "completion_action": definition.completion_action,
        "repeat_every_days": definition.repeat_every_days,
        "active": definition.active,
    }
    async with transaction() as connection:
        return await audit.upsert_by_key(
            connection,
            Questionnaire,
            definition.key,
            values,
            actor=actor,
            operation="upsertQuestionnaire",
            snapshot=snapshot,
        )


async def find(key: str, connection: BaseDBAsyncClient | None = None) -> Questionnaire | None:
    return await find_by_key(Questionnaire, key, connection)


async def listing(include_inactive: bool) -> list[Questionnaire]:
    """Questionnaires by key: all of them, or the active ones."""
    query = Questionnaire.all() if include_inactive else Questionnaire.filter(active=True)
    return await query.order_by("key")


async def by_keys(keys: Sequence[str]) -> dict[str, Questionnaire]:
    found = await matching(Questionnaire, key__in=list(keys))
    return {questionnaire.key: questionnaire for questionnaire in found}
