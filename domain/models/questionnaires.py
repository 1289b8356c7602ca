"""Questionnaires and the answers members give them.

Three tables hold a member's answers, each keyed by `member_id` first, so every lookup and unique
key works within one member and answer-based targeting is one set-based query:

- `questionnaire_submission`: one row per accepted submission (the history), unique by
  (member_id, idempotency_key); `is_latest` marks a member's newest submission per questionnaire.
- `questionnaire_answer`: one row per (submission, question) answered. `is_latest` is true on the
  rows of the member's newest submission of that questionnaire, false on older ones (history
  kept). At most one latest row exists per (member_id, questionnaire_id, question_key): a
  submission flips the previous ones to false in the same transaction, under the member's row
  lock. SCALE answers are in `value`, TEXT answers in `text`, choice answers in `choices` (JSON,
  the member's order, for display) *and* one `questionnaire_answer_choice` row per option.
- `questionnaire_answer_choice`: one row per chosen option, denormalised (member_id,
  questionnaire_id, question_key, option, is_latest) so SQL tests "the latest answer includes
  option X" with plain equality on both SQLite and PostgreSQL:

      SELECT member_id FROM questionnaire_answer_choice
       WHERE questionnaire_id = $1 AND question_key = $2 AND option = $3 AND is_latest

  and a value range the same way on `questionnaire_answer` (`value BETWEEN $min AND $max AND
  is_latest`). Both are index scans by (questionnaire_id, question_key, ...) among latest rows.
  (The column is `is_latest` because Tortoise reserves `latest` on models.)
"""

from typing import Any

from tortoise import fields
from tortoise.models import Model

from domain.models.interactions import Interaction
from domain.models.members import Member


class Questionnaire(Model):
    """An admin-defined questionnaire. `questions` is a list of {key, prompt, kind, options,
    required} (see `gamification.questionnaires.Question`), in display order."""

    key = fields.CharField(primary_key=True, max_length=100)
    title = fields.CharField(max_length=200)
    questions: fields.Field[Any] = fields.JSONField(default=list)
    # The action recorded through the award pipeline on a complete submission; null = none.
    completion_action = fields.CharField(max_length=100, null=True)
    # Null = answered once for good; N = may be answered again N days after the last submission.
    repeat_every_days = fields.IntField(null=True)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "questionnaire"


class QuestionnaireSubmission(Model):
    """One accepted set of answers. Unique by (member, idempotency key): a replay finds this row
    and returns what the first request did. `interaction` is the completion interaction recorded
    for it, if any."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="questionnaire_submissions", on_delete=fields.RESTRICT
    )
    member_id: str
    questionnaire: fields.ForeignKeyRelation[Questionnaire] = fields.ForeignKeyField(
        "models.Questionnaire", related_name="submissions", on_delete=fields.RESTRICT
    )
    questionnaire_id: str
    idempotency_key = fields.CharField(max_length=128, null=True)
    submitted_at = fields.DatetimeField()
    # True on the member's newest submission of this questionnaire.
    is_latest = fields.BooleanField(default=True)
    interaction: fields.ForeignKeyNullableRelation[Interaction] = fields.ForeignKeyField(
        "models.Interaction", related_name="+", null=True, on_delete=fields.SET_NULL
    )
    interaction_id: int | None

    class Meta:
        table = "questionnaire_submission"
        unique_together = (("member", "idempotency_key"),)
        indexes = (("member", "questionnaire", "is_latest"),)


class QuestionnaireAnswer(Model):
    """A member's answer to one question in one submission (see the module docstring)."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="questionnaire_answers", on_delete=fields.RESTRICT
    )
    member_id: str
    submission: fields.ForeignKeyRelation[QuestionnaireSubmission] = fields.ForeignKeyField(
        "models.QuestionnaireSubmission", related_name="answers", on_delete=fields.CASCADE
    )
    submission_id: int
    questionnaire: fields.ForeignKeyRelation[Questionnaire] = fields.ForeignKeyField(
        "models.Questionnaire", related_name="answers", on_delete=fields.RESTRICT
    )
    questionnaire_id: str
    question_key = fields.CharField(max_length=100)
    # Choice questions: the chosen option keys in the member's order (one row each in
    # questionnaire_answer_choice too).
    choices: fields.Field[Any] = fields.JSONField(default=list)
    value = fields.IntField(null=True)  # SCALE, 0 to 10
    text = fields.TextField(null=True)  # TEXT, private; removed by erasure
    answered_at = fields.DatetimeField()
    is_latest = fields.BooleanField(default=True)

    class Meta:
        table = "questionnaire_answer"
        unique_together = (("member", "submission", "question_key"),)
        indexes = (
            # a member's latest answers (Member.questionnaires, flipping latest)
            ("member", "questionnaire", "is_latest"),
            # targeting and results: latest SCALE values of a question
            ("questionnaire", "question_key", "is_latest", "value", "member"),
        )


class QuestionnaireAnswerChoice(Model):
    """One option a member chose in one answer, denormalised for set-based targeting: see the
    module docstring. `is_latest` mirrors its answer's."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="questionnaire_choices", on_delete=fields.RESTRICT
    )
    member_id: str
    answer: fields.ForeignKeyRelation[QuestionnaireAnswer] = fields.ForeignKeyField(
        "models.QuestionnaireAnswer", related_name="chosen", on_delete=fields.CASCADE
    )
    answer_id: int
    questionnaire_id = fields.CharField(max_length=100)
    question_key = fields.CharField(max_length=100)
    option = fields.CharField(max_length=100)
    is_latest = fields.BooleanField(default=True)

    class Meta:
        table = "questionnaire_answer_choice"
        unique_together = (("member", "answer", "option"),)
        indexes = (
            # targeting and results: who chose option X in their latest answer
            ("questionnaire_id", "question_key", "option", "is_latest", "member"),
            ("member", "questionnaire_id", "is_latest"),
        )
