from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.offers.types import AnswerCondition
from domain.models import Redemption as RedemptionModel
from domain.models import RedemptionStatus as RedemptionStatusEnum
from domain.models import Reward as RewardModel
from domain.points.rewards import audience_of

RedemptionStatus = strawberry.enum(RedemptionStatusEnum, name="RedemptionStatus")


@strawberry.type
class Reward:
    key: str
    name: str
    description: str
    cost: int = strawberry.field(description="Points it costs.")
    stock: int | None = strawberry.field(description="Units left; null = unlimited.")
    per_member_limit: int | None = strawberry.field(
        description="Most redemptions of this reward per member; null = unlimited."
    )
    required_tier: str | None = strawberry.field(
        description="Only members at this tier or above may redeem; null = everyone."
    )
    active: bool
    audience: list[AnswerCondition] = strawberry.field(
        description="Only members whose answers meet every condition see and may redeem it "
        "(personal offers); empty = everyone."
    )

    @classmethod
    def from_model(cls, reward: RewardModel) -> Reward:
        return cls(
            key=reward.key,
            name=reward.name,
            description=reward.description,
            cost=reward.cost,
            stock=reward.stock,
            per_member_limit=reward.per_member_limit,
            required_tier=reward.required_tier,
            active=reward.active,
            audience=AnswerCondition.listed(audience_of(reward)),
        )


@strawberry.type
class Redemption:
    id: strawberry.ID
    cost: int
    status: RedemptionStatus  # type: ignore[valid-type]
    created_at: datetime
    _model: strawberry.Private[RedemptionModel]

    @classmethod
    def from_model(cls, redemption: RedemptionModel) -> Redemption:
        return cls(
            id=strawberry.ID(str(redemption.id)),
            cost=redemption.cost,
            status=RedemptionStatusEnum(redemption.status),
            created_at=redemption.created_at,
            _model=redemption,
        )

    @strawberry.field
    async def reward(self, info: Info) -> Reward:

        reward = await info.context.rewards.by_key.load(self._model.reward_id)
        assert reward is not None  # the foreign key holds
        return Reward.from_model(reward)
