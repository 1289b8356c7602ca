from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from api.auth import Role
from api.context import Info
from api.errors import UserError
from api.interactions.types import Interaction
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer
from domain.errors import DomainError, ErrorCode
from domain.interactions import ingest
from domain.interactions import record as interactions


@strawberry.input
class RecordInteractionInput:
    action: str
    idempotency_key: str
    member_id: strawberry.ID | None = None
    occurred_at: datetime | None = None
    properties: JSON | None = None


@strawberry.type
class RecordInteractionPayload:
    interaction: Interaction | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="One item of a bulk call, in the order it was sent.")
class RecordInteractionResult:
    index: int = strawberry.field(description="The item's position in the request, from 0.")
    interaction: Interaction | None = strawberry.field(
        default=None,
        description="The stored interaction (new, or the earlier one with the same member and "
        "idempotency key).",
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why this item was refused; empty when it was stored. Other items are "
        "unaffected.",
    )


@strawberry.type
class RecordInteractionsPayload:
    results: list[RecordInteractionResult] = strawberry.field(
        default_factory=list, description="One result per item, same order as the request."
    )
    accepted: int = strawberry.field(default=0, description="Items stored (new or replayed).")
    refused: int = strawberry.field(default=0, description="Items refused.")
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Request-level errors (e.g. more items than allowed); when present, no "
        "item was stored.",
    )


@strawberry.type
class InteractionMutations:
    @strawberry.mutation(
        extensions=[
            UserErrors(),
            Requires(
                Role.MEMBER,
                Role.SERVICE,
                qualifiers={Role.MEMBER: "memberReportable actions only"},
                partners=True,
            ),
        ],
        description="Returns at once with status PENDING or the final status; a worker awards the "
        "points.",
    )
    async def record_interaction(
        self, info: Info, input: RecordInteractionInput
    ) -> RecordInteractionPayload:
        viewer = checked_viewer(info)
        member_id = _member_for(viewer.role, viewer.subject, input.member_id)
        interaction = await interactions.record_interaction(
            info.context.runtime,
            interactions.Recording(
                member_id=member_id,
                action_key=input.action,
                idempotency_key=input.idempotency_key,
                occurred_at=input.occurred_at,
                properties=input.properties,
                trusted=viewer.role is Role.SERVICE,
                partner=viewer.partner,
            ),
        )
        return RecordInteractionPayload(interaction=Interaction.from_model(interaction))

    @strawberry.mutation(
        extensions=[UserErrors(), Requires(Role.SERVICE, partners=True)],
        description="Up to 1,000 interactions in one call (imports, offline batches, partner "
        "feeds), each naming its memberId. Each item has exactly the semantics of "
        "recordInteraction (idempotency per member, timestamps, limits decided by the worker) and "
        "succeeds or fails on its own.",
    )
    async def record_interactions(
        self, info: Info, inputs: list[RecordInteractionInput]
    ) -> RecordInteractionsPayload:
        partner = checked_viewer(info).partner
        ingest.check_count(len(inputs))
        refused: dict[int, DomainError] = {}
        recorded: list[int] = []  # the indexes sent to the domain, in order
        recordings = []
        for index, item in enumerate(inputs):
            if item.member_id is None:
                refused[index] = DomainError(
                    ErrorCode.INVALID_INPUT, "memberId is required", ("input", "memberId")
                )
                continue
            recorded.append(index)
            recordings.append(
                interactions.Recording(
                    member_id=str(item.member_id),
                    action_key=item.action,
                    idempotency_key=item.idempotency_key,
                    occurred_at=item.occurred_at,
                    properties=item.properties,
                    trusted=True,
                    partner=partner,
                )
            )
        outcomes = await ingest.record_interactions(info.context.runtime, recordings)
        stored: dict[int, ingest.ItemResult] = dict(zip(recorded, outcomes, strict=True))
        results = []
        for index in range(len(inputs)):
            outcome = stored.get(index)
            if outcome is not None and outcome.interaction is not None:
                interaction = Interaction.from_model(outcome.interaction)
                results.append(RecordInteractionResult(index=index, interaction=interaction))
                continue
            problem = outcome.error if outcome is not None else refused[index]
            assert problem is not None
            user_error = UserError.from_domain(_for_item(problem, index))
            results.append(RecordInteractionResult(index=index, errors=[user_error]))
        accepted = sum(1 for result in results if result.interaction is not None)
        return RecordInteractionsPayload(
            results=results, accepted=accepted, refused=len(results) - accepted
        )


def _for_item(error: DomainError, index: int) -> DomainError:
    """The item's error with its field under `inputs.<index>` (the checks name `input.…`)."""
    field = error.field or []
    if field[:1] == ["input"]:
        field = field[1:]
    return DomainError(error.code, error.message, ["inputs", str(index), *field])


def _member_for(role: Role, subject: str, requested: strawberry.ID | None) -> str:
    if role is Role.MEMBER:
        if requested is not None and str(requested) != subject:
            raise DomainError(
                ErrorCode.FORBIDDEN,
                "a member may record interactions only for themselves",
                ("input", "memberId"),
            )
        return subject
    if requested is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "memberId is required with a SERVICE token",
            ("input", "memberId"),
        )
    return str(requested)
