"""What a batch can touch, loaded in a few set-based reads and then kept in memory.

`Demand` says what to load (which members, days, boards, windows); `load` reads it; each
`MemberState` is then the member's truth for the rest of the transaction: the chain reads and
updates it, so the nth interaction of a member in a batch sees the first n-1 exactly as if each
had been committed and read back.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.functions import Count

from domain.infra.db import matching
from domain.models import (
    ANY_ACTION,
    Action,
    ActivityDay,
    ActivityStats,
    Challenge,
    ChallengeParticipant,
    Interaction,
    InteractionStatus,
    LeaderboardScore,
    Member,
    MemberBadge,
    StreakFrozenDay,
)
from domain.pipeline.changes import PARTICIPANT_FIELDS, ParticipantRow
from domain.program import tier_ladder
from domain.program.actions import limits_of, schedule_of
from domain.program.definitions import ChallengeRule, Definitions
from gamification.challenges import SERIES, Round, round_at
from gamification.goals import NO_ACTION, GoalState
from gamification.leaderboards import POINTS_BOARD, boards_moved_by
from gamification.periods import Period, local_date, period_window

ScoreKey = tuple[str, str, str]  # (board, period, period_key)


class ReadAgain(Exception):
    """What a batch read before taking its locks changed before it got them (challenge places,
    referrals); the batch is done again from the start (nothing was written)."""


@dataclass(frozen=True)
class Program:
    """The definitions an award is decided by, read once per batch."""

    tz: ZoneInfo
    policy: tier_ladder.TierPolicy
    ladder: tier_ladder.Ladder
    definitions: Definitions
    actions: dict[str, Action]


@dataclass
class AwardedTimes:
    """A member's awarded interactions of one action: the times inside the loaded span (sorted)
    and, when a LIFETIME limit or schedule needs it, how many there are in all."""

    times: list[datetime] = field(default_factory=list)
    lifetime: int = 0

    def add(self, at: datetime) -> None:
        bisect.insort(self.times, at)
        self.lifetime += 1

    def count_between(self, start: datetime | None, end: datetime | None) -> int:
        if start is None or end is None:
            return self.lifetime
        return bisect.bisect_left(self.times, end) - bisect.bisect_left(self.times, start)

    def nearest(self, at: datetime) -> tuple[datetime | None, datetime | None]:
        """The latest at or before `at`, and the earliest after it."""
        index = bisect.bisect_right(self.times, at)
        before = self.times[index - 1] if index > 0 else None
        after = self.times[index] if index < len(self.times) else None
        return before, after


@dataclass
class MemberState:
    member: Member  # locked; balance, lifetime and tier fields move in memory
    qualifying: int = 0  # qualifying points in the tier window (when tiers are defined)
    earned: set[str] = field(default_factory=set)
    levels: dict[str, int] = field(default_factory=dict)  # badge -> highest level held (earned)
    stats: dict[str, ActivityStats | None] = field(default_factory=dict)
    days: dict[tuple[str, str], int] = field(default_factory=dict)  # (action, ISO day) -> count
    all_days: dict[str, set[date]] = field(default_factory=dict)  # loaded for out-of-order days
    # Days freezes covered (any-action streak): loaded with its `all_days`, and added to as
    # freezes are used, so that a rebuild sees the ones this batch stored too.
    frozen: set[date] = field(default_factory=set)
    # (challenge, round key) -> the row (round "": a non-repeating challenge's one row, or a
    # repeating one's series row holding enrolment and place).
    participants: dict[tuple[str, str], ParticipantRow] = field(default_factory=dict)
    # (challenge, round key) -> the row's goal states, parsed from its JSON once per session.
    goal_states: dict[tuple[str, str], list[GoalState]] = field(default_factory=dict)
    scores: dict[ScoreKey, int] = field(default_factory=dict)
    awarded: dict[str, AwardedTimes] = field(default_factory=dict)


@dataclass
class Demand:
    """What a session will need, gathered before anything is loaded."""

    moments: set[datetime] = field(default_factory=set)  # when credits and facts happen
    day_keys: set[tuple[str, str, date]] = field(default_factory=set)  # (member, action, day)
    # (member, action) -> the span of awarded interactions that limits, cooldowns and
    # schedules look at; and the pairs whose LIFETIME count they need.
    spans: dict[tuple[str, str], tuple[datetime, datetime]] = field(default_factory=dict)
    lifetime_pairs: set[tuple[str, str]] = field(default_factory=set)
    settle: bool = True  # whether goals may be evaluated (credits that earn points)
    # The boards whose scores credits and counts may move (`Chain.add_to_board`).
    boards: set[str] = field(default_factory=lambda: {POINTS_BOARD})
    qualifying: bool = True  # whether credits may count toward tiers

    def interaction(self, interaction: Interaction, action: Action | None, tz: ZoneInfo) -> None:
        """Add what deciding and awarding `interaction` can read."""
        at, member_id = interaction.occurred_at, interaction.member_id
        self.moments.add(at)
        if action is None or not action.active:
            return
        day = local_date(at, tz)
        self.day_keys.update({(member_id, action.key, day), (member_id, ANY_ACTION, day)})
        periods = [limit.period for limit in limits_of(action)]
        schedule = schedule_of(action)
        if schedule is not None:
            periods.append(schedule.period)
        spans = [period_window(p, at, tz) for p in periods if p is not Period.LIFETIME]
        bounds = [(w.start, w.end) for w in spans if w.start is not None and w.end is not None]
        if action.cooldown_seconds > 0:
            gap = timedelta(seconds=action.cooldown_seconds)
            bounds.append((at - gap, at + gap))
        pair = (member_id, action.key)
        if Period.LIFETIME in periods:
            self.lifetime_pairs.add(pair)
        if bounds:
            low = min(start for start, _ in bounds)
            high = max(end for _, end in bounds)
            if pair in self.spans:
                low, high = min(low, self.spans[pair][0]), max(high, self.spans[pair][1])
            self.spans[pair] = (low, high)


@dataclass
class Loaded:
    states: dict[str, MemberState]
    # Places left in the capped challenges running at the batch's moments.
    places: dict[str, int] = field(default_factory=dict)


async def load(
    connection: BaseDBAsyncClient,
    program: Program,
    members: Iterable[Member],
    demand: Demand,
    now: datetime,
) -> Loaded:
    """Read, for the locked `members`, everything `demand` says the chain will need."""
    states = {member.id: MemberState(member) for member in members}
    loaded = Loaded(states)
    ids = list(states)
    if not ids:
        return loaded
    if demand.qualifying and program.ladder.defined:
        totals = await tier_ladder.qualifying_points_of(connection, ids, now, program.policy)
        for member_id, total in totals.items():
            states[member_id].qualifying = total
    await _load_scores(connection, program, states, demand, now)
    if demand.day_keys or demand.settle:
        await _load_activity(connection, program, states, demand)
    await _load_awarded(connection, states, demand)
    if demand.settle:
        await _load_goal_state(connection, program, loaded, demand)
    return loaded


async def _load_scores(
    connection: BaseDBAsyncClient,
    program: Program,
    states: dict[str, MemberState],
    d: Demand,
    now: datetime,
) -> None:
    """The members' scores on the demanded boards in every period a credit of theirs can
    fall in."""
    keys = {
        (key.period.value, key.period_key)
        for moment in d.moments
        for key, _ in boards_moved_by(POINTS_BOARD, moment, program.tz, now=now)
    }
    boards = sorted(d.boards)
    if not keys:
        return
    rows = (
        await matching(
            LeaderboardScore,
            # Every column of the unique (board, period, period_key, member_id) index: without
            # the period, PostgreSQL scanned the whole board on every batch.
            board__in=boards,
            period__in=sorted({period for period, _ in keys}),
            period_key__in=sorted({period_key for _, period_key in keys}),
            member_id__in=list(states),
        )
        .using_db(connection)
        .values_list("member_id", "board", "period", "period_key", "score")
    )
    for member_id, board, period, period_key, score in rows:
        states[member_id].scores[(board, period, period_key)] = int(score)


async def _load_activity(
    connection: BaseDBAsyncClient, program: Program, states: dict[str, MemberState], d: Demand
) -> None:
    """Day rows for the batch's days, running totals for its actions and the goals' actions,
    and every day of a streak that an out-of-order day will have to rebuild."""
    actions = {action for _, action, _ in d.day_keys} | {ANY_ACTION}
    if d.settle:
        rules = program.definitions
        goals = [g for r in rules.badges.values() for g in r.all_goals]
        goals += [g for r in rules.challenges.values() for g in r.goals]
        actions |= {goal.action or NO_ACTION for goal in goals}
    ids = list(states)
    for row in await ActivityStats.filter(
        member_id__in=ids, action_key__in=sorted(actions)
    ).using_db(connection):
        states[row.member_id].stats[row.action_key] = row
    for state in states.values():
        for action in actions:
            state.stats.setdefault(action, None)
    if not d.day_keys:
        return
    days = sorted({day.isoformat() for _, _, day in d.day_keys})
    wanted = {(m, a, day.isoformat()) for m, a, day in d.day_keys}
    rows = (
        await ActivityDay.filter(
            member_id__in=ids,
            action_key__in=sorted({a for _, a, _ in d.day_keys}),
            day__in=days,
        )
        .using_db(connection)
        .values_list("member_id", "action_key", "day", "count")
    )
    for member_id, action, day, count in rows:
        if (member_id, action, day) in wanted:
            states[member_id].days[(action, day)] = int(count)
    late = Q()
    pairs = set()
    for member_id, action, day in d.day_keys:
        stats = states[member_id].stats.get(action)
        if stats is not None and stats.last_active_on and day.isoformat() < stats.last_active_on:
            pairs.add((member_id, action))
    if not pairs:
        return
    for member_id, action in sorted(pairs):
        late |= Q(member_id=member_id, action_key=action)
        states[member_id].all_days[action] = set()
    for member_id, action, day in (
        await ActivityDay.filter(late)
        .using_db(connection)
        .values_list("member_id", "action_key", "day")
    ):
        states[member_id].all_days[action].add(date.fromisoformat(str(day)))
    rebuilding = sorted(member_id for member_id, action in pairs if action == ANY_ACTION)
    if rebuilding:
        for member_id, day in (
            await StreakFrozenDay.filter(member_id__in=rebuilding)
            .using_db(connection)
            .values_list("member_id", "day")
        ):
            states[member_id].frozen.add(date.fromisoformat(str(day)))


async def _load_awarded(
    connection: BaseDBAsyncClient, states: dict[str, MemberState], d: Demand
) -> None:
    """Awarded interactions within each pair's span, and lifetime counts where needed."""
    for pair in d.spans.keys() | d.lifetime_pairs:
        states[pair[0]].awarded[pair[1]] = AwardedTimes()
    if d.spans:
        spans = Q()
        for (member_id, action), (low, high) in sorted(d.spans.items()):
            spans |= Q(
                member_id=member_id, action_key=action, occurred_at__gte=low, occurred_at__lte=high
            )
        rows = (
            await Interaction.filter(spans, status=InteractionStatus.AWARDED)
            .using_db(connection)
            .values_list("member_id", "action_key", "occurred_at")
        )
        for member_id, action, at in rows:
            states[member_id].awarded[action].times.append(at)
        for state in states.values():
            for times in state.awarded.values():
                times.times.sort()
    if d.lifetime_pairs:
        pairs = Q()
        for member_id, action in sorted(d.lifetime_pairs):
            pairs |= Q(member_id=member_id, action_key=action)
        rows = (
            await Interaction.filter(pairs, status=InteractionStatus.AWARDED)
            .using_db(connection)
            .annotate(n=Count("id"))
            .group_by("member_id", "action_key")
            .values_list("member_id", "action_key", "n")
        )
        for member_id, action, count in rows:
            states[member_id].awarded[action].lifetime = int(count)


async def _load_goal_state(
    connection: BaseDBAsyncClient, program: Program, loaded: Loaded, d: Demand
) -> None:
    """Badges held, the participant rows of challenges running at any of the moments (the
    series rows and the rows of the rounds the moments fall in), and the places left in those
    of them that are capped (their rows are not locked: the write of the participant count is
    conditional, and a batch that would overfill one is tried again)."""
    definitions, states = program.definitions, loaded.states
    ids = list(states)
    if definitions.badges:
        for member_id, badge_id, level in (
            await MemberBadge.filter(member_id__in=ids)
            .using_db(connection)
            .values_list("member_id", "badge_id", "level")
        ):
            states[member_id].earned.add(badge_id)
            states[member_id].levels[badge_id] = int(level)
    running = sorted(
        key
        for key, rule in definitions.challenges.items()
        if any(rule.running_at(moment) for moment in d.moments)
    )
    if running:
        rounds = {SERIES} | {
            found.key
            for key in running
            for moment in d.moments
            if (found := round_of(definitions.challenges[key], moment, program.tz)) is not None
        }
        for values in (
            await ChallengeParticipant.filter(
                member_id__in=ids, challenge_id__in=running, round_key__in=sorted(rounds)
            )
            .using_db(connection)
            .values_list(*PARTICIPANT_FIELDS)
        ):
            row = ParticipantRow(*values)
            states[row.member_id].participants[(row.challenge_id, row.round_key)] = row
        for key, taken, cap in (
            await Challenge.filter(key__in=running, max_participants__isnull=False)
            .using_db(connection)
            .values_list("key", "participants", "max_participants")
        ):
            loaded.places[key] = max(0, int(cap) - int(taken))


def round_of(rule: ChallengeRule, moment: datetime, tz: ZoneInfo) -> Round | None:
    return round_at(rule.window, rule.recurrence, moment, tz)
