"""How many members hold each tier, for the console's dashboard. Reads only.

Two statements whatever the program's size: the ladder, and one GROUP BY over members' stored
tier key. Each count is of the tier a member is shown (`Ladder.shown`): members still on the
built-in base tier count toward the lowest rung, and an archived tier some members still hold
is listed after the ladder.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.functions import Count

from domain.models import Member
from domain.program.tier_ladder import load_ladder
from gamification.tiers import BASE_TIER


@dataclass(frozen=True)
class TierCount:
    key: str
    name: str
    threshold: int
    archived: bool
    members: int


async def members_by_tier() -> list[TierCount]:
    """Every rung of the ladder, lowest first (0 members included), then the archived tiers
    members still hold."""
    ladder = await load_ladder()
    rows = (
        await Member.all()
        .annotate(members=Count("id"))
        .group_by("tier_key")
        .values_list("tier_key", "members")
    )
    counts: dict[str, int] = {}
    for key, members in rows:
        # A key no tier row has (none should) counts as the base tier, as `Ladder.rule` reads it.
        shown = ladder.shown(str(key) if key in ladder.rows else BASE_TIER.key)
        counts[shown.key] = counts.get(shown.key, 0) + int(members)
    rungs = [rung.key for rung in ladder.rungs]
    held = sorted(
        (key for key in counts if key not in rungs),
        key=lambda key: (ladder.threshold_of(key) or 0, key),
    )
    found = []
    for key in rungs + held:
        rule = ladder.shown(key)
        found.append(
            TierCount(key, rule.name, rule.threshold, key not in rungs, counts.get(key, 0))
        )
    return found
