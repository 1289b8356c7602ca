"""Members' answers: submit a set (validated whole, idempotent, at most as often as the
questionnaire allows) and read a member's latest answers.

A submission runs in one transaction under the member's row lock: the previous latest rows of
that questionnaire are flipped to `is_latest = false` (kept as history), the new ones inserted,
and the completion interaction (when the questionnaire names a `completionAction`) stored PENDING
beside them, so the worker awards it through the award pipeline like any other interaction
(points, limits, the tier multiplier, badges, challenges). The worker is woken once it commits.
Every accepted submission is complete (required questions are enforced), so the completion is
recorded once per allowed submission: once, or again after `repeatEveryDays`.

The unique (member, idempotency key) of a submission, and that of its interaction, back the lock
up: a replay returns the first submission and its interaction, credits nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from domain.errors import (
    DomainError,
    ErrorCode,
    idempotency_key_reused,
    invalid_input,
    not_found,
    reject_invalid,
)
from domain.infra import metrics
from domain.infra.db import after_commit, find_by_key, fitted, transaction
from domain.infra.queue import wake_workers
from domain.interactions.record import stored_action_key, verdict_at_recording
from domain.members.members import enrol, lock_member
from domain.models import (
    Action,
    Interaction,
    InteractionStatus,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireAnswerChoice,
    QuestionnaireSubmission,
)
from domain.questionnaires.definitions import find, questions_of
from domain.runtime import Runtime
from gamification.questionnaires import (
    Answer,
    check_answers,
    may_answer,
    next_allowed_at,
    stored_text,
)

MAX_IDEMPOTENCY_KEY = 128
MAX_ANSWERS = 100


@dataclass(frozen=True)
class StoredAnswer:
    question: str
    choices: tuple[str, ...]
    value: int | None
    text: str | None
    answered_at: datetime


@dataclass(frozen=True)
class MemberStatus:
    """A member's side of one questionnaire: their latest answers and when they may answer
    again (`next_allowed_at`: None when they may now, or never again)."""

    questionnaire: Questionnaire
    answered: bool
    next_allowed_at: datetime | None
    answers: tuple[StoredAnswer, ...]
    # When this status changes by time alone (the member may answer again), for the read cache.
    changes_at: datetime | None = None


@dataclass(frozen=True)
class Submitted:
    status: MemberStatus
    interaction: Interaction | None


def _normalised(
    answers: Sequence[Answer],
) -> dict[str, tuple[tuple[str, ...], int | None, str | None]]:
    """What a set of (valid) answers stores, by question: empty answers are left out."""
    return {
        answer.question: (tuple(answer.choices), answer.value, stored_text(answer))
        for answer in answers
        if not answer.empty
    }


def _stored(
    rows: Sequence[QuestionnaireAnswer],
) -> dict[str, tuple[tuple[str, ...], int | None, str | None]]:
    return {row.question_key: (tuple(row.choices or ()), row.value, row.text) for row in rows}


def status_of(
    questionnaire: Questionnaire,
    latest: QuestionnaireSubmission | None,
    rows: Sequence[QuestionnaireAnswer],
    now: datetime,
) -> MemberStatus:
    """The member's status from their latest submission and its answers, at `now`."""
    answers = tuple(
        StoredAnswer(
            row.question_key, tuple(row.choices or ()), row.value, row.text, row.answered_at
        )
        for row in sorted(rows, key=lambda row: _position(questionnaire, row.question_key))
    )
    if latest is None:
        return MemberStatus(questionnaire, False, None, answers)
    due = next_allowed_at(latest.submitted_at, questionnaire.repeat_every_days)
    if due is not None and due <= now:
        return MemberStatus(questionnaire, True, None, answers)
    return MemberStatus(questionnaire, True, due, answers, changes_at=due)


def _position(questionnaire: Questionnaire, question_key: str) -> tuple[int, str]:
    """Answers in the questionnaire's order; those to questions since removed, last."""
    keys = [item.get("key") for item in questionnaire.questions or ()]
    return (keys.index(question_key) if question_key in keys else len(keys), question_key)


def _check_idempotency_key(key: str) -> None:
    if not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise invalid_input(
            f"idempotencyKey must be 1 to {MAX_IDEMPOTENCY_KEY} printable characters",
            "idempotencyKey",
        )


async def submit(
    runtime: Runtime,
    member_id: str,
    questionnaire_key: str,
    answers: Sequence[Answer],
    idempotency_key: str,
) -> Submitted:
    """Store a member's complete set of answers, or return the submission made earlier with the
    same idempotency key. INVALID_INPUT (nothing stored) for an invalid set; TOO_SOON when the
    member may not answer again yet (or ever: answered once for good)."""
    _check_idempotency_key(idempotency_key)
    if len(answers) > MAX_ANSWERS:
        raise invalid_input(f"give at most {MAX_ANSWERS} answers", "answers")
    questionnaire = await find(questionnaire_key)
    if questionnaire is None:
        raise not_found(f"no questionnaire {questionnaire_key[:100]!r}", "questionnaire")
    reject_invalid(check_answers(questions_of(questionnaire), answers))
    now = runtime.clock()
    await enrol(member_id)
    try:
        return await _submit(runtime, member_id, questionnaire, answers, idempotency_key, now)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its submission.
        winner = await QuestionnaireSubmission.get_or_none(
            member_id=member_id, idempotency_key=idempotency_key
        )
        if winner is None:
            raise
        return await _replayed(winner, questionnaire, answers, now)


async def _submit(
    runtime: Runtime,
    member_id: str,
    questionnaire: Questionnaire,
    answers: Sequence[Answer],
    idempotency_key: str,
    now: datetime,
) -> Submitted:
    async with transaction() as connection:
        await lock_member(connection, member_id)
        # Under the member's lock: a request with the same key may have committed while this one
        # waited (PostgreSQL reads committed rows afresh).
        existing = (
            await QuestionnaireSubmission.filter(
                member_id=member_id, idempotency_key=idempotency_key
            )
            .using_db(connection)
            .first()
        )
        if existing is not None:
            return await _replayed(existing, questionnaire, answers, now, connection)
        if not questionnaire.active:
            raise DomainError(
                ErrorCode.INACTIVE, "this questionnaire is not open", ("questionnaire",)
            )
        key = questionnaire.key
        last = (
            await QuestionnaireSubmission.filter(
                member_id=member_id, questionnaire_id=key, is_latest=True
            )
            .using_db(connection)
            .first()
        )
        last_at = last.submitted_at if last is not None else None
        if not may_answer(last_at, questionnaire.repeat_every_days, now):
            due = next_allowed_at(last_at, questionnaire.repeat_every_days)
            message = (
                "this questionnaire is answered once"
                if due is None
                else f"you may answer this questionnaire again from {due.isoformat()}"
            )
            raise DomainError(ErrorCode.TOO_SOON, message, ("questionnaire",))
        # The previous answers become history.
        for model in (QuestionnaireSubmission, QuestionnaireAnswer):
            await (
                model.filter(member_id=member_id, questionnaire_id=key, is_latest=True)
                .using_db(connection)
                .update(is_latest=False)
            )
        await (
            QuestionnaireAnswerChoice.filter(
                member_id=member_id, questionnaire_id=key, is_latest=True
            )
            .using_db(connection)
            .update(is_latest=False)
        )
        submission = await QuestionnaireSubmission.create(
            member_id=member_id,
            questionnaire_id=key,
            idempotency_key=idempotency_key,
            submitted_at=now,
            is_latest=True,
            using_db=connection,
        )
        rows = await _store_answers(connection, member_id, key, submission, answers, now)
        interaction = await _record_completion(runtime, connection, questionnaire, submission, now)
    return Submitted(status_of(questionnaire, submission, rows, now), interaction)


async def _store_answers(
    connection: BaseDBAsyncClient,
    member_id: str,
    questionnaire_key: str,
    submission: QuestionnaireSubmission,
    answers: Sequence[Answer],
    now: datetime,
) -> list[QuestionnaireAnswer]:
    rows = []
    choices = []
    for answer in answers:
        if answer.empty:
            continue
        row = await QuestionnaireAnswer.create(
            member_id=member_id,
            submission_id=submission.id,
            questionnaire_id=questionnaire_key,
            question_key=answer.question,
            choices=list(answer.choices),
            value=answer.value,
            text=stored_text(answer),
            answered_at=now,
            is_latest=True,
            using_db=connection,
        )
        rows.append(row)
        choices += [
            QuestionnaireAnswerChoice(
                member_id=member_id,
                answer_id=row.id,
                questionnaire_id=questionnaire_key,
                question_key=answer.question,
                option=option,
                is_latest=True,
            )
            for option in answer.choices
        ]
    if choices:
        await QuestionnaireAnswerChoice.bulk_create(choices, using_db=connection)
    return rows


def completion_key(questionnaire_key: str, submission_id: int) -> str:
    """The completion interaction's idempotency key: one per submission (the reserved prefix
    `questionnaire:` keeps clients' keys out of it, `domain.interactions.record`)."""
    return fitted(
        Interaction, "idempotency_key", f"questionnaire:{questionnaire_key}:{submission_id}"
    )


async def _record_completion(
    runtime: Runtime,
    connection: BaseDBAsyncClient,
    questionnaire: Questionnaire,
    submission: QuestionnaireSubmission,
    now: datetime,
) -> Interaction | None:
    """Store the completion interaction in the submission's transaction, decided at recording as
    a SERVICE-recorded interaction would be (an unknown or inactive action: REJECTED at once),
    else PENDING for the worker; wake the worker once committed."""
    action_key = questionnaire.completion_action
    if action_key is None:
        return None
    action = await find_by_key(Action, action_key, connection)
    verdict = verdict_at_recording(action, now, now, True, runtime)
    status = InteractionStatus.PENDING if verdict is None else InteractionStatus(verdict.outcome)
    interaction = await Interaction.create(
        member_id=submission.member_id,
        action_key=stored_action_key(action_key),
        idempotency_key=completion_key(questionnaire.key, submission.id),
        status=status,
        reason=verdict.reason if verdict else None,
        occurred_at=now,
        processed_at=now if verdict else None,
        properties={"questionnaire": questionnaire.key},
        using_db=connection,
    )
    submission.interaction_id = interaction.id
    await submission.save(using_db=connection, update_fields=["interaction_id"])

    async def recorded() -> None:
        metrics.observe_recorded([status])
        if status is InteractionStatus.PENDING:
            await wake_workers(runtime.queue)

    after_commit(recorded)
    return interaction


async def _replayed(
    earlier: QuestionnaireSubmission,
    questionnaire: Questionnaire,
    answers: Sequence[Answer],
    now: datetime,
    connection: BaseDBAsyncClient | None = None,
) -> Submitted:
    """The earlier submission with this key, when it answered the same questionnaire the same
    way; IDEMPOTENCY_KEY_REUSED otherwise."""
    if earlier.questionnaire_id != questionnaire.key:
        raise idempotency_key_reused("submission", "a different questionnaire")
    query = QuestionnaireAnswer.filter(submission_id=earlier.id)
    if connection is not None:
        query = query.using_db(connection)
    rows = await query
    if _stored(rows) != _normalised(answers):
        raise idempotency_key_reused("submission", "different answers")
    interaction = None
    if earlier.interaction_id is not None:
        found = Interaction.filter(id=earlier.interaction_id)
        if connection is not None:
            found = found.using_db(connection)
        interaction = await found.first()
    member_id = earlier.member_id
    statuses = await statuses_of([member_id], [questionnaire], now, connection)
    return Submitted(statuses[member_id][0], interaction)


async def statuses_of(
    member_ids: Sequence[str],
    questionnaires: Sequence[Questionnaire],
    now: datetime,
    connection: BaseDBAsyncClient | None = None,
) -> dict[str, list[MemberStatus]]:
    """Each member's status of each of `questionnaires` (in that order): two queries whatever
    the number of members."""
    keys = [questionnaire.key for questionnaire in questionnaires]
    submissions = QuestionnaireSubmission.filter(
        member_id__in=list(member_ids), questionnaire_id__in=keys, is_latest=True
    )
    rows = QuestionnaireAnswer.filter(
        member_id__in=list(member_ids), questionnaire_id__in=keys, is_latest=True
    )
    if connection is not None:
        submissions, rows = submissions.using_db(connection), rows.using_db(connection)
    latest = {(s.member_id, s.questionnaire_id): s for s in await submissions}
    answers: dict[tuple[str, str], list[QuestionnaireAnswer]] = {}
    for row in await rows:
        answers.setdefault((row.member_id, row.questionnaire_id), []).append(row)
    return {
        member_id: [
            status_of(
                questionnaire,
                latest.get((member_id, questionnaire.key)),
                answers.get((member_id, questionnaire.key), []),
                now,
            )
            for questionnaire in questionnaires
        ]
        for member_id in member_ids
    }


async def answered_keys(member_ids: Sequence[str]) -> dict[str, set[str]]:
    """The questionnaires each member has answered (latest submissions): one query."""
    found: dict[str, set[str]] = {member_id: set() for member_id in member_ids}
    rows = await QuestionnaireSubmission.filter(
        member_id__in=list(member_ids), is_latest=True
    ).values_list("member_id", "questionnaire_id")
    for member_id, questionnaire_id in rows:
        found[str(member_id)].add(str(questionnaire_id))
    return found
