"""A questionnaire's results from members' latest answers: three grouped queries, whatever the
number of members, optionally among one tier's members or one RFM segment's (latest refresh).

Counting happens in SQL (`GROUP BY` over the latest rows, by the indexes that lead with
questionnaire and question); the pure rules (`gamification.questionnaires`) turn the counts into
results: counts per option, the mean and NPS of SCALE questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise import connections

from domain.infra.db import param
from domain.insight import reads as insight_reads
from domain.models import Questionnaire
from domain.program import tier_ladder
from domain.questionnaires.definitions import questions_of
from gamification.questionnaires import QuestionResult, Responses, question_result
from gamification.tiers import BASE_TIER


@dataclass(frozen=True)
class Results:
    questionnaire: Questionnaire
    respondents: int
    questions: tuple[QuestionResult, ...]


async def _member_filter(
    tier: str | None, segment: str | None, start: int
) -> tuple[str, list[object]] | None:
    """SQL restricting `member_id` to the tier's or segment's members (both when both given),
    its first parameter numbered `start`; None when nobody can match."""
    clauses: list[str] = []
    params: list[object] = []
    if tier is not None:
        ladder = await tier_ladder.load_ladder()
        stored = sorted(key for key in ladder.rows if ladder.shown(key).key == tier)
        base = ladder.shown(BASE_TIER.key).key == tier
        held = []
        if stored:
            marks = ", ".join(param(start + len(params) + n) for n in range(len(stored)))
            held.append(f"tier_key IN ({marks})")
            params += stored
        if base:
            held.append("tier_key IS NULL")
        if not held:
            return None
        clauses.append(f"member_id IN (SELECT id FROM member WHERE {' OR '.join(held)})")
    if segment is not None:
        as_of = await insight_reads.latest_refresh()
        if as_of is None:
            return None
        first, second = param(start + len(params)), param(start + len(params) + 1)
        clauses.append(
            "member_id IN (SELECT member_id FROM member_insight "
            f"WHERE as_of = {first} AND segment = {second})"
        )
        params += [as_of, segment]
    return " AND ".join(f"({clause})" for clause in clauses) or "1 = 1", params


async def results(
    questionnaire: Questionnaire, tier: str | None = None, segment: str | None = None
) -> Results:
    """Results among everyone who answered (or the tier's or segment's members)."""
    questions = questions_of(questionnaire)
    # The questionnaire's key is the first parameter, the restriction's follow (SQLite numbers
    # them in the order they appear).
    restriction = await _member_filter(tier, segment, 2)
    if restriction is None:
        empty = tuple(question_result(question, Responses()) for question in questions)
        return Results(questionnaire, 0, empty)
    where, params = restriction
    key_at = param(1)
    params = [questionnaire.key, *params]
    connection = connections.get("default")
    # TRUE reads as 1 on SQLite, where booleans are stored as integers.
    latest = f"questionnaire_id = {key_at} AND is_latest = TRUE AND {where}"
    respondents = await connection.execute_query_dict(
        f"SELECT COUNT(*) AS n FROM questionnaire_submission WHERE {latest}", params
    )
    values = await connection.execute_query_dict(
        "SELECT question_key, value, COUNT(*) AS n FROM questionnaire_answer "
        f"WHERE {latest} GROUP BY question_key, value",
        params,
    )
    chosen = await connection.execute_query_dict(
        'SELECT question_key, "option", COUNT(*) AS n FROM questionnaire_answer_choice '
        f'WHERE {latest} GROUP BY question_key, "option"',
        params,
    )
    responses: dict[str, int] = {}
    histograms: dict[str, dict[int, int]] = {}
    for row in values:
        question = str(row["question_key"])
        responses[question] = responses.get(question, 0) + int(row["n"])
        if row["value"] is not None:
            histograms.setdefault(question, {})[int(row["value"])] = int(row["n"])
    options: dict[str, dict[str, int]] = {}
    for row in chosen:
        options.setdefault(str(row["question_key"]), {})[str(row["option"])] = int(row["n"])
    found = tuple(
        question_result(
            question,
            Responses(
                responses.get(question.key, 0),
                options.get(question.key, {}),
                histograms.get(question.key, {}),
            ),
        )
        for question in questions
    )
    return Results(questionnaire, int(respondents[0]["n"]), found)
