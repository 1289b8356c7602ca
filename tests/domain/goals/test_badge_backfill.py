"""`plaudit badges backfill KEY`: a badge defined (or redefined) after the fact reaches every
member who already meets its goals, once."""

from __future__ import annotations

from domain.goals import badges
from domain.models import LedgerEntry, LedgerReason, MemberBadge
from gamification.badges import BadgeDefinition
from gamification.goals import Goal, Metric
from tests.conftest import SERVICE
from tests.helpers import define, record


def three_reviews(reward: int = 25) -> BadgeDefinition:
    return BadgeDefinition(
        "critic",
        "Critic",
        "",
        None,
        False,
        (Goal(Metric.ACTION_COUNT, "review.posted", 3),),
        reward,
    )


async def reviews(gql, who: str, count: int) -> None:
    for index in range(count):
        await record(gql, SERVICE, action="review.posted", memberId=who, key=f"{who}-{index}")


async def test_backfill_awards_exactly_the_members_who_meet_the_goals_now(gql, drain, runtime):
    await define(gql, "review.posted", 10, memberReportable=False)
    await reviews(gql, "ada", 3)
    await reviews(gql, "grace", 4)
    await reviews(gql, "alan", 2)
    await drain()
    await badges.upsert_badge("root", three_reviews())
    seen: list[tuple[int, int]] = []

    awarded = await badges.backfill(runtime, "critic", batch=2, progress=lambda *p: seen.append(p))

    assert awarded == 2
    holders = await MemberBadge.filter(badge_id="critic").values_list("member_id", flat=True)
    assert sorted(holders) == ["ada", "grace"]
    assert seen[-1] == (3, 3)  # every member read, in batches of two
    credits = await LedgerEntry.filter(reason=LedgerReason.BADGE).values_list("amount", flat=True)
    assert credits == [25, 25]


async def test_a_second_backfill_awards_nobody_twice(gql, drain, runtime):
    await define(gql, "review.posted", 10, memberReportable=False)
    await reviews(gql, "ada", 3)
    await drain()
    await badges.upsert_badge("root", three_reviews())

    assert await badges.backfill(runtime, "critic") == 1
    assert await badges.backfill(runtime, "critic") == 0
    assert await LedgerEntry.filter(reason=LedgerReason.BADGE).count() == 1


async def test_backfill_of_an_unknown_badge_is_not_found(runtime):
    from domain.errors import DomainError

    try:
        await badges.backfill(runtime, "nope")
    except DomainError as exc:
        assert exc.code == "NOT_FOUND"
    else:
        raise AssertionError("expected NOT_FOUND")
