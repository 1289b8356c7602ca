"""DataLoaders for members: one query per batch, whatever the number of entries."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from domain.members.members import could_exist
from domain.members.profiles import PublicProfile, public_profiles
from domain.models import Member


async def _load_members(ids: Sequence[str]) -> list[Member | None]:
    possible = [member_id for member_id in ids if could_exist(member_id)]
    found = {member.id: member for member in await Member.filter(id__in=possible)}
    return [found.get(member_id) for member_id in ids]


class MemberLoaders:
    def __init__(self) -> None:
        self.by_id: DataLoader[str, Member | None] = DataLoader(load_fn=_load_members)
        self.public_by_id: DataLoader[str, PublicProfile | None] = DataLoader(
            load_fn=public_profiles
        )
