"""`Member.standings`: the member's rank and score on every board and period they are on.

The boards come from the definitions the process holds (`boards.recent_definitions`: their
version row is read at most once a second, never per board), the current period of each from
the request's clock, and every standing from Redis in one round trip
(`LeaderboardStore.standings`), so the field can sit on the progress screen.
"""

from __future__ import annotations

from api.challenges.visibility import sees_every_challenge
from api.context import Info
from api.int_bounds import as_graphql_int
from api.leaderboards.types import LeaderboardStanding
from domain.leaderboards import boards
from gamification.leaderboards import current_keys


async def member_standings(member_id: str, info: Info) -> list[LeaderboardStanding]:
    """Built-in boards first (points, referrals, content; each period from DAILY to
    ALL_TIME), then the challenges' boards by key; only those where the member has a score."""
    runtime = info.context.runtime
    definitions = await boards.recent_definitions()
    now, tz = info.context.now, runtime.settings.tz
    keys = [
        key
        for definition in boards.standing_boards(
            definitions, include_hidden=sees_every_challenge(info)
        )
        for key in current_keys(definition.board, definition.periods, now, tz)
    ]
    found = await runtime.leaderboards.standings(keys, member_id)
    standings = []
    for key, standing in zip(keys, found, strict=True):
        if standing is not None:
            rank, score = standing
            bounded = as_graphql_int(score, f"{key.board} {key.period.value} score")
            standings.append(
                LeaderboardStanding(board=key.board, period=key.period, rank=rank, score=bounded)
            )
    return standings
