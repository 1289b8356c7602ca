"""Answer conditions against the database: check them, match one member, or select everyone.

Every test reads the member's *latest* rows (`is_latest`, see `domain.models.questionnaires`):

- one member (the catalogue, a redemption): `latest_answers` loads the member's latest answers
  to the questionnaires the conditions name, in one query whatever the number of rewards, and
  the pure rule (`gamification.offers.meets`) decides;
- a population (campaign targets): `exists_sql` gives one `EXISTS` per condition, correlated on
  the member column of the caller's query, so targeting stays one set-based statement. A choice
  is an index lookup in `questionnaire_answer_choice` by (questionnaire_id, question_key,
  option, is_latest, member_id), a range one in `questionnaire_answer` by (questionnaire_id,
  question_key, is_latest, value, member_id).

Both read the same rows: `questionnaire_answer.choices` and the answer's
`questionnaire_answer_choice` rows are written together, and flipped to history together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.errors import reject_invalid
from domain.infra.db import matching, param
from domain.models import Questionnaire, QuestionnaireAnswer
from gamification.offers import (
    MAX_CONDITIONS,
    AnswerCondition,
    LatestAnswer,
    LatestAnswers,
    validate_conditions,
)
from gamification.questionnaires import Question


def of_stored(stored: Iterable[dict[str, Any]] | None) -> tuple[AnswerCondition, ...]:
    """Conditions as a campaign's target or a reward's audience stores them."""
    return tuple(AnswerCondition.of_json(item) for item in stored or ())


def stored(conditions: Sequence[AnswerCondition]) -> list[dict[str, Any]]:
    return [condition.as_json() for condition in conditions]


async def checked(
    conditions: Sequence[AnswerCondition],
    at: tuple[str, ...],
    connection: BaseDBAsyncClient | None = None,
) -> tuple[AnswerCondition, ...]:
    """The conditions, normalised (a range with both ends), once every one names an existing
    questionnaire, question and option and fits the question's kind; INVALID_INPUT on the first
    that does not (`at` names the field, e.g. ("input", "audience")). One query."""
    if len(conditions) > MAX_CONDITIONS:
        reject_invalid(validate_conditions(conditions, {}, at))  # before reading anything
    keys = sorted({condition.questionnaire for condition in conditions})
    questionnaires: dict[str, Sequence[Question]] = {}
    if keys:
        query = matching(Questionnaire, key__in=keys)
        if connection is not None:
            query = query.using_db(connection)
        for found in await query:
            questionnaires[found.key] = tuple(
                Question.of_json(item) for item in found.questions or ()
            )
    reject_invalid(validate_conditions(conditions, questionnaires, at))
    return tuple(condition.normalised() for condition in conditions)


async def latest_answers(
    member_id: str,
    conditions: Iterable[AnswerCondition],
    connection: BaseDBAsyncClient | None = None,
) -> LatestAnswers:
    """The member's latest answers to the questionnaires `conditions` name: one query (none
    without conditions)."""
    keys = sorted({condition.questionnaire for condition in conditions})
    if not keys:
        return {}
    query = QuestionnaireAnswer.filter(
        member_id=member_id, questionnaire_id__in=keys, is_latest=True
    )
    if connection is not None:
        query = query.using_db(connection)
    rows = await query.values_list("questionnaire_id", "question_key", "choices", "value")
    found: dict[tuple[str, str], LatestAnswer] = {}
    for questionnaire_id, question_key, choices, value in rows:
        if isinstance(choices, (str, bytes)):
            choices = json.loads(choices)
        found[(str(questionnaire_id), str(question_key))] = LatestAnswer(
            frozenset(str(choice) for choice in choices or ()),
            int(value) if value is not None else None,
        )
    return found


class Parameters:
    """A raw statement's parameters, each placeholder numbered as it is added: the SQL must be
    assembled in the order the parameters were (SQLite's `?` are positional)."""

    def __init__(self) -> None:
        self.values: list[object] = []

    def add(self, value: object) -> str:
        self.values.append(value)
        return param(len(self.values))

    def many(self, values: Iterable[object]) -> str:
        """Placeholders for an `IN (...)` list (non-empty)."""
        return ", ".join(self.add(value) for value in values)


def exists_sql(
    conditions: Sequence[AnswerCondition], member_column: str, parameters: Parameters
) -> list[str]:
    """One `EXISTS (...)` clause per condition, correlated on `member_column` (e.g.
    `mi.member_id`): the member's latest answer includes the choice, or its value lies in the
    range. AND them into the caller's WHERE. Conditions must be checked (`checked`)."""
    clauses = []
    for condition in conditions:
        questionnaire = parameters.add(condition.questionnaire)
        question = parameters.add(condition.question)
        if condition.choice is not None:
            option = parameters.add(condition.choice)
            # TRUE reads as 1 on SQLite, where booleans are stored as integers.
            clauses.append(
                "EXISTS (SELECT 1 FROM questionnaire_answer_choice c "
                f"WHERE c.questionnaire_id = {questionnaire} AND c.question_key = {question} "
                f'AND c."option" = {option} AND c.is_latest = TRUE '
                f"AND c.member_id = {member_column})"
            )
        else:
            normal = condition.normalised()
            low, high = parameters.add(normal.min), parameters.add(normal.max)
            clauses.append(
                "EXISTS (SELECT 1 FROM questionnaire_answer a "
                f"WHERE a.questionnaire_id = {questionnaire} AND a.question_key = {question} "
                f"AND a.is_latest = TRUE AND a.value BETWEEN {low} AND {high} "
                f"AND a.member_id = {member_column})"
            )
    return clauses
