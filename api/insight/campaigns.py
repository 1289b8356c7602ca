"""Campaigns through the API: `campaigns`, `campaign(key)`, `campaignAudience(target)` and
`upsertCampaign` (ADMIN)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import strawberry

from api.atomic import Atomic
from api.auth import Role
from api.badges.types import Badge
from api.context import Info
from api.errors import UserError, from_domain
from api.insight.types import ChurnRisk, RfmSegment
from api.mutation_errors import UserErrors
from api.offers.types import AnswerCondition, AnswerConditionInput, conditions_of
from api.permissions import Requires, checked_viewer
from domain.errors import DomainError
from domain.infra.db import find_by_key
from domain.insight import campaigns
from domain.insight import reads as insight_reads
from domain.models import Campaign as CampaignModel
from gamification.campaigns import Target
from gamification.churn import ChurnRisk as Risk
from gamification.rfm import RfmSegment as Segment


@strawberry.enum
class CampaignStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    RUNNING = "RUNNING"
    ENDED = "ENDED"


@strawberry.type
class CampaignTarget:
    segments: list[RfmSegment]  # type: ignore[valid-type]
    churn_risks: list[ChurnRisk]  # type: ignore[valid-type]
    tiers: list[str] = strawberry.field(description="Tier keys.")
    answers: list[AnswerCondition] = strawberry.field(
        description="Members whose latest answers meet every condition."
    )


@strawberry.type
class CampaignOffer:
    bonus_points: int
    _badge_key: strawberry.Private[str | None]

    @strawberry.field
    async def badge(self, info: Info) -> Badge | None:
        if self._badge_key is None:
            return None
        found = await info.context.badges.by_key.load(self._badge_key)
        return Badge.from_model(found) if found is not None else None


@strawberry.type
class CampaignGroup:
    members: int
    active_within_7_days: float = strawberry.field(
        name="activeWithin7Days",
        description="Share of the group with an active day within 7 / 30 days after being "
        "treated (or held out).",
    )
    active_within_30_days: float = strawberry.field(name="activeWithin30Days")
    points_earned_per_member: float = strawberry.field(
        description="Mean points credited per member since, excluding the campaign's own bonus."
    )

    @classmethod
    def of(cls, group: campaigns.Group) -> CampaignGroup:
        return cls(
            members=group.members,
            active_within_7_days=group.active_within_7_days,
            active_within_30_days=group.active_within_30_days,
            points_earned_per_member=group.points_earned_per_member,
        )


@strawberry.type
class CampaignResults:
    treated: CampaignGroup
    holdout: CampaignGroup
    uplift: float = strawberry.field(
        description="activeWithin30Days of treated minus holdout, with a 95% confidence interval."
    )
    uplift_low: float
    uplift_high: float


@strawberry.type
class Campaign:
    key: str
    name: str
    message: str = strawberry.field(description="Shown to treated members in their member event.")
    target: CampaignTarget = strawberry.field(
        description="Members matching every non-empty list are targeted."
    )
    offer: CampaignOffer
    starts_at: datetime
    ends_at: datetime
    holdout_percent: int = strawberry.field(
        description="Share of targeted members held out (drawn deterministically per member and "
        "campaign), 0 to 50."
    )
    status: CampaignStatus
    _model: strawberry.Private[CampaignModel]

    @classmethod
    def of(cls, model: CampaignModel) -> Campaign:
        target = campaigns.target_of(model)
        return cls(
            key=model.key,
            name=model.name,
            message=model.message,
            target=CampaignTarget(
                segments=[Segment(s) for s in sorted(target.segments)],
                churn_risks=[Risk(r) for r in sorted(target.churn_risks)],
                tiers=sorted(target.tiers),
                answers=AnswerCondition.listed(target.answers),
            ),
            offer=CampaignOffer(bonus_points=int(model.bonus_points), _badge_key=model.badge_key),
            starts_at=model.starts_at,
            ends_at=model.ends_at,
            holdout_percent=model.holdout_percent,
            status=CampaignStatus(campaigns.status(model, datetime.now(UTC))),
            _model=model,
        )

    @strawberry.field
    async def treated(self, info: Info) -> int:
        treated, _ = await info.context.insight.draws.load(self._model.id)
        return treated

    @strawberry.field
    async def held_out(self, info: Info) -> int:
        _, held_out = await info.context.insight.draws.load(self._model.id)
        return held_out

    @strawberry.field
    async def results(self, info: Info) -> CampaignResults:
        found = await campaigns.results(info.context.runtime.settings, self._model)
        return CampaignResults(
            treated=CampaignGroup.of(found.treated),
            holdout=CampaignGroup.of(found.holdout),
            uplift=found.uplift.estimate,
            uplift_low=found.uplift.low,
            uplift_high=found.uplift.high,
        )


@strawberry.input
class CampaignTargetInput:
    segments: list[RfmSegment] | None = strawberry.field(default_factory=list)  # type: ignore[valid-type]
    churn_risks: list[ChurnRisk] | None = strawberry.field(default_factory=list)  # type: ignore[valid-type]
    tiers: list[str] | None = strawberry.field(default_factory=list)
    answers: list[AnswerConditionInput] | None = strawberry.field(default_factory=list)


@strawberry.input
class CampaignOfferInput:
    bonus_points: int | None = 0
    badge_key: str | None = None


@strawberry.input
class UpsertCampaignInput:
    key: str
    name: str
    message: str
    target: CampaignTargetInput
    offer: CampaignOfferInput
    starts_at: datetime
    ends_at: datetime
    holdout_percent: int | None = 10


@strawberry.type
class CampaignPayload:
    campaign: Campaign | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
    audience: int | None = strawberry.field(
        default=None,
        description="How many members the campaign's target reaches now (the latest insight "
        "refresh, as `campaignAudience`); null when the mutation failed.",
    )
    warnings: list[str] = strawberry.field(
        default_factory=list,
        description="What is saved but probably not meant, e.g. a target that reaches nobody "
        "now. The campaign is saved all the same (`errors` is empty).",
    )


def _spec(input: UpsertCampaignInput) -> campaigns.CampaignSpec:
    target = input.target
    return campaigns.CampaignSpec(
        key=input.key,
        name=input.name,
        message=input.message,
        segments=tuple(sorted({Segment(s).value for s in target.segments or []})),
        churn_risks=tuple(sorted({Risk(r).value for r in target.churn_risks or []})),
        tiers=tuple(sorted(set(target.tiers or []))),
        bonus_points=input.offer.bonus_points or 0,
        badge_key=input.offer.badge_key,
        starts_at=input.starts_at,
        ends_at=input.ends_at,
        holdout_percent=10 if input.holdout_percent is None else input.holdout_percent,
        answers=conditions_of(target.answers),
    )


def _target(target: CampaignTargetInput) -> Target:
    return Target(
        frozenset(Segment(s).value for s in target.segments or []),
        frozenset(Risk(r).value for r in target.churn_risks or []),
        frozenset(target.tiers or []),
        conditions_of(target.answers),
    )


async def _warnings(reach: int) -> list[str]:
    """What to tell the admin who saved a campaign reaching `reach` members now."""
    if reach:
        return []
    if await insight_reads.latest_refresh() is None:
        return [
            "this campaign reaches nobody yet: no insight refresh has run (the nightly "
            "refresh_insight job, or plaudit insight refresh)"
        ]
    return ["this campaign reaches nobody now: no member of the latest refresh matches its target"]


@strawberry.type
class CampaignQueries:
    @strawberry.field(extensions=[Requires(Role.ADMIN)])
    async def campaigns(self, info: Info) -> list[Campaign]:
        return [Campaign.of(model) for model in await CampaignModel.all().order_by("starts_at")]

    @strawberry.field(extensions=[Requires(Role.ADMIN)])
    async def campaign(self, info: Info, key: str) -> Campaign | None:
        model = await find_by_key(CampaignModel, key)
        return Campaign.of(model) if model is not None else None

    @strawberry.field(
        extensions=[Requires(Role.ADMIN)],
        description="How many members a campaign with this target would reach now (from the "
        "latest insight refresh), before launching it.",
    )
    async def campaign_audience(self, info: Info, target: CampaignTargetInput) -> int:
        try:
            checked = await campaigns.checked_target(_target(target))
        except DomainError as error:
            raise from_domain(error) from error
        return await campaigns.audience(checked)


@strawberry.type
class CampaignMutations:
    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="Creates or replaces a campaign; a started campaign's target and offer are "
        "fixed.",
    )
    async def upsert_campaign(self, info: Info, input: UpsertCampaignInput) -> CampaignPayload:
        viewer = checked_viewer(info)
        model = await campaigns.upsert(viewer.subject, _spec(input), datetime.now(UTC))
        reach = await campaigns.audience(campaigns.target_of(model))
        return CampaignPayload(
            campaign=Campaign.of(model), audience=reach, warnings=await _warnings(reach)
        )
