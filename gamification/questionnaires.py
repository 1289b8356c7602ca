"""Questionnaires: what a valid definition is, what a valid set of answers is, when a member may
answer again, and the results (counts per option, mean, NPS).

Pure rules: the domain loads the definition and the member's last submission, and stores what
these functions accept. A set of answers is accepted whole or not at all: `check_answers` returns
every problem, and the domain stores nothing when there is one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from gamification.actions import ACTION_KEY, MAX_KEY_LENGTH, Problem
from gamification.text import within

MAX_QUESTIONS = 50
MAX_OPTIONS = 50
MAX_PROMPT = 500
MAX_TITLE = 200
MAX_TEXT = 2_000
SCALE_MIN = 0
SCALE_MAX = 10
MAX_REPEAT_DAYS = 3_650
# NPS: promoters answer 9 or 10, detractors 0 to 6 (passives 7 and 8 count only in the total).
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6


class QuestionKind(StrEnum):
    SINGLE_CHOICE = "SINGLE_CHOICE"
    MULTIPLE_CHOICE = "MULTIPLE_CHOICE"
    SCALE = "SCALE"
    TEXT = "TEXT"

    @property
    def has_options(self) -> bool:
        return self in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


@dataclass(frozen=True)
class Question:
    key: str
    prompt: str
    kind: QuestionKind
    options: tuple[str, ...] = ()
    required: bool = True

    def as_json(self) -> dict[str, object]:
        """As stored in `questionnaire.questions`."""
        return {
            "key": self.key,
            "prompt": self.prompt,
            "kind": self.kind.value,
            "options": list(self.options),
            "required": self.required,
        }

    @classmethod
    def of_json(cls, data: dict[str, object]) -> Question:
        options = data.get("options") or []
        assert isinstance(options, list)
        return cls(
            key=str(data["key"]),
            prompt=str(data["prompt"]),
            kind=QuestionKind(str(data["kind"])),
            options=tuple(str(option) for option in options),
            required=bool(data.get("required", True)),
        )


@dataclass(frozen=True)
class Answer:
    """One answer as sent: `choices` for choice questions, `value` for SCALE, `text` for TEXT."""

    question: str
    choices: tuple[str, ...] = ()
    value: int | None = None
    text: str | None = None

    @property
    def empty(self) -> bool:
        """Nothing given: the same as leaving the question out."""
        return not self.choices and self.value is None and not (self.text or "").strip()


def _key_ok(key: str) -> bool:
    return len(key) <= MAX_KEY_LENGTH and ACTION_KEY.fullmatch(key) is not None


def _option_ok(option: str) -> bool:
    return 1 <= len(option) <= MAX_KEY_LENGTH and option.isprintable() and option.strip() == option


def validate_questionnaire(
    key: str,
    title: str,
    questions: Sequence[Question],
    repeat_every_days: int | None,
) -> list[Problem]:
    """Every problem of a definition, fields named as in `UpsertQuestionnaireInput`."""
    problems: list[Problem] = []
    if not _key_ok(key):
        problems.append(
            Problem(
                ("input", "key"),
                "key must be lowercase dot-separated words, e.g. bike.profile "
                f"(at most {MAX_KEY_LENGTH} characters)",
            )
        )
    if not within(title, MAX_TITLE):
        problems.append(Problem(("input", "title"), f"title must be 1 to {MAX_TITLE} characters"))
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        problems.append(Problem(("input", "questions"), f"give 1 to {MAX_QUESTIONS} questions"))
    seen: set[str] = set()
    for index, question in enumerate(questions):
        at = ("input", "questions", str(index))
        if not _key_ok(question.key):
            problems.append(
                Problem((*at, "key"), "a question's key must be lowercase words, e.g. usage")
            )
        elif question.key in seen:
            problems.append(Problem((*at, "key"), f"question key {question.key!r} is repeated"))
        seen.add(question.key)
        if not within(question.prompt, MAX_PROMPT):
            problems.append(
                Problem((*at, "prompt"), f"prompt must be 1 to {MAX_PROMPT} characters")
            )
        if question.kind.has_options:
            if not 2 <= len(question.options) <= MAX_OPTIONS:
                problems.append(
                    Problem((*at, "options"), f"a choice question needs 2 to {MAX_OPTIONS} options")
                )
            elif len(set(question.options)) != len(question.options):
                problems.append(Problem((*at, "options"), "options must be distinct"))
            elif not all(_option_ok(option) for option in question.options):
                problems.append(
                    Problem(
                        (*at, "options"),
                        f"an option must be 1 to {MAX_KEY_LENGTH} printable characters, "
                        "without surrounding spaces",
                    )
                )
        elif question.options:
            problems.append(
                Problem((*at, "options"), f"a {question.kind.value} question takes no options")
            )
    if repeat_every_days is not None and not 1 <= repeat_every_days <= MAX_REPEAT_DAYS:
        problems.append(
            Problem(
                ("input", "repeatEveryDays"),
                f"repeatEveryDays must be 1 to {MAX_REPEAT_DAYS}, or null (answered once)",
            )
        )
    return problems


def check_answers(questions: Sequence[Question], answers: Sequence[Answer]) -> list[Problem]:
    """Every problem of a set of answers: an unknown or repeated question, the wrong kind of
    answer, an unknown option, a value out of range, a text too long, a required question left
    out. An empty answer counts as left out."""
    problems: list[Problem] = []
    by_key = {question.key: question for question in questions}
    answered: set[str] = set()
    for index, answer in enumerate(answers):
        at = ("answers", str(index))
        question = by_key.get(answer.question)
        if question is None:
            problems.append(Problem((*at, "question"), f"no question {answer.question[:100]!r}"))
            continue
        if answer.question in answered:
            problems.append(Problem((*at, "question"), "a question is answered twice"))
            continue
        answered.add(answer.question)
        if answer.empty:
            continue
        problems.extend(_check_one(question, answer, at))
    for question in questions:
        given = any(a.question == question.key and not a.empty for a in answers)
        if question.required and not given:
            problems.append(Problem(("answers",), f"question {question.key!r} must be answered"))
    return problems


def _check_one(question: Question, answer: Answer, at: tuple[str, ...]) -> list[Problem]:
    kind = question.kind
    wrong = []
    if answer.choices and not kind.has_options:
        wrong.append("choices")
    if answer.value is not None and kind is not QuestionKind.SCALE:
        wrong.append("value")
    if answer.text is not None and answer.text.strip() and kind is not QuestionKind.TEXT:
        wrong.append("text")
    if wrong:
        expected = {
            QuestionKind.SINGLE_CHOICE: "choices",
            QuestionKind.MULTIPLE_CHOICE: "choices",
            QuestionKind.SCALE: "value",
            QuestionKind.TEXT: "text",
        }[kind]
        return [
            Problem(
                (*at, wrong[0]),
                f"question {question.key!r} is {kind.value}: answer it with {expected}",
            )
        ]
    if kind.has_options:
        unknown = [choice for choice in answer.choices if choice not in question.options]
        if unknown:
            return [Problem((*at, "choices"), f"no option {unknown[0][:100]!r}")]
        if len(set(answer.choices)) != len(answer.choices):
            return [Problem((*at, "choices"), "an option is chosen twice")]
        if kind is QuestionKind.SINGLE_CHOICE and len(answer.choices) != 1:
            return [Problem((*at, "choices"), "choose exactly one option")]
        return []
    if kind is QuestionKind.SCALE:
        assert answer.value is not None  # not empty, and nothing else given
        if not SCALE_MIN <= answer.value <= SCALE_MAX:
            return [Problem((*at, "value"), f"value must be {SCALE_MIN} to {SCALE_MAX}")]
        return []
    text = (answer.text or "").strip()
    if len(text) > MAX_TEXT:
        return [Problem((*at, "text"), f"text must be at most {MAX_TEXT:,} characters")]
    return []


def stored_text(answer: Answer) -> str | None:
    """A TEXT answer as stored: trimmed (the limit counts what is stored)."""
    return answer.text.strip() if answer.text is not None else None


def next_allowed_at(
    last_submitted: datetime | None, repeat_every_days: int | None
) -> datetime | None:
    """When a member whose last submission was `last_submitted` may answer again: None when
    they never answered. With `repeat_every_days` None, a questionnaire is answered once for
    good (`answered_for_good`)."""
    if last_submitted is None or repeat_every_days is None:
        return None
    return last_submitted + timedelta(days=repeat_every_days)


def may_answer(
    last_submitted: datetime | None, repeat_every_days: int | None, now: datetime
) -> bool:
    """Whether a member may submit now: never answered, or `repeat_every_days` have passed."""
    if last_submitted is None:
        return True
    due = next_allowed_at(last_submitted, repeat_every_days)
    return due is not None and now >= due


@dataclass(frozen=True)
class QuestionResult:
    question: str
    responses: int
    counts: tuple[tuple[str, int], ...] = ()
    mean: float | None = None
    nps: int | None = None


@dataclass(frozen=True)
class Responses:
    """The latest answers to one question, as the domain counts them in SQL: how many, how many
    chose each option (choice questions), how many gave each value (SCALE)."""

    responses: int = 0
    chosen: Mapping[str, int] = field(default_factory=dict)
    values: Mapping[int, int] = field(default_factory=dict)


def nps(values: Mapping[int, int]) -> int | None:
    """Net promoter score of a histogram (value -> how many gave it): % of promoters (9-10)
    minus % of detractors (0-6), rounded half away from zero, -100 to 100; None without
    responses."""
    total = sum(values.values())
    if not total:
        return None
    promoters = sum(count for value, count in values.items() if value >= PROMOTER_FROM)
    detractors = sum(count for value, count in values.items() if value <= DETRACTOR_UP_TO)
    # Integer arithmetic: round half away from zero without floating point surprises.
    numerator = 100 * (promoters - detractors)
    magnitude = (2 * abs(numerator) + total) // (2 * total)
    return magnitude if numerator >= 0 else -magnitude


def mean(values: Mapping[int, int]) -> float | None:
    """The mean of a histogram (value -> how many gave it); None without responses."""
    total = sum(values.values())
    if not total:
        return None
    return sum(value * count for value, count in values.items()) / total


def question_result(question: Question, responses: Responses) -> QuestionResult:
    """A question's result: counts per option in display order (then options no longer offered
    that latest answers still name, by key), the mean and NPS for SCALE."""
    if question.kind.has_options:
        counts = [(option, responses.chosen.get(option, 0)) for option in question.options]
        offered = set(question.options)
        counts += sorted(
            (option, count) for option, count in responses.chosen.items() if option not in offered
        )
        return QuestionResult(question.key, responses.responses, tuple(counts))
    if question.kind is QuestionKind.SCALE:
        return QuestionResult(
            question.key,
            responses.responses,
            mean=mean(responses.values),
            nps=nps(responses.values),
        )
    return QuestionResult(question.key, responses.responses)
