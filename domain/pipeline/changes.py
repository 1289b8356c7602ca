"""What a session changed, kept until it is written: one buffer per table.

The chain only appends here and updates the in-memory state; `writes.write` turns each buffer
into one multi-row statement (a few, past the drivers' parameter caps).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from domain.leaderboards.scores import ScoreUpdate
from domain.models import (
    ActivityStats,
    Interaction,
    LedgerEntry,
    Member,
    MemberBadge,
    MemberEvent,
    Referral,
)
from gamification.leaderboards import BoardKey


@dataclass
class ParticipantRow:
    """A `challenge_participant` row as the award chain reads and writes it: a plain record,
    since a batch under a program of ten challenges handles ten of them per interaction and an
    ORM model costs more to build than the decision it carries. `progress` is the goal states
    (`gamification.goals.GoalState`), as stored in JSON."""

    challenge_id: str
    member_id: str
    round_key: str
    created_at: datetime
    enrolled_at: datetime | None = None
    progress: object = None
    score: int = 0
    completed_at: datetime | None = None
    reached_at: datetime | None = None


PARTICIPANT_FIELDS = (
    "challenge_id",
    "member_id",
    "round_key",
    "created_at",
    "enrolled_at",
    "progress",
    "score",
    "completed_at",
    "reached_at",
)


@dataclass(frozen=True)
class TierMove:
    member_id: str
    from_tier: str
    to_tier: str
    at: datetime


@dataclass(frozen=True)
class LevelEarned:
    """A member reached level `level` (2 or more) of a badge they hold."""

    member_id: str
    badge_key: str
    level: int
    at: datetime


@dataclass
class Changes:
    interactions: dict[int, Interaction] = field(default_factory=dict)  # decided
    entries: list[LedgerEntry] = field(default_factory=list)  # new, ids set once written
    members: dict[str, Member] = field(default_factory=dict)  # balance, lifetime or tier moved
    events: list[MemberEvent] = field(default_factory=list)  # new, ids set once written
    badges: list[MemberBadge] = field(default_factory=list)  # new, at level 1
    # Levels above 1 reached, in order (the BADGE_EARNED messages with their level); the rows'
    # level is written after the new badges, so a badge earned and levelled at once ends right.
    levels: list[LevelEarned] = field(default_factory=list)
    # (challenge, member, round key) -> the row to upsert.
    participants: dict[tuple[str, str, str], ParticipantRow] = field(default_factory=dict)
    places_taken: Counter[str] = field(default_factory=Counter)  # by challenge
    completions: Counter[str] = field(default_factory=Counter)  # by challenge
    days: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (member, action, day)
    stats: dict[tuple[str, str], ActivityStats] = field(default_factory=dict)
    # Days a streak freeze covered, (member, ISO day) -> when the freeze was found used.
    frozen_days: dict[tuple[str, str], datetime] = field(default_factory=dict)
    referrals: dict[str, Referral] = field(default_factory=dict)  # converted, by referee
    # The latest absolute score per (board, member): written to the database, then to Redis.
    scores: dict[tuple[BoardKey, str], ScoreUpdate] = field(default_factory=dict)
    # Moves of the tier a member is shown, in order (the TIER_CHANGED webhook messages).
    tier_moves: list[TierMove] = field(default_factory=list)

    def score(self, update: ScoreUpdate) -> None:
        self.scores[(update.key, update.member_id)] = update
