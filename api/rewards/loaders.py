"""Rewards by key and members' redemption pages: one query (or two) per batch."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from domain.models import Redemption, Reward
from domain.points import rewards

# (member id, page size, before id)
PageKey = tuple[str, int, int | None]


async def _load_rewards(keys: Sequence[str]) -> list[Reward | None]:
    found = await rewards.rewards_by_key(keys)
    return [found.get(key) for key in keys]


async def _load_pages(keys: Sequence[PageKey]) -> list[list[Redemption]]:
    # Pages asked with the same size and cursor share one query.
    results: dict[PageKey, list[Redemption]] = {}
    shapes: dict[tuple[int, int | None], list[str]] = {}
    for member_id, size, before in keys:
        shapes.setdefault((size, before), []).append(member_id)
    for (size, before), member_ids in shapes.items():
        pages = await rewards.redemptions_of(member_ids, size, before)
        for member_id in member_ids:
            results[(member_id, size, before)] = pages.get(member_id, [])
    return [results[key] for key in keys]


class RewardLoaders:
    def __init__(self) -> None:
        self.by_key: DataLoader[str, Reward | None] = DataLoader(load_fn=_load_rewards)
        self.pages: DataLoader[PageKey, list[Redemption]] = DataLoader(load_fn=_load_pages)
