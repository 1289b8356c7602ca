"""Where each board's scores live in the database, the boards' truth.

The points board and the content boards keep one `leaderboard_score` row per member and period,
written with each credit. A challenge's board keeps none: its scores are the participant rows'
(`challenge_participant.score` and `reached_at`), which the award chain writes anyway, so one
decision writes one row, not two. Rebuild, verify, archives and export read every board through
here and never need to know which kind it is.

Erased members' participant rows stay (under their `erased:` ids) for the challenge's counts;
they are on no board.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.queryset import QuerySet

from domain.infra.db import matching
from domain.models import Challenge, ChallengeParticipant, LeaderboardScore
from domain.models.members import ERASED_PREFIX
from gamification.challenges import (
    Recurrence,
    board_key,
    challenge_of_board,
    participant_of_board,
)
from gamification.leaderboards import BoardKey, BoardPeriod

# Rows read at a time when a whole board is read.
CHUNK = 20_000

ScoreRow = tuple[str, int, datetime]  # member id, score, reached at


@dataclass(frozen=True)
class MemberScore:
    """One of a member's scores, as export shows it."""

    key: BoardKey
    score: int
    reached_at: datetime


def in_score_rows(key: BoardKey) -> bool:
    """Whether the board's scores are `leaderboard_score` rows (not a challenge's board)."""
    return challenge_of_board(key.board) is None


async def stored_boards(board: str | None = None) -> list[BoardKey]:
    """Every board and period the database holds scores of (of `board` only, when given)."""
    keys: list[BoardKey] = []
    if board is None or challenge_of_board(board) is None:
        rows = LeaderboardScore.all() if board is None else matching(LeaderboardScore, board=board)
        groups = await rows.distinct().values_list("board", "period", "period_key", flat=False)
        keys += [BoardKey(b, BoardPeriod(period), key) for b, period, key in groups]
    if board is None or challenge_of_board(board) is not None:
        participants = _on_boards(ChallengeParticipant.all())
        if board is not None:
            participants = matching(participants, challenge_id=challenge_of_board(board))
        pairs = await participants.distinct().values_list("challenge_id", "round_key", flat=False)
        recurrences = await _recurrences({str(challenge) for challenge, _ in pairs})
        keys += [
            board_key(str(challenge), recurrences[str(challenge)], str(round_key))
            for challenge, round_key in pairs
        ]
    return keys


async def scores_of(key: BoardKey) -> list[ScoreRow]:
    """Every member's score on one board and period, in id order, read in chunks."""
    rows: list[ScoreRow] = []
    last_id = 0
    while True:
        chunk = (
            await _rows(key)
            .filter(id__gt=last_id)
            .order_by("id")
            .limit(CHUNK)
            .values_list("id", "member_id", "score", "reached_at")
        )
        if not chunk:
            return rows
        rows += [(str(member), int(score), reached) for _, member, score, reached in chunk]
        last_id = int(chunk[-1][0])


async def ranked(key: BoardKey, offset: int, limit: int) -> list[tuple[str, int]]:
    """(member id, score) from `offset` in the board's order: score down, then who got there
    first, then member id."""
    rows = (
        await _rows(key)
        .order_by("-score", "reached_at", "member_id")
        .offset(offset)
        .limit(limit)
        .values_list("member_id", "score")
    )
    return [(str(member), int(score)) for member, score in rows]


async def member_scores(connection: BaseDBAsyncClient, member_id: str) -> list[MemberScore]:
    """Every score the member holds, boards first, then challenge boards, each in id order."""
    found = [
        MemberScore(
            BoardKey(row.board, BoardPeriod(row.period), row.period_key), row.score, row.reached_at
        )
        for row in await LeaderboardScore.filter(member_id=member_id)
        .using_db(connection)
        .order_by("id")
    ]
    rows = (
        await _on_boards(ChallengeParticipant.filter(member_id=member_id))
        .using_db(connection)
        .order_by("id")
        .values_list("challenge_id", "round_key", "score", "reached_at")
    )
    recurrences = await _recurrences({str(challenge) for challenge, *_ in rows}, connection)
    for challenge, round_key, score, at in rows:
        key = board_key(str(challenge), recurrences[str(challenge)], str(round_key))
        found.append(MemberScore(key, int(score), at))
    return found


def _rows(key: BoardKey) -> QuerySet[LeaderboardScore] | QuerySet[ChallengeParticipant]:
    participant = participant_of_board(key)
    if participant is None:
        return LeaderboardScore.filter(
            board=key.board, period=key.period.value, period_key=key.period_key
        )
    challenge, round_key = participant
    return _on_boards(matching(ChallengeParticipant, challenge_id=challenge, round_key=round_key))


def _on_boards(rows: QuerySet[ChallengeParticipant]) -> QuerySet[ChallengeParticipant]:
    """Participant rows that are board entries: a score, and a member who was not erased."""
    return rows.filter(score__gt=0).exclude(member_id__startswith=ERASED_PREFIX)


async def _recurrences(
    keys: Iterable[str], connection: BaseDBAsyncClient | None = None
) -> dict[str, Recurrence]:
    wanted = sorted(keys)
    if not wanted:
        return {}
    query = Challenge.filter(key__in=wanted)
    if connection is not None:
        query = query.using_db(connection)
    return {
        str(key): Recurrence(str(recurrence))
        for key, recurrence in await query.values_list("key", "recurrence")
    }
