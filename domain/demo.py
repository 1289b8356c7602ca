"""A small demo program, so a fresh GraphiQL shows real data. Safe to load twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain import interactions, members, rewards, tiers
from domain.actions import ActionDefinition, upsert_action
from domain.runtime import Runtime
from gamification.limits import Limit
from gamification.periods import Period
from gamification.tiers import TierRule

ACTIONS = [
    ActionDefinition(
        "review.posted", "Posted a review", 50, "A product review", [Limit(Period.DAY, 3)]
    ),
    ActionDefinition("survey.completed", "Completed a survey", 30, member_reportable=False),
    ActionDefinition(
        "app.daily_open",
        "Opened the app",
        5,
        "Once a day",
        [Limit(Period.DAY, 1)],
        member_reportable=True,
    ),
    ActionDefinition(
        "content.shared", "Shared content", 10, cooldown_seconds=60, member_reportable=True
    ),
]

TIERS = [
    TierRule("base", "Base", 0, 1.0),
    TierRule("silver", "Silver", 500, 1.25, ("Free shipping",)),
    TierRule("gold", "Gold", 2000, 1.5, ("Free shipping", "Priority support")),
]

REWARDS = [
    rewards.RewardDefinition("coffee", "A coffee", 100, "Any size, any shop"),
    rewards.RewardDefinition("mug", "Plaudit mug", 400, "Ceramic", stock=50, per_member_limit=1),
    rewards.RewardDefinition(
        "lounge.pass", "Lounge pass", 1500, "One day", stock=10, required_tier="gold"
    ),
]

MEMBERS = {
    "demo-ada": ("Ada", ["review.posted", "survey.completed", "app.daily_open", "content.shared"]),
    "demo-grace": ("Grace", ["review.posted", "review.posted", "app.daily_open"]),
    "demo-alan": ("Alan", ["survey.completed", "content.shared"]),
    "demo-linus": ("Linus", ["app.daily_open"]),
}


async def load(runtime: Runtime) -> str:
    for definition in ACTIONS:
        await upsert_action("demo", definition)
    for tier in TIERS:
        await tiers.upsert_tier("demo", tier)
    for reward in REWARDS:
        await rewards.upsert_reward("demo", reward)
    now = datetime.now(UTC)
    recorded = 0
    for member_id, (name, done) in MEMBERS.items():
        await members.update_profile(member_id, name, None)
        for index, action in enumerate(done):
            interaction = await interactions.record_interaction(
                runtime,
                interactions.Recording(
                    member_id=member_id,
                    action_key=action,
                    idempotency_key=f"demo-{index}",
                    occurred_at=now - timedelta(minutes=10 * (len(done) - index)),
                    properties={"demo": True},
                    trusted=True,
                ),
            )
            # Processed here rather than left to a worker, so the demo works without one.
            await interactions.process_interaction(runtime, interaction.id)
            recorded += 1
    return (
        f"demo program: {len(ACTIONS)} actions, {len(TIERS)} tiers, {len(REWARDS)} rewards, "
        f"{len(MEMBERS)} members, "
        f"{recorded} interactions (member ids: {', '.join(MEMBERS)})"
    )
