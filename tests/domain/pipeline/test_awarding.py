"""The award chain: one interaction can complete a challenge, whose reward points and badge
earn further badges, all in the interaction's transaction, and all exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.goals import badges, challenges
from domain.interactions import record as interactions
from domain.models import (
    Challenge,
    ChallengeParticipant,
    Interaction,
    LedgerEntry,
    LedgerReason,
    MemberBadge,
    MemberEvent,
)
from gamification.badges import BadgeDefinition
from gamification.challenges import ChallengeDefinition, Window
from gamification.goals import Goal, Metric
from tests.conftest import SERVICE
from tests.helpers import define, record


def badge(key: str, goals: tuple[Goal, ...] = (), reward: int = 0) -> BadgeDefinition:
    return BadgeDefinition(key, key.title(), "", None, False, goals, reward)


async def program() -> None:
    now = datetime.now(UTC)
    await badges.upsert_badge("root", badge("champion", reward=100))
    await badges.upsert_badge(
        "root", badge("big.earner", (Goal(Metric.POINTS_EARNED, None, 300),), reward=7)
    )
    await challenges.upsert_challenge(
        "root",
        ChallengeDefinition(
            "sprint",
            "Sprint",
            Window(now - timedelta(hours=1), now + timedelta(days=1)),
            (Goal(Metric.ACTION_COUNT, "review.posted", 2),),
            150,
            None,
        ),
        reward_badge_key="champion",
    )


async def test_one_interaction_completes_a_challenge_and_earns_the_badges_it_leads_to(gql, drain):
    await define(gql, "review.posted", 25, memberReportable=False)
    await program()
    for key in ("r1", "r2"):
        await record(gql, SERVICE, action="review.posted", memberId="ada", key=key)
    await drain()

    entries = await LedgerEntry.filter(member_id="ada").order_by("id")
    assert [(e.reason, e.amount) for e in entries] == [
        (LedgerReason.ACTION, 25),
        (LedgerReason.ACTION, 25),
        (LedgerReason.CHALLENGE, 150),
        (LedgerReason.BADGE, 100),  # the challenge's reward badge
        (LedgerReason.BADGE, 7),  # 25 + 25 + 150 + 100 = 300 points earned
    ]
    held = await MemberBadge.filter(member_id="ada").values_list("badge_id", "source")
    assert sorted(held) == [("big.earner", "goals"), ("champion", "challenge:sprint")]
    challenge = await Challenge.get(key="sprint")
    assert (challenge.participants, challenge.completions) == (1, 1)
    kinds = await MemberEvent.filter(member_id="ada").order_by("id").values_list("kind", flat=True)
    assert kinds.count("CHALLENGE_COMPLETED") == 1
    assert kinds.count("BADGE_EARNED") == 2


async def test_replaying_the_completing_interaction_rewards_nothing_more(gql, drain, runtime):
    await define(gql, "review.posted", 25, memberReportable=False)
    await program()
    for key in ("r1", "r2"):
        await record(gql, SERVICE, action="review.posted", memberId="ada", key=key)
    await drain()
    before = await LedgerEntry.all().count()

    for interaction_id in await Interaction.all().values_list("id", flat=True):
        await interactions.process_interaction(runtime, int(str(interaction_id)))
    await record(gql, SERVICE, action="review.posted", memberId="ada", key="r2")  # replayed key
    await drain()

    assert await LedgerEntry.all().count() == before
    assert (await Challenge.get(key="sprint")).completions == 1
    row = await ChallengeParticipant.get(challenge_id="sprint", member_id="ada")
    assert row.score == 2  # capped at the goal's target


async def test_a_challenge_moved_by_an_interaction_outside_its_window_does_not_move(gql, drain):
    await define(gql, "review.posted", 25, memberReportable=False)
    await program()
    early = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    await record(gql, SERVICE, action="review.posted", memberId="ada", key="r0", occurredAt=early)
    await drain()

    assert not await ChallengeParticipant.exists(challenge_id="sprint")
    assert (await Challenge.get(key="sprint")).participants == 0


async def test_an_admin_credit_counts_toward_points_earned_badges_at_once(runtime, gql):
    from domain.members.members import enrol
    from domain.points.adjustments import adjust_points

    await enrol("ada")
    await badges.upsert_badge(
        "root", badge("big.earner", (Goal(Metric.POINTS_EARNED, None, 300),), reward=7)
    )

    await adjust_points(runtime, "root", "ada", 300, "goodwill", "adj-1")

    assert await MemberBadge.exists(member_id="ada", badge_id="big.earner")
    assert await LedgerEntry.filter(member_id="ada").count() == 2  # the adjustment, the badge
