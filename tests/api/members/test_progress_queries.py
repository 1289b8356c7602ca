"""A member's progress (badges, challenges, streaks) costs a fixed number of SQL statements,
whatever the number of badges and challenges, and members resolved together share them."""

from __future__ import annotations

import asyncio

from api.badges.loaders import BadgeLoaders
from api.challenges.loaders import ChallengeLoaders
from api.streaks.loaders import StreakLoaders
from domain.models import Member
from tests.api.badges.test_badges import badge, goal
from tests.api.challenges.test_challenges import challenge, enroll
from tests.conftest import SERVICE, member
from tests.helpers import counting, define, record

PROGRESS = """
fragment Progress on Member {
  badges { badge { key } earned progress { current } }
  challenges { challenge { key rewardBadge { key } } progress { current } }
  streaks { action current }
}
"""

ME = PROGRESS + "{ me { ...Progress } }"
ADA = member("ada")


async def program(gql, drain, first: int, badges: int, challenges: int) -> None:
    """`badges` badges (one in three secret, each challenge's reward badge among them) and
    `challenges` challenges, numbered from `first`; ada and grace take part in all."""
    for index in range(first, first + badges):
        goals = [goal("ACTION_COUNT", 50, "app.open"), goal("STREAK_DAYS", 9, f"act.a{index}")]
        await badge(gql, f"b{index:03d}", goals, secret=index % 3 == 2)
    for index in range(first, first + challenges):
        await challenge(
            gql,
            f"c{index:03d}",
            goals=[goal("ACTION_COUNT", 9, "app.open"), goal("ACTIVE_DAYS", 9)],
            rewardBadgeKey=f"b{index:03d}",
        )
    for who in ("ada", "grace"):
        for index in range(first, first + challenges, 2):
            await enroll(gql, who, f"c{index:03d}")
        await record(gql, SERVICE, action="app.open", memberId=who, key=f"{who}-{first}")
    await drain()


async def statements(gql, query: str, who=ADA, variables=None) -> list[str]:
    """The statements of executing `query` (`no-store`: not answered by the read cache)."""
    executed = {"cache-control": "no-store"}
    await gql(query, variables, as_=who, headers=executed)  # warm: enrolment, caches
    with counting() as counter:
        body = await gql(query, variables, as_=who, headers=executed)
    assert "errors" not in body, body
    return counter.statements


def shape(body_statements: list[str]) -> list[str]:
    return [statement.split(" WHERE ")[0][:80] for statement in body_statements]


async def test_my_progress_costs_the_same_statements_with_ten_times_the_program(gql, drain):
    await define(gql, "app.open", 10, memberReportable=False)
    await program(gql, drain, 0, badges=3, challenges=3)
    small = await statements(gql, ME)
    body = await gql(ME, as_=member("ada"))
    me = body["data"]["me"]
    assert len(me["badges"]) == 2 and len(me["challenges"]) == 3  # b002 is secret
    assert len(me["streaks"]) == 4  # any action, then act.a0..a2

    await program(gql, drain, 3, badges=27, challenges=13)
    large = await statements(gql, ME)
    me = (await gql(ME, as_=member("ada")))["data"]["me"]
    assert len(me["badges"]) == 20 and len(me["challenges"]) == 16
    assert len(me["streaks"]) == 31
    for entry in me["challenges"]:
        # A secret reward badge stays hidden from a member who has not earned it.
        secret = int(entry["challenge"]["key"][1:]) % 3 == 2
        assert (entry["challenge"]["rewardBadge"] is None) == secret

    assert len(large) == len(small), shape(large)
    # The member; the program's version (once per request: the badge catalog, the reward
    # badges and the streak actions come from the cached definitions); the participations; the
    # earned badges; the activity counters, read once for badges and streaks alike; the earned
    # keys for the secret reward badge's visibility.
    assert len(small) == 6, shape(small)


async def loaded_for(members: list[Member]) -> list[str]:
    """Statements for loading every member's badges, challenges and streaks at once, as the
    resolvers of a list of members do (fresh loaders, as in a new request)."""
    badges, challenges, streaks = BadgeLoaders(), ChallengeLoaders(), StreakLoaders()
    with counting() as counter:
        await asyncio.gather(
            *(badges.standings_of(m) for m in members),
            *(challenges.participations.load(m.id) for m in members),
            *(streaks.of_member.load(m.id) for m in members),
        )
    return counter.statements


async def test_members_resolved_together_share_the_progress_statements(gql, drain):
    await define(gql, "app.open", 10, memberReportable=False)
    await program(gql, drain, 0, badges=6, challenges=4)
    for index in range(5):
        await enroll(gql, f"m{index}", "c000")

    alone = await loaded_for([await Member.get(id="ada")])
    together = await loaded_for(list(await Member.all()))

    assert await Member.all().count() == 7
    assert len(together) == len(alone), shape(together)
