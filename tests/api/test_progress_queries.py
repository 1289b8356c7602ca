"""A member's progress (badges, challenges, streaks) costs a fixed number of SQL statements,
whatever the number of badges and challenges, and members resolved together share them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator

from api.badges.loaders import BadgeLoaders
from api.challenges.loaders import ChallengeLoaders
from api.streaks.loaders import StreakLoaders
from domain.models import Member
from tests.api.test_badges import badge, goal
from tests.api.test_challenges import challenge, enroll
from tests.conftest import SERVICE, member
from tests.helpers import define, record

PROGRESS = """
fragment Progress on Member {
  badges { badge { key } earned progress { current } }
  challenges { challenge { key rewardBadge { key } } progress { current } }
  streaks { action current }
}
"""

ME = PROGRESS + "{ me { ...Progress } }"
ADA = member("ada")


class Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.statements.append(record.getMessage())


@contextlib.contextmanager
def counting() -> Iterator[Counter]:
    """Every statement Tortoise runs meanwhile (it logs each on `tortoise.db_client` at DEBUG;
    the app serves from this process)."""
    logger = logging.getLogger("tortoise.db_client")
    counter = Counter()
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
        logger.propagate = propagate


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
    await gql(query, variables, as_=who)  # warm: enrolment, caches
    with counting() as counter:
        body = await gql(query, variables, as_=who)
    assert "errors" not in body, body
    return counter.statements


def shape(body_statements: list[str]) -> list[str]:
    return [statement.split(" WHERE ")[0][:80] for statement in body_statements]


async def test_my_progress_costs_the_same_statements_with_ten_times_the_program(gql, drain):
    await define(gql, "app.open", 10, memberReportable=False)
    await program(gql, drain, 0, badges=3, challenges=2)
    small = await statements(gql, ME)
    body = await gql(ME, as_=member("ada"))
    me = body["data"]["me"]
    assert len(me["badges"]) == 2 and len(me["challenges"]) == 2  # b002 is secret
    assert len(me["streaks"]) == 4  # any action, then act.a0..a2

    await program(gql, drain, 3, badges=27, challenges=13)
    large = await statements(gql, ME)
    me = (await gql(ME, as_=member("ada")))["data"]["me"]
    assert len(me["badges"]) == 20 and len(me["challenges"]) == 15
    assert len(me["streaks"]) == 31
    assert all(c["challenge"]["rewardBadge"] is not None for c in me["challenges"])

    assert len(large) == len(small), shape(large)
    assert len(small) <= 10, shape(small)


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
