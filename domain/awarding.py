"""One award in progress: what crediting inside a transaction needs, and what it leaves behind.

An interaction (or an admin's hand-awarded badge) can set off a chain: its points complete a
challenge, whose reward points and badge move a POINTS_EARNED badge, and so on. `Awarding`
carries that chain inside one transaction, under the member's lock: credits go through the
ledger, each credit becomes a POINTS fact for the goals engine (`settle`), and the leaderboard
scores to project once committed pile up in `score_updates`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient

from domain import activity, badges, challenges, definitions, ledger, tiers
from domain.leaderboards import ScoreUpdate
from domain.models import ActivityStats, LedgerReason, Member, MemberBadge
from gamification.goals import Fact, FactKind, Totals
from gamification.periods import local_date
from gamification.points import counts_as_earned

# Badges and challenges are each earned once, so a chain ends; this only guards against a bug.
MAX_ROUNDS = 100


@dataclass
class Awarding:
    connection: BaseDBAsyncClient
    member: Member
    tz: ZoneInfo
    tier_policy: tiers.TierPolicy
    ladder: tiers.Ladder | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    score_updates: list[ScoreUpdate] = field(default_factory=list)
    pending: list[Fact] = field(default_factory=list)
    # The member's activity rows read or written so far (None: the member has none).
    stats: dict[str, ActivityStats | None] = field(default_factory=dict)
    _definitions: definitions.Definitions | None = None
    _earned: set[str] | None = None

    def fact(
        self, kind: FactKind, at: datetime, action: str | None = None, amount: int = 1
    ) -> Fact:
        return Fact(kind, at, local_date(at, self.tz), action, amount)

    async def credit(
        self, amount: int, reason: LedgerReason, description: str, source_key: str, at: datetime
    ) -> ledger.Posting | None:
        """Post to the ledger; earned points become a POINTS fact for the goals engine."""
        if amount == 0:
            return None
        posting = await ledger.post(
            self.connection,
            self.member,
            amount,
            reason,
            description,
            source_key,
            at,
            self.tz,
            tier_policy=self.tier_policy,
            ladder=self.ladder,
        )
        self.score_updates += posting.score_updates
        if counts_as_earned(reason.value, amount):
            self.pending.append(self.fact(FactKind.POINTS, at, amount=amount))
        return posting

    async def definitions(self) -> definitions.Definitions:
        """The program's badges and challenges, read once per award."""
        if self._definitions is None:
            self._definitions = await definitions.cache.current(self.connection)
        return self._definitions

    async def earned_badges(self) -> set[str]:
        """Keys of the badges the member holds, kept current as this award earns more."""
        if self._earned is None:
            rows = await MemberBadge.filter(member_id=self.member.id).using_db(self.connection)
            self._earned = {row.badge_id for row in rows}
        return self._earned

    async def totals(self, actions: set[str]) -> Totals:
        """The member's whole-history totals for `actions` (and whatever was read before)."""
        missing = sorted(actions - self.stats.keys())
        if missing:
            found = await activity.stats_of(self.connection, [self.member.id], missing)
            rows = {row.action_key: row for row in found[self.member.id]}
            for action in missing:
                self.stats[action] = rows.get(action)
        present = [row for row in self.stats.values() if row is not None]
        return activity.totals_of(present, self.member.lifetime)

    async def settle(self) -> None:
        """Evaluate the goals every pending fact can move, until no award adds another fact."""
        for _ in range(MAX_ROUNDS):
            if not self.pending:
                return
            fact = self.pending.pop(0)
            await challenges.advance(self, fact)
            await badges.check(self, fact)
        raise RuntimeError(f"awarding for member {self.member.id} did not settle")
