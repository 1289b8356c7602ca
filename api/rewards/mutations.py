from __future__ import annotations

import strawberry

from api.atomic import Atomic
from api.auth import Role
from api.context import Info
from api.errors import UserError
from api.mutation_errors import UserErrors
from api.offers.types import AnswerConditionInput, conditions_of
from api.permissions import Requires, checked_viewer
from api.rewards.types import Redemption, Reward
from domain.errors import DomainError, ErrorCode
from domain.members.members import enrol
from domain.points import rewards


@strawberry.input
class UpsertRewardInput:
    key: str
    name: str
    cost: int
    description: str | None = ""
    stock: int | None = None
    per_member_limit: int | None = None
    required_tier: str | None = None
    active: bool | None = True
    audience: list[AnswerConditionInput] | None = strawberry.field(default_factory=list)


@strawberry.type
class RewardPayload:
    reward: Reward | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RedeemRewardInput:
    reward_key: str
    idempotency_key: str = strawberry.field(
        description="Unique per member. Repeating it returns the first redemption and spends "
        "nothing more."
    )


@strawberry.type
class RedeemRewardPayload:
    redemption: Redemption | None = None
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Errors: INSUFFICIENT_POINTS, OUT_OF_STOCK, LIMIT_REACHED, TIER_REQUIRED, "
        "NOT_FOUND, INACTIVE, FORBIDDEN (a personal offer whose audience the member's answers "
        "do not meet).",
    )


@strawberry.input
class CancelRedemptionInput:
    redemption_id: strawberry.ID
    reason: str


@strawberry.type
class CancelRedemptionPayload:
    redemption: Redemption | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RewardMutations:
    @strawberry.mutation(extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)])
    async def upsert_reward(self, info: Info, input: UpsertRewardInput) -> RewardPayload:
        viewer = checked_viewer(info)
        definition = rewards.RewardDefinition(
            key=input.key,
            name=input.name,
            cost=input.cost,
            description=input.description or "",
            stock=input.stock,
            per_member_limit=input.per_member_limit,
            required_tier=input.required_tier,
            active=True if input.active is None else input.active,
            audience=conditions_of(input.audience),
        )
        reward = await rewards.upsert_reward(viewer.subject, definition)
        return RewardPayload(reward=Reward.from_model(reward))

    @strawberry.mutation(
        extensions=[UserErrors(), Requires(Role.MEMBER)],
        description="Atomic: two concurrent redemptions can never spend more than the balance or "
        "the stock.",
    )
    async def redeem_reward(self, info: Info, input: RedeemRewardInput) -> RedeemRewardPayload:
        viewer = checked_viewer(info)
        await enrol(viewer.subject)
        redemption = await rewards.redeem(
            info.context.runtime, viewer.subject, input.reward_key, input.idempotency_key
        )
        return RedeemRewardPayload(redemption=Redemption.from_model(redemption))

    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="Refunds the points (a REVERSAL ledger entry) and restores the stock. Once "
        "only: a second cancel returns ALREADY_CANCELLED with the redemption as is.",
    )
    async def cancel_redemption(
        self, info: Info, input: CancelRedemptionInput
    ) -> CancelRedemptionPayload:
        viewer = checked_viewer(info)
        try:
            redemption = await rewards.cancel(
                info.context.runtime, viewer.subject, str(input.redemption_id), input.reason
            )
        except DomainError as error:
            if error.code is not ErrorCode.ALREADY_CANCELLED:
                raise  # answered by UserErrors, like every other mutation's
            # Unlike the others, this refusal still shows what it refused.
            found = await rewards.get_redemption(str(input.redemption_id))
            current = Redemption.from_model(found) if found else None
            return CancelRedemptionPayload(
                redemption=current, errors=[UserError.from_domain(error)]
            )
        return CancelRedemptionPayload(redemption=Redemption.from_model(redemption))
