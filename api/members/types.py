from __future__ import annotations

from datetime import datetime

import strawberry

from api.badges import fields as badge_fields
from api.badges.types import BadgeStatus
from api.challenges import fields as challenge_fields
from api.challenges.types import ChallengeProgress, ChallengeStatus
from api.content.types import Content, member_contents
from api.context import Info
from api.events import fields as event_fields
from api.events.types import MemberEvent
from api.insight.fields import member_insight
from api.insight.types import MemberInsight
from api.int_bounds import as_graphql_int
from api.leaderboard_visibility.types import LeaderboardVisibility
from api.leaderboards import fields as leaderboard_fields
from api.leaderboards.types import LeaderboardStanding
from api.pagination import Connection, id_keyset_connection
from api.points import fields as points_fields
from api.questionnaires import fields as questionnaire_fields
from api.questionnaires.types import QuestionnaireStatus
from api.referrals.types import ReferralStatus
from api.rewards.types import Redemption
from api.streaks import fields as streak_fields
from api.streaks.types import Streak
from api.tiers.types import TierStatus
from domain.models import LedgerEntry as LedgerEntryModel
from domain.models import LedgerReason as LedgerReasonEnum
from domain.models import Member as MemberModel
from domain.models import Redemption as RedemptionModel
from domain.points import ledger
from gamification.leaderboards import Visibility

LedgerReason = strawberry.enum(LedgerReasonEnum, name="LedgerReason")


@strawberry.type
class PointsSummary:
    balance: int = strawberry.field(description="Spendable points now.")
    lifetime: int = strawberry.field(
        description="All points ever credited (never reduced by spending)."
    )
    _member_id: strawberry.Private[str]

    @strawberry.field(
        description="When the next points expire; null when expiry is off or none will."
    )
    async def next_expiry_at(self, info: Info) -> datetime | None:
        return await points_fields.next_expiry_at(self._member_id, info)

    @strawberry.field(description="How many points expire at nextExpiryAt; null when none will.")
    async def next_expiry_amount(self, info: Info) -> int | None:
        return await points_fields.next_expiry_amount(self._member_id, info)


@strawberry.type(description="One line of the append-only points ledger.")
class LedgerEntry:
    id: strawberry.ID
    amount: int
    reason: LedgerReason  # type: ignore[valid-type]
    description: str
    balance_after: int
    created_at: datetime

    @classmethod
    def from_model(cls, entry: LedgerEntryModel) -> LedgerEntry:
        return cls(
            id=strawberry.ID(str(entry.id)),
            amount=as_graphql_int(entry.amount, f"ledger entry {entry.id} amount"),
            reason=LedgerReasonEnum(entry.reason),
            description=entry.description,
            balance_after=as_graphql_int(entry.balance_after, f"ledger entry {entry.id} balance"),
            created_at=entry.created_at,
        )


@strawberry.type(description="A member of the program.")
class Member:
    id: strawberry.ID
    display_name: str
    avatar_url: str | None
    joined_at: datetime
    _model: strawberry.Private[MemberModel]

    @classmethod
    def from_model(cls, member: MemberModel) -> Member:
        return cls(
            id=strawberry.ID(member.id),
            display_name=member.display_name,
            avatar_url=member.avatar_url,
            joined_at=member.joined_at,
            _model=member,
        )

    @strawberry.field
    def points(self) -> PointsSummary:
        member = self._model
        return PointsSummary(
            balance=as_graphql_int(member.balance, f"member {member.id!r} balance"),
            lifetime=as_graphql_int(member.lifetime, f"member {member.id!r} lifetime points"),
            _member_id=member.id,
        )

    @strawberry.field(description="Newest first.")
    async def history(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> Connection[LedgerEntry]:
        async def fetch(size: int, before_id: int | None) -> list[LedgerEntryModel]:
            return await ledger.history(self._model.id, size, before_id)

        return await id_keyset_connection("ledger", first, after, fetch, LedgerEntry.from_model)

    @strawberry.field
    async def tier(self, info: Info) -> TierStatus:
        return await info.context.tiers.status_of(self._model)

    @strawberry.field(
        description="Earned badges first (newest first), then unearned non-secret badges with "
        "progress."
    )
    async def badges(self, info: Info) -> list[BadgeStatus]:
        return await badge_fields.member_badges(self._model, info)

    @strawberry.field(
        description="Challenges the member is enrolled in or has progress in; `status` filters "
        "on the challenge status. A repeating challenge shows its current round; a hidden one "
        "shows once the member completed it (to ADMIN always)."
    )
    async def challenges(
        self, info: Info, status: ChallengeStatus | None = None
    ) -> list[ChallengeProgress]:
        return await challenge_fields.member_challenges(self._model, info, status)

    @strawberry.field(
        description="The any-action streak first, then one per action that has a streak goal "
        "somewhere."
    )
    async def streaks(self, info: Info) -> list[Streak]:
        return await streak_fields.member_streaks(self._model, info)

    @strawberry.field(description="Newest first.")
    async def redemptions(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> Connection[Redemption]:
        async def fetch(size: int, before_id: int | None) -> list[RedemptionModel]:
            return await info.context.rewards.pages.load((self._model.id, size, before_id))

        return await id_keyset_connection("redemption", first, after, fetch, Redemption.from_model)

    @strawberry.field(description="What happened to the member, newest first.")
    async def events(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> Connection[MemberEvent]:
        return await event_fields.member_events(self._model.id, first, after)

    @strawberry.field(
        description="ADMIN always; the member themselves only when the program allows it. "
        "Null before the first refresh or before the member's first active day."
    )
    async def insight(self, info: Info) -> MemberInsight | None:
        return await member_insight(info, self._model.id)

    @strawberry.field(description="The member's side of the referral program.")
    async def referral(self, info: Info) -> ReferralStatus:
        return ReferralStatus.of(await info.context.referrals.standings.load(self._model))

    @strawberry.field(
        description="The member's rank and score on each board they have a score on, in each "
        "board's current period: the built-in boards first (points, referrals, content; DAILY "
        "to ALL_TIME), then each challenge's board (not archived) by key. One Redis round trip, "
        "no SQL per board: cheap enough for the progress screen."
    )
    async def standings(self, info: Info) -> list[LeaderboardStanding]:
        return await leaderboard_fields.member_standings(self._model.id, info)

    @strawberry.field(
        description="How the member appears on leaderboards to others (their own choice, "
        "`setLeaderboardVisibility`)."
    )
    def leaderboard_visibility(self) -> LeaderboardVisibility:
        return LeaderboardVisibility.of(Visibility(self._model.leaderboard_visibility))

    @strawberry.field(description="The member's own content, every status, newest first.")
    async def contents(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> Connection[Content]:
        return await member_contents(self._model, info, first, after)

    @strawberry.field(
        description="Active questionnaires (and inactive ones the member answered), by key, with "
        "the member's latest answers. TEXT answers are private to the member and admins (null "
        "for services)."
    )
    async def questionnaires(self, info: Info) -> list[QuestionnaireStatus]:
        return await questionnaire_fields.member_questionnaires(self._model, info)
