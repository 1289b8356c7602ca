"""Tier statuses for many members: the tiers once and one grouped SUM per batch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from strawberry.dataloader import DataLoader

from api.tiers.types import Tier, TierStatus
from domain.models import Member
from domain.program import tier_ladder
from gamification import tiers as rules


class TierLoaders:
    def __init__(
        self,
        policy: tier_ladder.TierPolicy,
        now: datetime,
        changes_at: Callable[[datetime | None], None],
    ) -> None:
        """`now` is the request's moment; `changes_at` hears when a status read will change by
        time alone (qualifying points leaving or entering the rolling window)."""
        self.policy = policy
        self.now = now
        self.changes_at = changes_at
        self._members: dict[str, Member] = {}
        self.status: DataLoader[str, TierStatus] = DataLoader(load_fn=self._load)

    async def status_of(self, member: Member) -> TierStatus:
        self._members[member.id] = member
        return await self.status.load(member.id)

    async def _load(self, ids: Sequence[str]) -> list[TierStatus]:
        ladder = await tier_ladder.load_ladder()
        found = await tier_ladder.qualifying_standing_of(None, ids, self.now, self.policy)
        for standing in found.values():
            self.changes_at(standing.changes_at)
        return [
            self._status(self._members[i], ladder, found[i].points if i in found else 0)
            for i in ids
        ]

    def _status(self, member: Member, ladder: tier_ladder.Ladder, qualifying: int) -> TierStatus:
        state = tier_ladder.state_of(member)
        held = ladder.held_threshold(state.key)
        upcoming = rules.next_tier(state.key, ladder.rungs, held)
        return TierStatus(
            current=Tier.from_rule(ladder.shown(state.key)),
            next=Tier.from_rule(upcoming) if upcoming else None,
            qualifying_points=qualifying,
            points_to_next=rules.points_to_next(qualifying, state.key, ladder.rungs, held),
            since=state.since,
            retain_until=state.retain_until,
        )
