"""The batched award pipeline decides exactly as one-by-one processing does.

Random streams of interactions (several members and actions with caps, cooldowns, a stepped
schedule and tier multipliers, under badges with random levels, challenges, a repeating challenge
(daily, weekly or monthly, capped, hidden, rewarding points each round and a badge once), streak
goals and a streak freeze policy, with freezes granted by hand, some recorded by a partner's token
within its monthly budget) are cut into batches
of random size and awarded twice from the same start: each batch whole, and each batch one
interaction at a time in the pipeline's order, (occurredAt, id), each committed and read back
before the next. Ledgers, balances, tiers, activity counters, streak freezes held and the days
they covered, badges and their levels, challenge progress and completions, member events, board
scores, the interactions' outcomes and the partner's budget must come out identical.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from domain import pipeline
from domain.goals import badges, challenges
from domain.interactions import record as interactions
from domain.models import (
    ActivityDay,
    ActivityStats,
    Challenge,
    ChallengeParticipant,
    Interaction,
    LeaderboardScore,
    LedgerEntry,
    Member,
    MemberBadge,
    MemberEvent,
    PartnerBudget,
    StreakFrozenDay,
)
from domain.partners import partners
from domain.points import tiers
from domain.program import actions
from domain.runtime import Runtime
from domain.streaks import freezes
from gamification.badges import BadgeDefinition, BadgeLevelDefinition
from gamification.challenges import ChallengeDefinition, Recurrence, Window
from gamification.goals import Goal, Metric
from gamification.limits import Limit
from gamification.partners import PartnerDefinition
from gamification.periods import Period
from gamification.schedules import Schedule, Step
from gamification.streaks import FreezePolicy
from gamification.tiers import TierRule
from tests.conftest import Server, empty_database

ACTOR = "root"
NOW = datetime.now(UTC).replace(microsecond=0)
MEMBERS = ["ada", "bob", "cy"]
ACTIONS = ["app.open", "review.posted", "quiz.done"]
# A partner whose budget a few awards use up: which of them fit depends on the order.
PARTNER = PartnerDefinition("shop", "Shop", ("review.posted", "quiz.done"), 50)


def at(offset_minutes: int) -> datetime:
    """A moment within the last eight days (the program's challenge runs the last three)."""
    return NOW - timedelta(minutes=offset_minutes)


# Levels above some badges' own goals, drawn per example: each a goal (some met before the
# badge's own, so that badge and levels come in one chain; POINTS_EARNED ones met by the rewards
# of other badges and levels). The challenge-only badge gets levels too.
Ladders = dict[str, list[Goal]]
LEVEL_GOALS = [
    Goal(Metric.ACTION_COUNT, "review.posted", 2),
    Goal(Metric.ACTIVE_DAYS, None, 1),  # met with any first interaction
    Goal(Metric.ACTION_COUNT, "app.open", 2),
    Goal(Metric.ACTION_COUNT, "review.posted", 4),
    Goal(Metric.ACTION_COUNT, "quiz.done", 1),
    Goal(Metric.POINTS_EARNED, None, 60),
    Goal(Metric.POINTS_EARNED, None, 150),
    Goal(Metric.ACTIVE_DAYS, None, 2),
    Goal(Metric.STREAK_DAYS, "app.open", 3),
]
LEVELLED = ["critic", "champion", "first.open"]


def levels_of(ladders: Ladders, key: str) -> tuple[BadgeLevelDefinition, ...]:
    return tuple(
        BadgeLevelDefinition(f"{key.title()} {number}", (goal,), 5 * number)
        for number, goal in enumerate(ladders.get(key, []), start=2)
    )


async def define_program(
    ladders: Ladders, policy: FreezePolicy, recurrence: Recurrence = Recurrence.DAILY
) -> None:
    await freezes.set_policy(ACTOR, policy)
    await actions.upsert_action(
        ACTOR,
        actions.ActionDefinition(
            "app.open", "Open the app", 5, limits=[Limit(Period.DAY, 2)], cooldown_seconds=3600
        ),
    )
    await actions.upsert_action(
        ACTOR,
        actions.ActionDefinition(
            "review.posted",
            "Post a review",
            0,
            limits=[Limit(Period.WEEK, 4), Limit(Period.LIFETIME, 6)],
            schedule=Schedule(Period.MONTH, (Step(1, 40), Step(3, 20), Step(None, 10))),
        ),
    )
    await actions.upsert_action(ACTOR, actions.ActionDefinition("quiz.done", "Do a quiz", 15))
    await tiers.upsert_tier(ACTOR, TierRule("bronze", "Bronze", 0, 1.0))
    await tiers.upsert_tier(ACTOR, TierRule("silver", "Silver", 60, 1.5))
    await tiers.upsert_tier(ACTOR, TierRule("gold", "Gold", 150, 2.0))
    for key, goals, reward in [
        ("first.open", (Goal(Metric.ACTION_COUNT, "app.open", 1),), 10),
        ("critic", (Goal(Metric.ACTION_COUNT, "review.posted", 3),), 25),
        ("regular", (Goal(Metric.ACTIVE_DAYS, None, 3),), 0),
        ("streaker", (Goal(Metric.STREAK_DAYS, "app.open", 2),), 5),
        ("earner", (Goal(Metric.POINTS_EARNED, None, 120),), 30),
        ("champion", (), 50),  # only through the challenge
        ("quester", (), 7),  # only through the repeating challenge, at its first completion
    ]:
        await badges.upsert_badge(
            ACTOR,
            BadgeDefinition(
                key, key.title(), "", None, False, goals, reward, levels_of(ladders, key)
            ),
        )
    window = Window(NOW - timedelta(days=3), NOW + timedelta(days=1))
    await challenges.upsert_challenge(
        ACTOR,
        ChallengeDefinition(
            "sprint",
            "Sprint",
            window,
            (Goal(Metric.ACTION_COUNT, "quiz.done", 2), Goal(Metric.ACTIVE_DAYS, None, 2)),
            60,
            2,  # two places: who gets them depends on the order of the stream
        ),
        reward_badge_key="champion",
        now=NOW - timedelta(days=4),
    )
    await challenges.upsert_challenge(
        ACTOR,
        ChallengeDefinition(
            "points.rush", "Points rush", window, (Goal(Metric.POINTS_EARNED, None, 80),), 20, None
        ),
        now=NOW - timedelta(days=4),
    )
    await challenges.upsert_challenge(
        ACTOR,
        ChallengeDefinition(
            "quest",
            "Quest",
            window,
            (Goal(Metric.ACTION_COUNT, "app.open", 1), Goal(Metric.POINTS_EARNED, None, 15)),
            12,
            2,  # two places, taken by the members' first rounds, whichever they are
            recurrence=recurrence,
            hidden=True,
        ),
        reward_badge_key="quester",
        now=NOW - timedelta(days=4),
    )
    await partners.upsert_partner(ACTOR, PARTNER)


async def record(
    runtime: Runtime, stream: list[tuple[str, str, int]], via_partner: set[int]
) -> list[int]:
    """Store the stream; the positions in `via_partner` (of the partner's actions) as the
    partner's token records them."""
    ids = []
    for index, (member_id, action, offset) in enumerate(stream):
        partnered = index in via_partner and action in PARTNER.actions
        stored = await interactions.record_interaction(
            runtime,
            interactions.Recording(
                member_id=member_id,
                action_key=action,
                idempotency_key=f"k{index}",
                occurred_at=at(offset),
                properties=None,
                trusted=True,
                partner=PARTNER.key if partnered else None,
            ),
        )
        ids.append(stored.id)
    return ids


async def observe(ids: list[int]) -> dict[str, Any]:
    """Everything the award chain writes, with database ids replaced by stream positions."""
    position = {interaction_id: index for index, interaction_id in enumerate(ids)}

    def source(key: str) -> str:
        kind, _, rest = key.partition(":")
        return f"interaction:#{position[int(rest)]}" if kind == "interaction" else key

    entries = await LedgerEntry.all().order_by("id")
    return {
        "interactions": sorted(
            (position[i.id], i.status.value, i.reason, i.points_awarded, i.partner_key)
            for i in await Interaction.all()
        ),
        "ledger": sorted(
            (
                e.member_id,
                source(e.source_key),
                e.amount,
                e.reason.value,
                e.balance_after,
                e.partner_key,
            )
            for e in entries
        ),
        # Per member, entries in the order they were posted.
        "ledger order": {
            m: [source(e.source_key) for e in entries if e.member_id == m] for m in MEMBERS
        },
        "members": sorted(await Member.all().values_list("id", "balance", "lifetime", "tier_key")),
        "stats": sorted(
            await ActivityStats.all().values_list(
                "member_id",
                "action_key",
                "interactions",
                "active_days",
                "streak_run",
                "streak_longest",
                "last_active_on",
                "streak_freezes",
            )
        ),
        "frozen days": sorted(await StreakFrozenDay.all().values_list("member_id", "day")),
        "days": sorted(
            await ActivityDay.all().values_list("member_id", "action_key", "day", "count")
        ),
        "badges": sorted(
            await MemberBadge.all().values_list("member_id", "badge_id", "source", "level")
        ),
        "participants": sorted(
            (
                p.challenge_id,
                p.member_id,
                p.round_key,
                str(p.progress),
                p.score,
                p.completed_at is not None,
            )
            for p in await ChallengeParticipant.all()
        ),
        "challenges": sorted(
            await Challenge.all().values_list("key", "participants", "completions")
        ),
        "events": {
            m: await MemberEvent.filter(member_id=m)
            .order_by("id")
            .values_list("kind", "message", "points", "subject")
            for m in MEMBERS
        },
        "budgets": sorted(await PartnerBudget.all().values_list("partner_key", "month", "awarded")),
        "scores": sorted(
            await LeaderboardScore.all().values_list(
                "board", "period", "period_key", "member_id", "score"
            )
        ),
    }


def batches_of(ids: list[int], sizes: list[int]) -> list[list[int]]:
    """The stream cut as a worker would claim it: in id order, in batches of `sizes` (then one
    batch of the rest)."""
    batches, remaining = [], list(ids)
    for size in sizes:
        batches.append(remaining[:size])
        remaining = remaining[size:]
    return [batch for batch in [*batches, remaining] if batch]


async def awarded(
    runtime: Runtime,
    stream: list[tuple[str, str, int]],
    sizes: list[int],
    ladders: Ladders,
    program: Program,
    via_partner: set[int],
    *,
    one_by_one: bool,
    recurrence: Recurrence = Recurrence.DAILY,
) -> Any:
    """Award the stream in its batches: whole, or each batch's interactions one at a time in
    the order the pipeline takes them, (occurredAt, id), each committed before the next. The
    freezes granted by hand are granted once the interactions are recorded."""
    policy, grants = program
    await empty_database()
    await define_program(ladders, policy, recurrence)
    ids = await record(runtime, stream, via_partner)
    present = {member_id for member_id, _, _ in stream}
    for member_id, count in [(m, c) for m, c in grants if m in present]:
        await freezes.grant_freezes(ACTOR, member_id, count, NOW, runtime.settings.tz)
    for batch in batches_of(ids, sizes):
        if not one_by_one:
            await pipeline.process_ids(runtime, batch, clock=lambda: NOW)
            continue
        rows = await Interaction.filter(id__in=batch)
        for interaction in sorted(rows, key=lambda i: (i.occurred_at, i.id)):
            await pipeline.process_ids(runtime, [interaction.id], clock=lambda: NOW)
    return await observe(ids)


streams = st.lists(
    st.tuples(
        st.sampled_from(MEMBERS),
        st.sampled_from(ACTIONS),
        # Minutes back from now over four days; clustered so that caps and cooldowns bite;
        # or whole days back over eight, so that streaks grow, miss days and use freezes.
        st.one_of(
            st.integers(0, 4 * 24 * 60),
            st.sampled_from([0, 30, 90, 1440, 1500, 2900]),
            st.integers(0, 7).map(lambda days: days * 1440 + 5),
        ),
    ),
    min_size=1,
    max_size=30,
)
ladders = st.fixed_dictionaries(
    {key: st.lists(st.sampled_from(LEVEL_GOALS), min_size=1, max_size=3) for key in LEVELLED}
)
Program = tuple[FreezePolicy, list[tuple[str, int]]]
# A streak freeze policy (none earned, or one per day or two, held up to two), and grants.
programs = st.tuples(
    st.builds(FreezePolicy, st.integers(0, 2), st.integers(0, 2)),
    st.lists(st.tuples(st.sampled_from(MEMBERS), st.integers(1, 2)), max_size=2),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    stream=streams,
    sizes=st.lists(st.integers(1, 30), max_size=4),
    ladders=ladders,
    program=programs,
    recurrence=st.sampled_from([Recurrence.DAILY, Recurrence.WEEKLY, Recurrence.MONTHLY]),
    # Often all of the partner's actions, so that its budget runs out.
    via_partner=st.one_of(st.just(set(range(30))), st.sets(st.integers(0, 29))),
)
@example(
    stream=[
        ("ada", "app.open", 2900),
        ("ada", "app.open", 1500),
        ("ada", "app.open", 1440),  # inside the cooldown of the one before
        ("ada", "app.open", 0),
        ("ada", "app.open", 30),  # the same day again: LIMIT_REACHED after the cooldown
        ("ada", "review.posted", 0),
        ("ada", "review.posted", 1),
        ("ada", "review.posted", 2),  # critic, at the schedule's third step
        ("bob", "quiz.done", 1500),
        ("bob", "quiz.done", 0),  # sprint complete: champion
        ("cy", "quiz.done", 3),
        ("ada", "quiz.done", 4),  # the cap of two: ada or cy, by order
        ("ada", "app.open", 4000),  # backdated into a gap: the streak is rebuilt
        ("bob", "app.open", 2900),
        ("bob", "app.open", 1500),  # the quest's first day round and its second: twice
    ],
    sizes=[],
    ladders={
        # Level 2 met with the badge itself (one chain), then 3 by the points that follow.
        "critic": [LEVEL_GOALS[0], LEVEL_GOALS[6]],
        "champion": [LEVEL_GOALS[5]],  # a challenge's badge, levelled by points
        "first.open": [LEVEL_GOALS[8], LEVEL_GOALS[7]],  # 3 waits for 2 (the streak)
    },
    program=(FreezePolicy(0, 0), []),
    recurrence=Recurrence.DAILY,
    # The partner's: its 50 points run out among these reviews and quizzes.
    via_partner={5, 6, 7, 8, 9, 10, 11},
)
@example(
    stream=[
        ("bob", "quiz.done", 7 * 1440 + 5),
        ("bob", "quiz.done", 6 * 1440 + 5),  # a freeze earned
        ("bob", "quiz.done", 4 * 1440 + 5),  # day 5 frozen
        ("cy", "quiz.done", 6 * 1440 + 5),
        ("cy", "quiz.done", 3 * 1440 + 5),  # two missed days, one granted freeze: broken
        ("bob", "quiz.done", 1 * 1440 + 5),  # two missed days, a granted and an earned freeze
        ("bob", "quiz.done", 5 * 1440 + 5),  # backdated onto the frozen day: rebuilt
    ],
    sizes=[3],
    ladders={},
    program=(FreezePolicy(2, 2), [("cy", 1), ("bob", 1)]),
    recurrence=Recurrence.DAILY,
    via_partner=set(),
)
async def test_batches_award_exactly_what_one_by_one_processing_does(
    server: Server,
    runtime: Runtime,
    stream: list[tuple[str, str, int]],
    sizes: list[int],
    ladders: Ladders,
    program: Program,
    recurrence: Recurrence,
    via_partner: set[int],
) -> None:
    reference = await awarded(
        runtime,
        stream,
        sizes,
        ladders,
        program,
        via_partner,
        one_by_one=True,
        recurrence=recurrence,
    )
    batched = await awarded(
        runtime,
        stream,
        sizes,
        ladders,
        program,
        via_partner,
        one_by_one=False,
        recurrence=recurrence,
    )
    for part in reference:
        assert batched[part] == reference[part], part
    event(f"awarded: {sum(1 for i in reference['interactions'] if i[1] == 'AWARDED') // 5 * 5}+")
    event(f"badges: {len(reference['badges'])}")
    event(f"levels above 1: {sum(1 for b in reference['badges'] if b[3] > 1)}")
    event(f"frozen days: {min(len(reference['frozen days']), 3)}+")
    rounds = sum(1 for p in reference["participants"] if p[0] == "quest" and p[2] and p[5])
    event(f"quest rounds completed: {min(rounds, 3)}{'+' if rounds >= 3 else ''}")
    over = any(i[2] == "PARTNER_BUDGET" for i in reference["interactions"])
    event(f"over the partner's budget: {over}")
