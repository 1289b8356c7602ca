"""Members' referral standings (`Member.referral`): a few grouped reads per batch of members."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from domain.community import referrals
from domain.community.referrals import ReferralStanding
from domain.models import Member


async def _load_standings(members: Sequence[Member]) -> list[ReferralStanding]:
    found = await referrals.standings(list(members))
    return [found[member.id] for member in members]


class ReferralLoaders:
    def __init__(self) -> None:
        self.standings: DataLoader[Member, ReferralStanding] = DataLoader(
            load_fn=_load_standings, cache_key_fn=lambda member: member.id
        )
