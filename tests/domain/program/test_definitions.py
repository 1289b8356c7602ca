"""Each process caches badge and challenge definitions; one version row tells it when an admin
changed them, in any process."""

from __future__ import annotations

import pytest

from domain.goals import badges
from domain.members.members import enrol
from domain.program import actions, definitions
from gamification.badges import BadgeDefinition
from gamification.goals import Goal, Metric


@pytest.fixture(autouse=True)
async def review_action(clean_state: None, runtime: object) -> None:
    """A goal may name only a defined action."""
    await actions.upsert_action("root", actions.ActionDefinition("review.posted", "Review", 10))


def reviewer(target: int) -> BadgeDefinition:
    goals = (Goal(Metric.ACTION_COUNT, "review.posted", target),)
    return BadgeDefinition("reviewer", "Reviewer", "", None, False, goals, 0)


async def test_another_process_sees_a_changed_badge_at_its_next_read(runtime):
    await enrol("ada")  # any table write; the cache reads only program_version and definitions
    other = definitions.DefinitionCache()  # as another worker process holds it
    await badges.upsert_badge("root", reviewer(5))
    before = await other.current()

    await badges.upsert_badge("root", reviewer(2))
    after = await other.current()

    assert before.badges["reviewer"].goals[0].target == 5
    assert after.badges["reviewer"].goals[0].target == 2
    assert after.version == before.version + 1


async def test_an_unchanged_program_is_not_reloaded(runtime):
    cache = definitions.DefinitionCache()
    await badges.upsert_badge("root", reviewer(5))

    first = await cache.current()
    second = await cache.current()

    assert second is first


async def test_the_index_finds_a_badge_by_what_can_move_it(runtime):
    await badges.upsert_badge("root", reviewer(5))
    loaded = await definitions.DefinitionCache().current()

    assert loaded.badge_index[(Metric.ACTION_COUNT, "review.posted")] == {"reviewer"}
    assert (Metric.ACTIVE_DAYS, "") not in loaded.badge_index
