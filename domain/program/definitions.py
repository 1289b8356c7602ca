"""Badge and challenge definitions, cached per process and indexed by what can move them.

Evaluating an interaction must touch only the goals it can move, and must not reload fifty
badges to find them. Each process keeps the definitions, parsed and indexed by trigger
(metric, action), and checks one row (`ProgramVersion`) per evaluation to know its copy is
current: admin upserts bump that row in their own transaction, so a change is seen by the next
evaluation that can see the change itself, in every process. The events webhook endpoints
subscribe to ride along (`webhook_events`): the award path writes messages of those only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.infra.db import param, touch_program
from domain.models import (
    Badge,
    Challenge,
    ProgramVersion,
    ReferralProgramRules,
    StreakFreezeRules,
    WebhookEndpoint,
)
from gamification.challenges import Recurrence, Window
from gamification.goals import (
    NO_ACTION,
    Fact,
    Goal,
    Metric,
    TargetIndex,
    Totals,
    goals_from_json,
    index_by_target,
    index_by_trigger,
    moved_by,
    within_reach,
)
from gamification.referrals import DEFAULT_RULES, ReferralRules
from gamification.streaks import NO_FREEZES, FreezePolicy


@dataclass(frozen=True)
class LevelRule:
    """Level `level` (2, 3...) of a badge: earned, once, by a holder of the level below who
    meets `goals`."""

    level: int
    name: str
    goals: tuple[Goal, ...]
    reward_points: int


@dataclass(frozen=True)
class BadgeRule:
    key: str
    name: str
    goals: tuple[Goal, ...]
    reward_points: int
    secret: bool
    levels: tuple[LevelRule, ...] = ()

    @classmethod
    def of(cls, badge: Badge) -> BadgeRule:
        goals = goals_from_json(badge.goals)
        levels = levels_from_json(badge.levels)
        return cls(badge.key, badge.name, goals, badge.reward_points, badge.secret, levels)

    @property
    def top(self) -> int:
        """The highest level (1 for a badge without levels)."""
        return 1 + len(self.levels)

    @cached_property
    def all_goals(self) -> tuple[Goal, ...]:
        """The badge's goals and every level's: what can move it (the trigger index)."""
        return self.goals + tuple(goal for level in self.levels for goal in level.goals)

    @cached_property
    def goal_actions(self) -> frozenset[str]:
        """The actions (NO_ACTION for any) whose totals the badge's goals and levels read."""
        return frozenset(goal.action or NO_ACTION for goal in self.all_goals)

    def level(self, number: int) -> LevelRule:
        """Level `number`, 1 (the badge itself) to `top`."""
        if number == 1:
            return LevelRule(1, self.name, self.goals, self.reward_points)
        return self.levels[number - 2]


def levels_from_json(raw: object) -> tuple[LevelRule, ...]:
    """A badge's stored levels ([{name, goals, rewardPoints}, ...]), numbered from 2."""
    if not isinstance(raw, list):
        return ()
    return tuple(
        LevelRule(
            number,
            str(item.get("name", "")),
            goals_from_json(item.get("goals")),
            int(item.get("rewardPoints") or 0),
        )
        for number, item in enumerate((item for item in raw if isinstance(item, dict)), start=2)
    )


@dataclass(frozen=True)
class ChallengeRule:
    key: str
    name: str
    window: Window
    goals: tuple[Goal, ...]
    reward_points: int
    reward_badge_key: str | None
    requires_enrollment: bool
    archived: bool
    recurrence: Recurrence = Recurrence.NONE
    hidden: bool = False

    @classmethod
    def of(cls, challenge: Challenge) -> ChallengeRule:
        return cls(
            challenge.key,
            challenge.name,
            Window(challenge.starts_at, challenge.ends_at),
            goals_from_json(challenge.goals),
            challenge.reward_points,
            challenge.reward_badge_key,
            challenge.requires_enrollment,
            challenge.archived,
            Recurrence(challenge.recurrence),
            challenge.hidden,
        )

    def running_at(self, moment: datetime) -> bool:
        return not self.archived and self.window.contains(moment)


@dataclass(frozen=True)
class Definitions:
    version: int
    badges: Mapping[str, BadgeRule]
    challenges: Mapping[str, ChallengeRule]
    badge_index: Mapping[tuple[Metric, str], frozenset[str]]
    challenge_index: Mapping[tuple[Metric, str], frozenset[str]]
    # The badge rows as read, by name then key (the database's collation): the read side
    # (catalog, progress screens) serves them from here instead of reading the table per request.
    # Shared by every request of this version: never modify them.
    catalog: tuple[Badge, ...] = field(default=(), compare=False)
    # The referral program's rules: the pipeline reads its conversion action on every batch.
    referral: ReferralRules = DEFAULT_RULES
    # The webhook events some enabled endpoint subscribes to: the award path writes messages of
    # these only, so a program without webhooks writes none. None: not read (EMPTY), so write
    # every message and let the fan-out drop the ones no endpoint wants.
    webhook_events: frozenset[str] | None = None
    # The streak freeze policy: the pipeline earns freezes by it as streaks grow.
    freeze_policy: FreezePolicy = NO_FREEZES

    def badges_moved_by(self, fact: Fact) -> list[BadgeRule]:
        """Badges with goals that `fact` can move, by key."""
        triggers = fact.triggers
        found = self._badges_by_triggers.get(triggers)
        if found is None:
            keys = sorted(moved_by(self.badge_index, fact))
            found = self._badges_by_triggers[triggers] = [self.badges[key] for key in keys]
        return found

    def badges_within_reach(self, fact: Fact, totals: Totals) -> set[str]:
        """The badges `fact` moves that `totals` may complete: the others have a goal on a
        trigger the fact moved still short of its target (`gamification.goals.within_reach`)."""
        return within_reach(self._badge_targets, fact, totals)

    def challenges_moved_by(self, fact: Fact) -> list[ChallengeRule]:
        """Challenges running when `fact` happened, with goals it can move, by key."""
        triggers = fact.triggers
        found = self._challenges_by_triggers.get(triggers)
        if found is None:
            keys = sorted(moved_by(self.challenge_index, fact))
            found = [self.challenges[key] for key in keys]
            self._challenges_by_triggers[triggers] = found
        return [rule for rule in found if rule.running_at(fact.at)]

    @cached_property
    def _badge_targets(self) -> TargetIndex:
        return index_by_target({key: rule.goals for key, rule in self.badges.items()})

    @cached_property
    def _badges_by_triggers(self) -> dict[frozenset[tuple[Metric, str]], list[BadgeRule]]:
        """The badges each set of triggers moves, worked out once per version: a batch asks
        for the same few sets (an interaction's action, points) thousands of times."""
        return {}

    @cached_property
    def _challenges_by_triggers(
        self,
    ) -> dict[frozenset[tuple[Metric, str]], list[ChallengeRule]]:
        return {}

    @property
    def streak_actions(self) -> list[str]:
        """Actions that some STREAK_DAYS goal names: their streaks are shown and announced."""
        actions = {
            action
            for metric, action in [*self.badge_index, *self.challenge_index]
            if metric is Metric.STREAK_DAYS and action
        }
        return sorted(actions)


EMPTY = Definitions(0, {}, {}, {}, {})


class DefinitionCache:
    """This process's copy of the definitions."""

    def __init__(self) -> None:
        self.definitions: Definitions | None = None

    def clear(self) -> None:
        self.definitions = None

    async def current(self, connection: BaseDBAsyncClient | None = None) -> Definitions:
        """The definitions as of now: one primary-key read, plus a reload after a change."""
        query = ProgramVersion.filter(id=1)
        if connection is not None:
            query = query.using_db(connection)
        version = await query.values_list("version", flat=True)
        current = int(str(version[0])) if version else 0
        cached = self.definitions
        if cached is None or cached.version != current:
            cached = await _load(connection, current)
            self.definitions = cached
        return cached


cache = DefinitionCache()


async def _load(connection: BaseDBAsyncClient | None, version: int) -> Definitions:
    badge_query, challenge_query = Badge.all(), Challenge.all()
    referral_query = ReferralProgramRules.filter(id=1)
    endpoint_query = WebhookEndpoint.filter(enabled=True, deleted_at__isnull=True)
    freeze_query = StreakFreezeRules.filter(id=1)
    if connection is not None:
        freeze_query = freeze_query.using_db(connection)
        badge_query = badge_query.using_db(connection)
        challenge_query = challenge_query.using_db(connection)
        referral_query = referral_query.using_db(connection)
        endpoint_query = endpoint_query.using_db(connection)
    catalog = tuple(await badge_query.order_by("name", "key"))
    badges = {badge.key: BadgeRule.of(badge) for badge in catalog}
    challenges = {c.key: ChallengeRule.of(c) for c in await challenge_query}
    return Definitions(
        version,
        badges,
        challenges,
        index_by_trigger({key: rule.all_goals for key, rule in badges.items()}),
        index_by_trigger({key: rule.goals for key, rule in challenges.items()}),
        catalog,
        referral_rules_of(await referral_query.first()),
        frozenset(
            str(event)
            for events in await endpoint_query.values_list("events", flat=True)
            for event in (events or [])
        ),
        freeze_policy_of(await freeze_query.first()),
    )


def freeze_policy_of(row: StreakFreezeRules | None) -> FreezePolicy:
    if row is None:
        return NO_FREEZES
    return FreezePolicy(row.earn_every_days, row.max_held)


def referral_rules_of(row: ReferralProgramRules | None) -> ReferralRules:
    if row is None:
        return DEFAULT_RULES
    return ReferralRules(
        row.referrer_points,
        row.referee_points,
        row.conversion_action,
        row.apply_within_days,
        row.monthly_cap,
    )


async def changed(connection: BaseDBAsyncClient) -> None:
    """Record, in the caller's transaction, that a badge or challenge definition (or the
    referral program, or the events webhook endpoints subscribe to) changed. Members' cached
    reads are dropped once it commits (`touch_program`)."""
    touch_program()
    sql = (
        f"INSERT INTO program_version (id, version) VALUES ({param(1)}, {param(2)}) "
        "ON CONFLICT (id) DO UPDATE SET version = program_version.version + 1"
    )
    await connection.execute_query(sql, [1, 1])
