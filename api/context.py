"""The per-request GraphQL context: the runtime, the viewer, and fresh DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from strawberry.types import Info as StrawberryInfo

from api.auth import AuthenticationFailed, Role, TokenVerifier, Viewer
from api.badges.loaders import BadgeLoaders
from api.challenges.loaders import ChallengeLoaders
from api.content.loaders import ContentLoaders
from api.errors import forbidden, unauthenticated
from api.events.hub import EventHub
from api.insight.loaders import InsightLoaders
from api.leaderboards.loaders import BoardLoaders
from api.members.loaders import MemberLoaders
from api.questionnaires.loaders import QuestionnaireLoaders
from api.referrals.loaders import ReferralLoaders
from api.rewards.loaders import RewardLoaders
from api.streaks.loaders import StreakLoaders
from api.tiers.loaders import TierLoaders
from domain.program.tier_ladder import TierPolicy
from domain.runtime import Runtime


@dataclass
class Context:
    runtime: Runtime
    authorization: str | None
    verifier: TokenVerifier
    hub: EventHub | None = None  # members' live events (the API's, not a script's)
    # WebSockets: the graphql-transport-ws `connection_init` payload (Strawberry sets it).
    connection_params: dict[str, object] | None = None
    # Per member: (when, how many) of the next points expiry, computed once per request.
    next_expiry: dict[str, tuple[datetime, int] | None] = field(default_factory=dict)
    # The request's moment, read once from `Runtime.clock`: resolvers that depend on the time
    # read it here (never the system clock), so an answer is of one instant and tests move it.
    now: datetime = field(init=False)
    # The earliest moment after `now` at which this answer changes by time alone, as the
    # resolvers report it (`changes_at`); the member read cache keeps it no longer.
    valid_until: datetime | None = field(default=None, init=False)
    _viewer: Viewer | None = None
    _auth_error: str | None = None
    _authenticated: bool = False

    def __post_init__(self) -> None:
        self.now = self.runtime.clock()

    # DataLoaders are made when a resolver first asks for them: a request answered without
    # executing (`api.leaderboards.direct`, the shared pages) builds none of them.

    @cached_property
    def members(self) -> MemberLoaders:
        return MemberLoaders()

    @cached_property
    def rewards(self) -> RewardLoaders:
        return RewardLoaders()

    @cached_property
    def badges(self) -> BadgeLoaders:
        return BadgeLoaders()

    @cached_property
    def challenges(self) -> ChallengeLoaders:
        return ChallengeLoaders()

    @cached_property
    def contents(self) -> ContentLoaders:
        return ContentLoaders()

    @cached_property
    def referrals(self) -> ReferralLoaders:
        return ReferralLoaders()

    @cached_property
    def insight(self) -> InsightLoaders:
        return InsightLoaders()

    @cached_property
    def streaks(self) -> StreakLoaders:
        # One read of the program's definitions and of the activity rows per request, for
        # badges and streaks alike.
        return StreakLoaders(self.badges.definitions, self.badges.activity.load_many)

    @cached_property
    def tiers(self) -> TierLoaders:
        return TierLoaders(TierPolicy.of(self.runtime.settings), self.now, self.changes_at)

    @cached_property
    def questionnaires(self) -> QuestionnaireLoaders:
        return QuestionnaireLoaders(self.now, self.changes_at)

    @cached_property
    def boards(self) -> BoardLoaders:
        runtime = self.runtime
        return BoardLoaders(lambda: runtime.leaderboards)

    def changes_at(self, moment: datetime | None) -> None:
        """A resolver's answer changes at `moment` even if nothing is written (a challenge
        starts, points expire, ...): the answer is valid until the earliest of those."""
        if moment is None or moment <= self.now:
            return
        if self.valid_until is None or moment < self.valid_until:
            self.valid_until = moment

    def viewer(self) -> Viewer | None:
        """The caller, or None when anonymous; bad credentials fail whatever the operation."""
        if not self._authenticated:
            try:
                self._viewer = self.verifier.viewer_from_header(self.authorization)
            except AuthenticationFailed as exc:
                self._auth_error = str(exc)
            self._authenticated = True
        if self._auth_error:
            raise unauthenticated(self._auth_error)
        return self._viewer

    def require(self, *roles: Role) -> Viewer:
        viewer = self.viewer()
        if viewer is None:
            raise unauthenticated()
        if viewer.role not in roles:
            allowed = " or ".join(role.value.upper() for role in roles)
            article = "an" if allowed[0] in "AEIOU" else "a"
            raise forbidden(f"this needs {article} {allowed} token")
        return viewer

    def for_operation(self) -> Context:
        """A WebSocket's context for one more operation: the same connection and credentials
        (verified again, so an expired token stops working), fresh DataLoaders and caches."""
        return Context(
            runtime=self.runtime,
            authorization=self.authorization,
            verifier=self.verifier,
            hub=self.hub,
            connection_params=self.connection_params,
        )


Info = StrawberryInfo[Context, Any]
