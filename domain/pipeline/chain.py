"""The award chain of one member, decided in memory.

An interaction (or an admin's credit, a hand-awarded badge) can set off a chain: its points
complete a challenge, whose reward points and badge move a POINTS_EARNED badge, and so on. A
`Chain` carries it for one member at one moment (`now`): credits go to the ledger buffer and
move the member's balance, tier and boards; each earned credit becomes a POINTS fact, and
`settle` evaluates the goals every pending fact can move until none adds another.

Everything is read from the member's `MemberState` and written to the session's `Changes`;
nothing here does I/O, which is what lets a batch decide hundreds of interactions between one
set of reads and one set of writes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from domain.errors import DomainError, ErrorCode
from domain.infra.db import fitted
from domain.leaderboards.scores import ScoreUpdate
from domain.members.events import EventKind
from domain.models import (
    ANY_ACTION,
    Action,
    ActivityStats,
    LedgerEntry,
    LedgerReason,
    MemberBadge,
    MemberEvent,
)
from domain.pipeline.activity import streak_of, totals_of
from domain.pipeline.changes import Changes, LevelEarned, ParticipantRow, TierMove
from domain.pipeline.state import MemberState, Program
from domain.program import tier_ladder
from domain.program.definitions import BadgeRule, ChallengeRule
from gamification import tiers as tier_rules
from gamification.badges import levels_reached
from gamification.challenges import (
    SERIES,
    board_key,
    completion_source,
    counts_for,
    round_at,
)
from gamification.goals import (
    NO_ACTION,
    Fact,
    FactKind,
    Totals,
    goals_met,
    score_and_completion,
    states_from_json,
)
from gamification.goals import advance as advance_state
from gamification.leaderboards import POINTS_BOARD, board_window, boards_moved_by, expires_at
from gamification.periods import local_date
from gamification.points import counts_as_earned, fitting_credit
from gamification.streaks import NO_FREEZES, Streak, advance, rebuilt

log = logging.getLogger("plaudit.awards")

# Badges, their levels and challenges are each earned once, so a chain ends; this only guards
# against a bug.
MAX_ROUNDS = 100


@dataclass(frozen=True)
class StreakChange:
    """How one streak (action_key "" = any action) moved with an interaction."""

    action_key: str
    before: Streak
    after: Streak

    @property
    def extended(self) -> bool:
        """The run grew to two days or more (a first day starts a streak, it extends none)."""
        return self.after.run > self.before.run and self.after.run >= 2


@dataclass
class Chain:
    program: Program
    state: MemberState
    changes: Changes
    places: dict[str, int]  # places left in capped challenges, shared by the session
    now: datetime
    pending: list[Fact] = field(default_factory=list)

    @property
    def member_id(self) -> str:
        return self.state.member.id

    def fact(
        self, kind: FactKind, at: datetime, action: str | None = None, amount: int = 1
    ) -> Fact:
        return Fact(kind, at, local_date(at, self.program.tz), action, amount)

    # --- the ledger ------------------------------------------------------------------------

    def credit(
        self, amount: int, reason: LedgerReason, description: str, source_key: str, at: datetime
    ) -> LedgerEntry | None:
        """Post to the ledger; earned points become a POINTS fact for the goals engine. A credit
        is capped so that no total passes GraphQL's Int (`fitting_credit`), and says so."""
        member = self.state.member
        fitting = fitting_credit(member.balance, member.lifetime, amount, reason.value)
        if fitting < amount:
            description = f"{description} ({amount - fitting:,} points over the maximum total)"
            amount = fitting
        if amount == 0:
            return None
        entry = self.post(amount, reason, description, source_key, at)
        if counts_as_earned(reason.value, amount):
            self.pending.append(self.fact(FactKind.POINTS, at, amount=amount))
        return entry

    def reverse(
        self, amount: int, description: str, source_key: str, at: datetime
    ) -> LedgerEntry | None:
        """Take back up to `amount` points (REVERSAL), never below a zero balance: what the
        member already spent stays spent, and the description says how much of it that was."""
        if amount <= 0:
            return None
        taken = min(amount, self.state.member.balance)
        if taken < amount:
            description = f"{description} ({amount - taken:,} points already spent, not recovered)"
        # Even when nothing is left to take, the (zero) entry records what was not recovered.
        return self.post(-taken, LedgerReason.REVERSAL, description, source_key, at)

    def post(
        self, amount: int, reason: LedgerReason, description: str, source_key: str, at: datetime
    ) -> LedgerEntry:
        """Append one entry and move the balance (and, for earned points, lifetime and boards;
        for qualifying ones, the tier). `source_key` is unique: a second posting of one source
        fails the whole write rather than crediting twice."""
        member = self.state.member
        balance_after = member.balance + amount
        if balance_after < 0:
            raise DomainError(ErrorCode.INSUFFICIENT_POINTS, "the balance cannot go below zero")
        earned = counts_as_earned(reason.value, amount)
        entry = LedgerEntry(
            member_id=member.id,
            amount=amount,
            reason=reason,
            description=description[:500],
            balance_after=balance_after,
            source_key=fitted(LedgerEntry, "source_key", source_key),
            effective_at=at,
            created_at=self.now,
        )
        self.changes.entries.append(entry)
        member.balance = balance_after
        member.lifetime += amount if earned else 0
        self.changes.members[member.id] = member
        if amount != 0:
            kind = EventKind.POINTS_CREDITED if amount > 0 else EventKind.POINTS_DEBITED
            self.event(kind, _message(amount, description), points=amount)
        if tier_rules.counts_as_qualifying(reason.value, amount):
            self._upgrade_tier(amount, at)
        if earned:
            self._add_points(amount, at)
        return entry

    def event(
        self,
        kind: EventKind,
        message: str,
        *,
        points: int | None = None,
        subject: str | None = None,
    ) -> None:
        self.changes.events.append(
            MemberEvent(
                member_id=self.member_id,
                kind=kind.value,
                occurred_at=self.now,
                message=message[:500],
                points=points,
                subject=subject[:200] if subject else None,
                published=False,
            )
        )

    def _upgrade_tier(self, amount: int, at: datetime) -> None:
        """After a qualifying credit: move the member up if their points now meet a higher
        tier (`gamification.tiers.on_credit`); a TIER_CHANGED event when the shown tier moves."""
        ladder, policy = self.program.ladder, self.program.policy
        if not ladder.defined:
            return
        if tier_rules.in_window(at, self.now, policy.window_days):
            self.state.qualifying += amount
        member = self.state.member
        before = tier_ladder.state_of(member)
        held = ladder.held_threshold(before.key)
        after = tier_rules.on_credit(
            before, self.state.qualifying, ladder.rungs, self.now, policy.retention_days, held
        )
        if after == before:
            return
        tier_ladder.store_state(member, after)
        self.changes.members[member.id] = member
        shown, was = ladder.shown(after.key), ladder.shown(before.key)
        if shown.key != was.key:
            self.event(EventKind.TIER_CHANGED, f"You are now {shown.name}", subject=shown.key)
            self.changes.tier_moves.append(TierMove(member.id, was.key, shown.key, self.now))
        log.info("member %s moved to tier %s", member.id, after.key)

    def _add_points(self, amount: int, at: datetime) -> None:
        self.add_to_board(POINTS_BOARD, amount, at)

    def add_to_board(self, board: str, amount: int, at: datetime) -> None:
        """Add to the member's score in every period of `board` that a credit for `at` made
        now counts toward (the session loaded the scores of the boards its `Demand` named)."""
        for key, window in boards_moved_by(board, at, self.program.tz, now=self.now):
            stored = (key.board, key.period.value, key.period_key)
            total = self.state.scores.get(stored, 0) + amount
            self.state.scores[stored] = total
            expiry = expires_at(key, window)
            self.changes.score(ScoreUpdate(key, self.member_id, total, self.now, expiry))

    # --- activity counters -----------------------------------------------------------------

    def count_community(self, kind: FactKind, at: datetime, by: int = 1) -> None:
        """Count a converted referral or an approved piece of content (`by` -1: one taken
        down) on the member's row, whose counters the REFERRALS_CONVERTED and CONTENT_APPROVED
        goals read; a new one is a fact that `settle` lets move those goals."""
        member = self.state.member
        if kind is FactKind.REFERRAL_CONVERTED:
            member.referrals_converted = max(0, (member.referrals_converted or 0) + by)
        elif kind is FactKind.CONTENT_APPROVED:
            member.content_approved = max(0, (member.content_approved or 0) + by)
        else:
            raise ValueError(f"{kind} is not a community fact")
        self.changes.members[member.id] = member
        if by > 0:
            self.pending.append(self.fact(kind, at))

    def count_activity(self, action_key: str, day: date) -> list[StreakChange]:
        """Count one awarded interaction of `action_key` on local `day`: the day rows (for the
        action and any action), then the running totals and streaks. The any-action streak is
        the one freezes protect: a new day after missed ones uses them (the frozen days are
        stored), and a grown run earns them under the program's policy."""
        keys = [action_key, ANY_ACTION]
        iso = day.isoformat()
        state, member_id = self.state, self.member_id
        new_days = set()
        for key in keys:
            count = state.days.get((key, iso), 0) + 1
            state.days[(key, iso)] = count
            self.changes.days[(member_id, key, iso)] = count
            if count == 1:
                new_days.add(key)
                if key in state.all_days:
                    state.all_days[key].add(day)
        moved = []
        for key in keys:
            row = state.stats.get(key) or ActivityStats(member_id=member_id, action_key=key)
            before = streak_of(row)
            after = before
            if key in new_days:
                after = self._advanced(key, before, day)
            row.interactions = (row.interactions or 0) + 1
            row.active_days = (row.active_days or 0) + (1 if key in new_days else 0)
            row.streak_run, row.streak_longest = after.run, after.longest
            row.last_active_on = after.last_active_on.isoformat() if after.last_active_on else None
            row.streak_freezes = after.freezes
            state.stats[key] = row
            self.changes.stats[(member_id, key)] = row
            moved.append(StreakChange(key, before, after))
        return moved

    def _advanced(self, key: str, before: Streak, day: date) -> Streak:
        """The streak of `key` after the new active `day`; freezes are the any-action streak's."""
        policy = self.program.definitions.freeze_policy if key == ANY_ACTION else NO_FREEZES
        step = advance(before, day, policy)
        if step is None:
            return self._rebuilt(key, before)
        for frozen in step.frozen:
            self.state.frozen.add(frozen)
            self.changes.frozen_days[(self.member_id, frozen.isoformat())] = self.now
        return step.streak

    def _rebuilt(self, key: str, before: Streak) -> Streak:
        """The streak from every active (and frozen) day (only for a day earlier than the last
        one)."""
        if key not in self.state.all_days:
            raise RuntimeError(f"the days of {self.member_id}/{key!r} were not loaded")
        frozen = self.state.frozen if key == ANY_ACTION else set()
        return rebuilt(before, self.state.all_days[key], frozen)

    def announce_streaks(self, action: Action, changes: Iterable[StreakChange]) -> None:
        """STREAK_EXTENDED for the any-action streak, and for the action's own streak when some
        STREAK_DAYS goal names the action (the streaks a member is shown)."""
        for change in changes:
            if not change.extended:
                continue
            run = change.after.run
            if change.action_key == ANY_ACTION:
                message, subject = f"{run}-day streak!", None
            elif action.key in self.program.definitions.streak_actions:
                message, subject = f"{run}-day {action.name} streak!", action.key
            else:
                continue
            self.event(EventKind.STREAK_EXTENDED, message, subject=subject)

    # --- goals -----------------------------------------------------------------------------

    def settle(self) -> None:
        """Evaluate the goals every pending fact can move, until no award adds another fact."""
        for _ in range(MAX_ROUNDS):
            if not self.pending:
                return
            fact = self.pending.pop(0)
            self.advance_challenges(fact)
            self.check_badges(fact)
        raise RuntimeError(f"awarding for member {self.member_id} did not settle")

    def totals(self, actions: set[str]) -> Totals:
        """The member's whole-history totals for `actions` (loaded with the session)."""
        missing = actions - self.state.stats.keys()
        if missing:
            raise RuntimeError(f"activity totals of {sorted(missing)} were not loaded")
        rows = [row for row in self.state.stats.values() if row is not None]
        return totals_of(rows, self.state.member)

    def check_badges(self, fact: Fact) -> None:
        """Award every badge whose goals `fact` can move and that the member now meets, and the
        levels (in order) of held badges whose level goals it can move. Unearned badges whose
        goal on a moved trigger is still short of its target are not evaluated at all."""
        definitions, state = self.program.definitions, self.state
        moved = definitions.badges_moved_by(fact)
        if not moved:
            return
        totals = self.totals(set().union(*(rule.goal_actions for rule in moved)))
        reach = definitions.badges_within_reach(fact, totals)
        for rule in moved:
            if rule.key in state.earned:
                if state.levels.get(rule.key, 1) < rule.top:
                    self.raise_level(rule, fact.at)
            elif rule.key in reach and goals_met(rule.goals, totals):
                self.earn(rule, "goals", fact.at)

    def earn(self, badge: BadgeRule, source: str, at: datetime) -> bool:
        """Award `badge` (and its reward points) unless already earned; returns whether it was.
        The member's lock makes the check exact; the unique (member, badge) backs it up. The
        levels above it that the member already meets follow at once, in order."""
        if badge.key in self.state.earned:
            return False
        self.changes.badges.append(
            MemberBadge(
                member_id=self.member_id,
                badge_id=badge.key,
                earned_at=self.now,
                source=fitted(MemberBadge, "source", source),
                level=1,
            )
        )
        self.state.earned.add(badge.key)
        self.state.levels[badge.key] = 1
        self.credit(
            badge.reward_points,
            LedgerReason.BADGE,
            f"Badge: {badge.name}",
            f"badge:{badge.key}:{self.member_id}",
            at,
        )
        self.event(
            EventKind.BADGE_EARNED,
            f"You earned the {badge.name} badge",
            points=badge.reward_points or None,
            subject=badge.key,
        )
        log.info("member %s earned badge %s (%s)", self.member_id, badge.key, source)
        self.raise_level(badge, at)
        return True

    def raise_level(self, badge: BadgeRule, at: datetime) -> None:
        """Earn, in order, each level above the one held whose goals the member now meets
        (`gamification.badges.levels_reached`): each once, credited under a source key of its
        own (`badge:<key>:level<n>:<member>`), announced as BADGE_EARNED with its level."""
        held = self.state.levels.get(badge.key, 1)
        if badge.key not in self.state.earned or held >= badge.top:
            return
        goals = [level.goals for level in badge.levels]
        totals = self.totals({g.action or NO_ACTION for each in goals for g in each})
        for number in levels_reached(held, goals, totals):
            level = badge.level(number)
            self.state.levels[badge.key] = number
            self.changes.levels.append(LevelEarned(self.member_id, badge.key, number, self.now))
            what = f"{badge.name}: {level.name} (level {number})"
            self.credit(
                level.reward_points,
                LedgerReason.BADGE,
                f"Badge {what}",
                f"badge:{badge.key}:level{number}:{self.member_id}",
                at,
            )
            self.event(
                EventKind.BADGE_EARNED,
                f"You reached {what}",
                points=level.reward_points or None,
                subject=badge.key,
            )
            log.info("member %s reached level %s of badge %s", self.member_id, number, badge.key)

    def advance_challenges(self, fact: Fact) -> None:
        """Move the member's progress in every open challenge `fact` counts for, in the round
        it happened in; complete those whose goals are now all met (once per round)."""
        running = self.program.definitions.challenges_moved_by(fact)
        if not running:
            return
        moved: list[tuple[ChallengeRule, ParticipantRow]] = []
        for challenge in running:
            current = round_at(challenge.window, challenge.recurrence, fact.at, self.program.tz)
            if current is None:
                continue
            participants = self.state.participants
            row = participants.get((challenge.key, current.key))
            if row is not None and row.completed_at is not None:
                continue  # this round is complete: nothing more counts in it
            series = participants.get((challenge.key, SERIES))
            enrolled_at = series.enrolled_at if series is not None else None
            if not counts_for(
                challenge.window, fact.at, challenge.requires_enrollment, enrolled_at
            ):
                continue
            if series is None:
                # The member's first part in the challenge (any round) takes their place.
                if not self._take_place(challenge.key):
                    continue  # full: members beyond the cap do not take part
                series = self._new_row(challenge.key, SERIES)
                if current.key != SERIES:
                    # A repeating challenge's series row: enrolment and place, no progress.
                    self._keep(series)
            stored = row is not None
            if row is None:
                row = series if current.key == SERIES else self._new_row(challenge.key, current.key)
            previous_score = row.score or 0
            if not self._advance_row(challenge, row, fact, stored):
                continue
            moved.append((challenge, row))
            self._keep(row)
            if row.score != previous_score:
                # A challenge board's reached_at moves only with the score: it breaks ties. The
                # row is the board's truth; the update is only projected to Redis.
                row.reached_at = self.now
                # A round's board is a periodic board: Redis lets it go as it lets the
                # built-in boards' closed periods go (the database keeps it).
                key = board_key(challenge.key, challenge.recurrence, current.key)
                window = board_window(key.period, fact.at, self.program.tz)
                expiry = expires_at(key, window)
                self.changes.score(ScoreUpdate(key, self.member_id, row.score, self.now, expiry))
        for challenge, row in moved:
            if row.completed_at is not None:
                self._complete(challenge, row.round_key, fact)

    def _advance_row(
        self, challenge: ChallengeRule, row: ParticipantRow, fact: Fact, stored: bool
    ) -> bool:
        """Advance the row's goal states by `fact`; returns whether the row must be written
        (its progress moved, or it is new). The stored JSON is read once per session: the
        states then live in `MemberState.goal_states` until the write turns them back."""
        goals = challenge.goals
        key = (row.challenge_id, row.round_key)
        before = self.state.goal_states.get(key)
        if before is None:
            before = states_from_json(goals, row.progress)
        states = [advance_state(g, s, fact) for g, s in zip(goals, before, strict=True)]
        if states == before and stored:
            return False
        self.state.goal_states[key] = states
        row.progress = states
        row.score, completed = score_and_completion(goals, states)
        if completed:
            row.completed_at = self.now
        return True

    def _new_row(self, challenge_key: str, round_key: str) -> ParticipantRow:
        return ParticipantRow(
            challenge_id=challenge_key,
            member_id=self.member_id,
            round_key=round_key,
            created_at=self.now,
        )

    def _keep(self, row: ParticipantRow) -> None:
        """The row is the member's truth from now on in this session, and is written."""
        key = (row.challenge_id, row.round_key)
        self.state.participants[key] = row
        self.changes.participants[(row.challenge_id, self.member_id, row.round_key)] = row

    def _take_place(self, challenge_key: str) -> bool:
        """Count one more participant if the cap allows (the write re-checks it)."""
        if challenge_key in self.places:
            if self.places[challenge_key] <= 0:
                return False
            self.places[challenge_key] -= 1
        self.changes.places_taken[challenge_key] += 1
        return True

    def _complete(self, challenge: ChallengeRule, round_key: str, fact: Fact) -> None:
        """Reward a completion once per round: the round's participant row's completed_at
        (under the member's lock) and the ledger's unique source key (which names the round)
        both see to it. The reward badge is earned once, at the first completion: later rounds
        credit the reward points only."""
        self.changes.completions[challenge.key] += 1
        self.credit(
            challenge.reward_points,
            LedgerReason.CHALLENGE,
            f"Challenge: {challenge.name}",
            completion_source(challenge.key, round_key, self.member_id),
            fact.at,
        )
        self.event(
            EventKind.CHALLENGE_COMPLETED,
            f"You completed the {challenge.name} challenge",
            points=challenge.reward_points or None,
            subject=challenge.key,
        )
        if challenge.reward_badge_key:
            badge = self.program.definitions.badges.get(challenge.reward_badge_key)
            if badge is not None:
                self.earn(badge, f"challenge:{challenge.key}", fact.at)
        log.info("member %s completed challenge %s %s", self.member_id, challenge.key, round_key)


def _message(amount: int, description: str) -> str:
    what = f": {description}" if description else ""
    if amount >= 0:
        return f"You earned {amount} points{what}"
    return f"{-amount} points were taken{what}"
