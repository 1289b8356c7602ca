"""Read-side progress of many members at once: their badges, challenges and streaks.

Each function takes the members of one batch (a DataLoader's) and answers with a dict keyed by
member id, in a fixed number of queries however many members, badges or challenges there are.
Nothing is recounted from history: badges read the activity counters and the member's lifetime
points (as `domain.goals.badges` does when it awards them), challenges the participant rows' goal
states, streaks the activity counters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.goals import badges, challenges
from domain.models import (
    ANY_ACTION,
    ActivityStats,
    Badge,
    Challenge,
    ChallengeParticipant,
    Member,
    MemberBadge,
)
from domain.pipeline import activity
from domain.program import definitions
from gamification.badges import shown_level, visible_to_member
from gamification.challenges import SERIES, Recurrence, round_at
from gamification.goals import (
    NO_ACTION,
    GoalProgress,
    Totals,
    progress_from_states,
    progress_from_totals,
    states_from_json,
)
from gamification.streaks import Streak


@dataclass(frozen=True)
class BadgeStanding:
    """One badge as a member sees it: earned (when), the highest level held (0: not earned),
    and whole-history progress toward `next_level` (level 1, the badge itself, before it is
    earned), or toward the top level once it is held (`next_level` None)."""

    badge: Badge
    earned_at: datetime | None
    progress: list[GoalProgress]
    level: int = 0
    next_level: definitions.LevelRule | None = None

    @property
    def earned(self) -> bool:
        return self.earned_at is not None


def progress_actions(current: definitions.Definitions) -> list[str]:
    """The activity rows a progress read needs: every action a badge goal counts and every
    streak shown, with the any-action row (one list, so badges and streaks share one read)."""
    actions = {
        goal.action or NO_ACTION for rule in current.badges.values() for goal in rule.all_goals
    }
    return sorted({ANY_ACTION, *actions, *current.streak_actions})


async def activity_of(
    member_ids: Sequence[str], current: definitions.Definitions
) -> dict[str, list[ActivityStats]]:
    """Per member, their activity rows of `progress_actions` (one query)."""
    return await activity.stats_of(None, member_ids, progress_actions(current))


async def badge_standings(
    members: Mapping[str, Member],
    current: definitions.Definitions | None = None,
    stats: Mapping[str, Sequence[ActivityStats]] | None = None,
) -> dict[str, list[BadgeStanding]]:
    """Per member (id → the member row, whose counters goals read): the earned badges, newest
    first, then the unearned badges a member may see (secret ones stay hidden until earned), by
    name. One query, the activity rows (`activity_of`) when `stats` does not hold them, and the
    version read of `current` (the program's definitions) when not given: the catalog and its
    parsed goals come from there, not from the table."""
    member_ids = list(members)
    if current is None:
        current = await definitions.cache.current()
    catalog = current.catalog
    rules = current.badges
    earned_rows = await MemberBadge.filter(member_id__in=member_ids).order_by("-earned_at", "-id")
    if stats is None:
        stats = await activity_of(member_ids, current)
    earned: dict[str, list[MemberBadge]] = {member_id: [] for member_id in member_ids}
    for row in earned_rows:
        earned[row.member_id].append(row)
    by_key = {badge.key: badge for badge in catalog}
    standings: dict[str, list[BadgeStanding]] = {}
    for member_id in member_ids:
        totals = activity.totals_of(stats.get(member_id, []), members[member_id])
        held = {row.badge_id for row in earned[member_id]}
        mine = [
            standing(by_key[row.badge_id], rules[row.badge_id], row, totals)
            for row in earned[member_id]
            if row.badge_id in by_key  # a badge defined after `current` was read: next time
        ]
        mine += [
            standing(badge, rules[badge.key], None, totals)
            for badge in catalog
            if badge.key not in held and visible_to_member(badge.secret, earned=False)
        ]
        standings[member_id] = mine
    return standings


def standing(
    badge: Badge, rule: definitions.BadgeRule, row: MemberBadge | None, totals: Totals
) -> BadgeStanding:
    """A member's standing in `badge`, held as `row` (None: not earned). A level held above the
    badge's top (its levels were cut since) stays held: the top level's goals are shown."""
    held = 0 if row is None else max(1, row.level)
    shown = shown_level(min(held, rule.top), rule.top)
    target = rule.level(shown)
    return BadgeStanding(
        badge,
        None if row is None else row.earned_at,
        progress_from_totals(target.goals, totals),
        held,
        target if held < shown else None,
    )


async def badge_catalog(member_id: str | None, *, include_secret: bool) -> list[Badge]:
    """The badges a caller may see, by name: every one for an admin; for a member the
    non-secret ones and the secret ones they earned; for anybody else the non-secret ones."""
    if include_secret or member_id is None:
        return await badges.list_badges(include_secret=include_secret)
    catalog = await badges.list_badges(include_secret=True)
    secret = [badge.key for badge in catalog if badge.secret]
    earned: set[str] = set()
    if secret:
        earned = {
            str(key)
            for key in await MemberBadge.filter(
                member_id=member_id, badge_id__in=secret
            ).values_list("badge_id", flat=True)
        }
    return [b for b in catalog if visible_to_member(b.secret, earned=b.key in earned)]


async def earned_badge_keys(member_ids: Sequence[str]) -> dict[str, set[str]]:
    """Per member, the keys of the badges they earned (one query)."""
    earned: dict[str, set[str]] = {member_id: set() for member_id in member_ids}
    rows = await MemberBadge.filter(member_id__in=list(member_ids)).values_list(
        "member_id", "badge_id"
    )
    for member_id, badge_key in rows:
        earned[str(member_id)].add(str(badge_key))
    return earned


async def badges_by_key(
    keys: Sequence[str], current: definitions.Definitions | None = None
) -> dict[str, Badge]:
    """From the definitions' catalog (no query of its own when `current` is given)."""
    if current is None:
        current = await definitions.cache.current()
    wanted = set(keys)
    return {badge.key: badge for badge in current.catalog if badge.key in wanted}


@dataclass(frozen=True)
class Participation:
    """A member's place in one challenge as shown now: enrolment, the progress per goal and
    completion of the current round (the only round of a non-repeating challenge)."""

    challenge: Challenge
    enrolled_at: datetime | None
    progress: list[GoalProgress]
    completed_at: datetime | None
    # Whether the member completed any round: a hidden challenge is shown to them from then on.
    ever_completed: bool = False

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


@dataclass(frozen=True)
class ChallengeRows:
    """A member's rows of one challenge: the series row (round "") and one per round they
    took part in (repeating challenges only)."""

    challenge: Challenge
    rows: list[ChallengeParticipant]

    def at(self, now: datetime, tz: ZoneInfo) -> Participation:
        """What the member sees at `now`: for a repeating challenge, the round running now
        (progress 0 when they have not taken part in it yet), or once the window has closed
        the last round they took part in."""
        challenge = self.challenge
        by_round = {row.round_key: row for row in self.rows}
        series = by_round.get(SERIES)
        recurrence = Recurrence(challenge.recurrence)
        shown: ChallengeParticipant | None
        if recurrence is Recurrence.NONE:
            shown = series
        else:
            current = round_at(challenges.window_of(challenge), recurrence, now, tz)
            if current is not None:
                shown = by_round.get(current.key)
            else:
                past = [key for key in by_round if key != SERIES]
                ended = now >= challenge.ends_at
                shown = by_round[max(past)] if past and ended else None
        goals = challenges.goals_of(challenge)
        states = states_from_json(goals, shown.progress if shown is not None else [])
        return Participation(
            challenge,
            series.enrolled_at if series is not None else None,
            progress_from_states(goals, states),
            shown.completed_at if shown is not None else None,
            any(row.completed_at is not None for row in self.rows),
        )


async def participations(member_ids: Sequence[str]) -> dict[str, list[ChallengeRows]]:
    """Per member, the challenges they have a participant row in (enrolled, or progress counted
    without enrolment), soonest ending first, with every row of theirs (a repeating challenge's
    rounds too). One query (the challenge joined in), by the member's index."""
    rows = (
        await ChallengeParticipant.filter(member_id__in=list(member_ids))
        .select_related("challenge")
        .order_by("challenge__ends_at", "challenge_id", "round_key")
    )
    found: dict[str, dict[str, ChallengeRows]] = {member_id: {} for member_id in member_ids}
    for row in rows:
        mine = found.setdefault(row.member_id, {})
        if row.challenge_id not in mine:
            mine[row.challenge_id] = ChallengeRows(row.challenge, [])
        mine[row.challenge_id].rows.append(row)
    return {member_id: list(by_key.values()) for member_id, by_key in found.items()}


@dataclass(frozen=True)
class StreakStanding:
    action: str | None  # None: any action
    streak: Streak


async def streaks(
    member_ids: Sequence[str],
    current: definitions.Definitions | None = None,
    stats: Mapping[str, Sequence[ActivityStats]] | None = None,
) -> dict[str, list[StreakStanding]]:
    """Per member, the any-action streak first, then one per action some STREAK_DAYS goal
    names (zeros where the member has none). The activity rows (`activity_of`: one query) when
    `stats` does not hold them, and the version read of `current` (the program's definitions)
    when not given."""
    if current is None:
        current = await definitions.cache.current()
    actions = current.streak_actions
    if stats is None:
        stats = await activity_of(member_ids, current)
    found = {
        (row.member_id, row.action_key): activity.streak_of(row)
        for member_id in member_ids
        for row in stats.get(member_id, ())
    }
    return {
        member_id: [
            StreakStanding(action or None, found.get((member_id, action), Streak()))
            for action in [ANY_ACTION, *actions]
        ]
        for member_id in member_ids
    }
