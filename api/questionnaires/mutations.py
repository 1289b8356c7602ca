from __future__ import annotations

import strawberry

from api.atomic import Atomic
from api.auth import Role
from api.context import Info
from api.errors import UserError
from api.interactions.types import Interaction
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer
from api.questionnaires.types import QuestionKind, Questionnaire, QuestionnaireStatus
from domain.questionnaires import answers as submissions
from domain.questionnaires import definitions
from gamification import questionnaires as rules


@strawberry.input
class QuestionInput:
    key: str
    prompt: str
    kind: QuestionKind  # type: ignore[valid-type]
    options: list[str] | None = strawberry.field(default_factory=list)
    required: bool | None = True


@strawberry.input
class UpsertQuestionnaireInput:
    key: str
    title: str
    questions: list[QuestionInput]
    completion_action: str | None = None
    repeat_every_days: int | None = None
    active: bool | None = True


@strawberry.type
class QuestionnairePayload:
    questionnaire: Questionnaire | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AnswerInput:
    question: str
    choices: list[str] | None = strawberry.field(
        default_factory=list, description="Option keys for choice questions."
    )
    value: int | None = strawberry.field(default=None, description="For SCALE.")
    text: str | None = strawberry.field(default=None, description="For TEXT.")


@strawberry.type
class SubmitAnswersPayload:
    status: QuestionnaireStatus | None = None
    interaction: Interaction | None = strawberry.field(
        default=None, description="The completion interaction, when one was recorded."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


def _question(item: QuestionInput) -> rules.Question:
    return rules.Question(
        key=item.key,
        prompt=item.prompt.strip(),
        kind=rules.QuestionKind(item.kind),
        options=tuple(item.options or ()),
        required=item.required is not False,
    )


def _answer(item: AnswerInput) -> rules.Answer:
    return rules.Answer(
        question=item.question,
        choices=tuple(item.choices or ()),
        value=item.value,
        text=item.text,
    )


@strawberry.type
class QuestionnaireMutations:
    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="Create or redefine a questionnaire; answers already given are kept.",
    )
    async def upsert_questionnaire(
        self, info: Info, input: UpsertQuestionnaireInput
    ) -> QuestionnairePayload:
        viewer = checked_viewer(info)
        definition = definitions.QuestionnaireDefinition(
            key=input.key,
            title=input.title,
            questions=tuple(_question(item) for item in input.questions),
            completion_action=input.completion_action,
            repeat_every_days=input.repeat_every_days,
            active=input.active is not False,
        )
        questionnaire = await definitions.upsert_questionnaire(viewer.subject, definition)
        return QuestionnairePayload(questionnaire=Questionnaire.from_model(questionnaire))

    @strawberry.mutation(
        extensions=[UserErrors(), Requires(Role.MEMBER)],
        description="All required questions must be answered, with valid options/values "
        "(INVALID_INPUT otherwise, nothing stored). Too early to answer again: TOO_SOON.",
    )
    async def submit_answers(
        self,
        info: Info,
        questionnaire: str,
        answers: list[AnswerInput],
        idempotency_key: str,
    ) -> SubmitAnswersPayload:
        viewer = checked_viewer(info)
        submitted = await submissions.submit(
            info.context.runtime,
            viewer.subject,
            questionnaire,
            [_answer(item) for item in answers],
            idempotency_key,
        )
        interaction = submitted.interaction
        return SubmitAnswersPayload(
            status=QuestionnaireStatus.of(submitted.status),
            interaction=Interaction.from_model(interaction) if interaction is not None else None,
        )
