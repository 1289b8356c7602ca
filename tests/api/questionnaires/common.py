"""Documents and set-ups shared by the questionnaire tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import ADMIN

UPSERT = """
mutation Upsert($input: UpsertQuestionnaireInput!) {
  upsertQuestionnaire(input: $input) {
    questionnaire {
      key title completionAction repeatEveryDays active
      questions { key prompt kind options required }
    }
    errors { code message field }
  }
}
"""

SUBMIT = """
mutation Submit($questionnaire: String!, $answers: [AnswerInput!]!, $key: String!) {
  submitAnswers(questionnaire: $questionnaire, answers: $answers, idempotencyKey: $key) {
    status {
      questionnaire { key }
      answered nextAllowedAt
      answers { question choices value text answeredAt }
    }
    interaction { id action status reason pointsAwarded }
    errors { code message field }
  }
}
"""

MINE = """
{ me { questionnaires { questionnaire { key active } answered nextAllowedAt
                        answers { question choices value text } } } }
"""

RESULTS = """
query Results($key: String!, $tier: String, $segment: RfmSegment) {
  questionnaireResults(key: $key, tier: $tier, segment: $segment) {
    questionnaire { key }
    respondents
    questions { question responses counts { option count } mean nps }
  }
}
"""

QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "riding",
        "prompt": "What do you ride most?",
        "kind": "SINGLE_CHOICE",
        "options": ["road", "mountain", "city"],
    },
    {
        "key": "services",
        "prompt": "Which services do you use?",
        "kind": "MULTIPLE_CHOICE",
        "options": ["repair", "fitting", "rental"],
    },
    {"key": "recommend", "prompt": "Would you recommend us?", "kind": "SCALE"},
    {"key": "wish", "prompt": "Anything we should stock?", "kind": "TEXT", "required": False},
]


def bike_profile(**extra: Any) -> dict[str, Any]:
    return {
        "key": "bike.profile",
        "title": "Your riding",
        "questions": QUESTIONS,
        "completionAction": "questionnaire.completed",
        **extra,
    }


def answers(
    riding: str = "road",
    services: tuple[str, ...] = ("repair",),
    recommend: int = 9,
    wish: str | None = None,
) -> list[dict[str, Any]]:
    given: list[dict[str, Any]] = [
        {"question": "riding", "choices": [riding]},
        {"question": "services", "choices": list(services)},
        {"question": "recommend", "value": recommend},
    ]
    if wish is not None:
        given.append({"question": "wish", "text": wish})
    return given


async def upsert(gql: Any, **extra: Any) -> dict[str, Any]:
    body = await gql(UPSERT, {"input": bike_profile(**extra)}, as_=ADMIN)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["upsertQuestionnaire"]
    return payload


async def submit(
    gql: Any,
    who: tuple[str, str],
    given: list[dict[str, Any]],
    key: str = "s1",
    questionnaire: str = "bike.profile",
) -> dict[str, Any]:
    body = await gql(
        SUBMIT, {"questionnaire": questionnaire, "answers": given, "key": key}, as_=who
    )
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["submitAnswers"]
    return payload
