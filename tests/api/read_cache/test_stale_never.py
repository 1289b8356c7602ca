"""Stale never: for any interleaving of writes, reads and moves of the clock, every answer the
member read cache gives equals the answer computed at the same moment.

A generated program of steps runs against the real server over HTTP: interactions awarded by
the real worker (burst mode), adjustments, redemptions and cancellations, changes of every kind
of definition, content submitted and moderated, a referral applied and converted, enrolments,
the expiry and tier jobs, and moves of the read clock (`Runtime.clock`) an hour on, to the next
midnight, to a challenge's start or end, to the next points expiry, past the tier window's edge.
After every step one member reads one of a few documents (the README's progress screen among
them) twice at the same moment: as any client would (the cache's answer when it holds one),
then with `Cache-Control: no-store` (executed); the two must be equal.

Expiry (2 days) and the tier window (3 days) are short here, so that the clock crosses them.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from api.graphiql import PROGRESS_QUERY
from domain.models import LedgerEntry, Redemption, RedemptionStatus
from domain.points import expiry, tiers
from domain.runtime import Runtime
from gamification.periods import Period, period_window
from tests.api.badges.test_badges import badge, goal
from tests.api.challenges.test_challenges import challenge
from tests.api.content.test_content import BODY, moderate, submit
from tests.api.read_cache.common import EXECUTED, Clock, lookups, read
from tests.api.rewards.test_rewards import CANCEL, REDEEM, UPSERT_REWARD, UPSERT_TIER
from tests.conftest import ADMIN, SERVICE, Server, empty_database, member
from tests.helpers import define, record

MEMBERS = ("ada", "bob")
EXPIRE_DAYS = 2
WINDOW_DAYS = 3

DETAIL = """
query Detail {
  me {
    points { balance lifetime nextExpiryAt nextExpiryAmount }
    tier { current { key name } next { key } qualifyingPoints pointsToNext since retainUntil }
    history(first: 4) { edges { node { amount reason description } } }
    redemptions(first: 3) { edges { node { status cost reward { key name } } } }
    events(first: 4) { edges { node { kind message points } } }
    referral { code invited converted pointsEarned }
    contents(first: 3) { edges { node { status pointsAwarded upvotes } } }
    challenges { challenge { key name status } enrolled completed progress { current } }
    streaks { action current longest lastActiveOn }
  }
}
"""
CATALOG = """
query Catalog($status: ChallengeStatus) {
  actions { key points active }
  tiers { key name threshold }
  rewards { key name cost active }
  badges { key name }
  challenges(status: $status) { key name status startsAt endsAt }
  boards { board name }
  referralProgram { referrerPoints refereePoints }
}
"""
DOCUMENTS = {
    "progress": (PROGRESS_QUERY, None),
    "detail": (DETAIL, None),
    "active": (CATALOG, {"status": "ACTIVE"}),
    "scheduled": (CATALOG, {"status": "SCHEDULED"}),
}


@dataclasses.dataclass
class World:
    """What the steps need to remember: the clock, the program's dates, counters for keys."""

    clock: Clock
    start: datetime
    serial: int = 0
    referred: bool = False

    def key(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.serial}"


async def set_up(gql, runtime: Runtime) -> World:
    await empty_database()
    await runtime.redis.flushdb()
    # An hour ahead of the real time: what the steps write (at the real time) is in the past
    # of every read.
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    world = World(Clock(start), start)
    runtime.clock = world.clock
    await define(gql, "app.open", 10, memberReportable=False)
    await define(gql, "content.review", 20, memberReportable=False)
    await badge(gql, "opener", [goal("ACTION_COUNT", 2, "app.open")])
    await badge(gql, "regular", [goal("STREAK_DAYS", 2, "app.open")])
    await challenge(
        gql,
        "sprint",
        starts=start + timedelta(days=1),
        ends=start + timedelta(days=3),
        goals=[goal("ACTION_COUNT", 2, "app.open")],
    )
    await challenge(
        gql,
        "now",
        starts=start - timedelta(hours=3),
        ends=start + timedelta(hours=30),
        goals=[goal("ACTION_COUNT", 3, "app.open")],
    )
    await admin(gql, UPSERT_TIER, {"key": "bronze", "name": "Bronze", "threshold": 0})
    await admin(gql, UPSERT_TIER, {"key": "silver", "name": "Silver", "threshold": 30})
    await admin(gql, UPSERT_REWARD, {"key": "mug", "name": "Mug", "cost": 10, "stock": 5})
    return world


async def admin(gql, mutation: str, values: dict[str, Any]) -> dict[str, Any]:
    body = await gql(mutation, {"input": values}, as_=ADMIN)
    assert "errors" not in body, body
    [payload] = body["data"].values()
    return dict(payload)


# --- the steps ----------------------------------------------------------------------------


async def step(world: World, gql, drain, runtime: Runtime, action: tuple[Any, ...]) -> None:
    match action:
        case ("record", who):
            await record(gql, SERVICE, action="app.open", memberId=who, key=world.key("r"))
            await drain()
        case ("adjust", who, amount):
            variables = {
                "memberId": who,
                "amount": amount,
                "reason": "goodwill",
                "idempotencyKey": world.key("a"),
            }
            await admin(gql, ADJUST, variables)
        case ("redeem", who):
            values = {"rewardKey": "mug", "idempotencyKey": world.key("m")}
            body = await gql(REDEEM, {"input": values}, as_=member(who))
            assert "errors" not in body, body
        case ("cancel",):
            latest = (
                await Redemption.filter(status=RedemptionStatus.COMPLETED).order_by("-id").first()
            )
            if latest is not None:
                await admin(gql, CANCEL, {"redemptionId": str(latest.id), "reason": "test"})
        case ("define", what):
            await redefine(world, gql, what)
        case ("submit", who):
            body = BODY + f" Visit number {world.key('c')}."
            await submit(gql, who, body, key=world.key("s"))
        case ("moderate", decision):
            await moderate_one(gql, decision)
        case ("refer",):
            if not world.referred:
                world.referred = True
                code = (await gql(CODE, as_=member("ada")))["data"]["me"]["referral"]["code"]
                await gql(APPLY, {"code": code}, as_=member("bob"))
        case ("enroll", who):
            await gql(ENROLL, {"key": "sprint"}, as_=member(who))
        case ("expire",):
            await expiry.expire_points(runtime, world.clock.now)
        case ("tiers",):
            await tiers.reevaluate_due_tiers(runtime, world.clock.now)
        case ("clock", how):
            await move(world, how)
        case _:
            raise AssertionError(f"unknown step {action!r}")


ADJUST = """
mutation Adjust($input: AdjustPointsInput!) {
  adjustPoints(input: $input) { entry { amount } errors { code } }
}
"""
CODE = "{ me { referral { code } } }"
APPLY = "mutation Apply($code: String!) { applyReferralCode(code: $code) { errors { code } } }"
ENROLL = (
    "mutation Enroll($key: String!) { enrollInChallenge(challengeKey: $key) { errors { code } } }"
)
CONTENT_IDS = "{ contents(status: PENDING, first: 1) { edges { node { id } } } }"
APPROVED_IDS = "{ contents(status: APPROVED, first: 1) { edges { node { id } } } }"


async def redefine(world: World, gql, what: str) -> None:
    """Change one definition of each kind members read."""
    n = world.key("d")
    if what == "badge":
        await badge(gql, "opener", [goal("ACTION_COUNT", 2, "app.open")], name=f"Opener {n}")
    elif what == "challenge":
        await challenge(
            gql,
            "sprint",
            name=f"Sprint {n}",
            starts=world.start + timedelta(days=1),
            ends=world.start + timedelta(days=3),
            goals=[goal("ACTION_COUNT", 2, "app.open")],
        )
    elif what == "tier":
        await admin(gql, UPSERT_TIER, {"key": "silver", "name": f"Silver {n}", "threshold": 40})
    elif what == "reward":
        await admin(gql, UPSERT_REWARD, {"key": "mug", "name": f"Mug {n}", "cost": 10})
    elif what == "action":
        await define(gql, "app.open", 10, name=f"App open {n}", memberReportable=False)
    else:
        await gql(REFERRAL_RULES, {"input": {"referrerPoints": 60}}, as_=ADMIN)


REFERRAL_RULES = """
mutation Rules($input: UpdateReferralProgramInput!) {
  updateReferralProgram(input: $input) { errors { code } }
}
"""


async def moderate_one(gql, decision: str) -> None:
    """Approve or reject the oldest pending piece; reject (take down) an approved one when
    none is pending."""
    for query in (CONTENT_IDS, APPROVED_IDS):
        edges = (await gql(query, as_=ADMIN))["data"]["contents"]["edges"]
        if edges:
            piece = edges[0]["node"]["id"]
            if query is APPROVED_IDS:
                decision = "REJECT"
            await moderate(gql, piece, decision, "OFF_TOPIC" if decision == "REJECT" else None)
            return


async def move(world: World, how: str) -> None:
    """Move the read clock forward: by an hour, or exactly onto the next moment something
    changes by time alone (a midnight, a challenge's start or end, the next expiry, the oldest
    credit leaving the tier window)."""
    now = world.clock.now
    if how == "hour":
        world.clock.now = now + timedelta(hours=1)
        return
    if how == "midnight":
        end = period_window(Period.DAY, now, UTC).end
        assert end is not None
        world.clock.now = end
        return
    candidates: list[datetime] = []
    if how == "challenge":
        for day in (1, 3):
            candidates.append(world.start + timedelta(days=day))
        candidates.append(world.start + timedelta(hours=30))
    else:
        days = EXPIRE_DAYS if how == "expiry" else WINDOW_DAYS
        extra = timedelta(0) if how == "expiry" else timedelta(microseconds=1)
        for at in await LedgerEntry.filter(amount__gt=0).values_list("effective_at", flat=True):
            candidates.append(at + timedelta(days=days) + extra)
    future = [moment for moment in candidates if moment > now]
    world.clock.now = min(future) if future else now + timedelta(hours=6)


# --- the property ---------------------------------------------------------------------------

members = st.sampled_from(MEMBERS)
STEPS = {
    "record": st.tuples(st.just("record"), members),
    "adjust": st.tuples(st.just("adjust"), members, st.sampled_from([5, 25, -5])),
    "redeem": st.tuples(st.just("redeem"), members),
    "cancel": st.tuples(st.just("cancel")),
    "define": st.tuples(
        st.just("define"),
        st.sampled_from(["badge", "challenge", "tier", "reward", "action", "referral"]),
    ),
    "submit": st.tuples(st.just("submit"), members),
    "moderate": st.tuples(st.just("moderate"), st.sampled_from(["APPROVE", "REJECT"])),
    "refer": st.tuples(st.just("refer")),
    "enroll": st.tuples(st.just("enroll"), members),
    "expire": st.tuples(st.just("expire")),
    "tiers": st.tuples(st.just("tiers")),
    "clock": st.tuples(
        st.just("clock"), st.sampled_from(["hour", "midnight", "challenge", "expiry", "window"])
    ),
}
# Awards and clock moves most often: they change the most.
KINDS = ["record"] * 4 + ["clock"] * 4 + [kind for kind in STEPS if kind not in ("record", "clock")]
reads = st.tuples(members, st.sampled_from(sorted(DOCUMENTS)))
steps = st.tuples(st.sampled_from(KINDS).flatmap(STEPS.__getitem__), reads)


async def compare(client, settings, world: World, who: str, document: str) -> bool:
    """Read as a client would, then executed; equal answers. Whether the first was a hit."""
    query, variables = DOCUMENTS[document]
    hits = lookups("hit")
    served = await read(client, settings, who, query, variables)
    hit = lookups("hit") > hits
    computed = await read(client, settings, who, query, variables, headers=EXECUTED)
    assert served.json() == computed.json(), (
        f"{document} for {who} at {world.clock.now.isoformat()} ({'hit' if hit else 'miss'}):\n"
        f"served   {json.dumps(served.json(), sort_keys=True)[:3000]}\n"
        f"computed {json.dumps(computed.json(), sort_keys=True)[:3000]}"
    )
    assert "errors" not in computed.json(), computed.json()
    return hit


async def run(server, client, settings, gql, drain, program: list[Any]) -> int:
    runtime: Runtime = server.runtime
    configured, real_clock = runtime.settings, runtime.clock
    runtime.settings = dataclasses.replace(
        configured, points_expire_days=EXPIRE_DAYS, tier_window_days=WINDOW_DAYS
    )
    hits = 0
    try:
        world = await set_up(gql, runtime)
        for who in MEMBERS:  # something cached before the first write
            for document in DOCUMENTS:
                await compare(client, settings, world, who, document)
        for action, (who, document) in program:
            await step(world, gql, drain, runtime, action)
            hits += await compare(client, settings, world, who, document)
    finally:
        runtime.settings, runtime.clock = configured, real_clock
    return hits


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(program=st.lists(steps, min_size=10, max_size=30))
@example(
    program=[
        (("record", "ada"), ("ada", "progress")),
        (("clock", "midnight"), ("ada", "progress")),  # active yesterday: the streak runs on
        (("clock", "midnight"), ("ada", "progress")),  # and now it does not
        (("clock", "hour"), ("bob", "active")),
        (("clock", "challenge"), ("bob", "active")),  # "now" ends
        (("clock", "challenge"), ("bob", "active")),  # "sprint" ends
    ]
)
@example(
    program=[
        (("record", "ada"), ("ada", "progress")),
        (("record", "ada"), ("ada", "progress")),  # opener earned
        (("clock", "hour"), ("ada", "progress")),  # a hit
        (("clock", "midnight"), ("ada", "detail")),
        (("record", "ada"), ("ada", "detail")),
        (("clock", "challenge"), ("bob", "active")),  # sprint starts
        (("enroll", "bob"), ("bob", "progress")),
        (("clock", "expiry"), ("ada", "detail")),  # the first credits expire
        (("expire",), ("ada", "detail")),
        (("clock", "window"), ("ada", "detail")),  # and leave the tier window
        (("tiers",), ("ada", "progress")),
        (("refer",), ("bob", "detail")),
        (("record", "bob"), ("ada", "detail")),  # bob converts: ada is credited
        (("submit", "bob"), ("bob", "detail")),
        (("moderate", "APPROVE"), ("bob", "detail")),
        (("moderate", "REJECT"), ("bob", "detail")),  # taken down
        (("redeem", "ada"), ("ada", "detail")),
        (("cancel",), ("ada", "detail")),
        (("define", "badge"), ("ada", "progress")),
        (("define", "tier"), ("ada", "progress")),
        (("define", "reward"), ("bob", "active")),
        (("define", "referral"), ("bob", "scheduled")),
        (("clock", "challenge"), ("bob", "active")),
        (("clock", "challenge"), ("bob", "progress")),
    ]
)
async def test_a_cached_answer_always_equals_the_answer_computed_then(
    server: Server, client, settings, gql, drain, program: list[Any]
) -> None:
    hits = await run(server, client, settings, gql, drain, program)
    event(f"hits: {min(hits, 10) // 5 * 5}+")
