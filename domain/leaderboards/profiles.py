"""Members' public profiles kept beside the boards, so a ranked read never asks the database.

A profile carries the member's leaderboard visibility too (`Visibility`: an ANONYMOUS member's
is a mark alone, a HIDDEN member's the mark and their profile): the board's scripts read it to
keep a hidden member out of the ranked set, and every ranked read anonymises from it, so
neither needs the member's row. It is written and rebuilt with the rest of the profile.

Each board and period keeps a hash of member -> profile (`BoardKey.profiles`; a member with
the default profile has no field, `gamification.leaderboards.encode_profile`). It is written:
- with every score projected to the board: `scores.project` reads the members' profiles after
  the commit and stores them in the same script as the scores;
- when a member changes their profile (`changed`, after that commit): on every board and
  period Redis may still hold (`gamification.leaderboards.kept_keys`), where the member is;
- by `plaudit leaderboards rebuild`, from the database, with the scores;
and removed with the member's entry (a score that falls to 0, an erasure). `plaudit
leaderboards verify` reports a profile that is missing, stale or left over.

A rename racing a score projection may leave the old profile on a board until the member's
next score there, their next change or a rebuild: the projection read the profile just before
the rename committed and wrote it just after the rename's own write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise import connections

from domain.infra.db import dialect
from domain.leaderboards import boards
from domain.leaderboards.store import LeaderboardStore
from domain.models import Member
from gamification.leaderboards import Visibility, encode_profile, kept_keys

# Ids per statement when loading profiles (a rebuild reads a million-member board's).
CHUNK = 10_000


async def stored_profiles(member_ids: Sequence[str]) -> dict[str, str]:
    """The encoded profile (`encode_profile`) of each member that exists: one statement per
    `CHUNK` ids."""
    found: dict[str, str] = {}
    unique = list(dict.fromkeys(member_ids))
    for first in range(0, len(unique), CHUNK):
        for member_id, name, avatar, visibility in await _load(unique[first : first + CHUNK]):
            found[member_id] = encode_profile(member_id, name, avatar, visibility)
    return found


async def _load(member_ids: list[str]) -> list[tuple[str, str, str | None, Visibility]]:
    table = Member._meta.db_table
    values: list[Any]
    if dialect() == "postgres":
        where, values = "id = ANY($1)", [member_ids]
    else:
        where, values = f"id IN ({', '.join('?' * len(member_ids))})", list(member_ids)
    sql = (
        f'SELECT id, display_name, avatar_url, leaderboard_visibility FROM "{table}" WHERE {where}'
    )
    _, rows = await connections.get("default").execute_query(sql, values)
    return [
        (
            str(row["id"]),
            str(row["display_name"]),
            row["avatar_url"],
            Visibility(row["leaderboard_visibility"]),
        )
        for row in rows
    ]


async def changed(
    store: LeaderboardStore,
    member_id: str,
    display_name: str,
    avatar_url: str | None,
    now: datetime,
    tz: ZoneInfo,
    visibility: Visibility = Visibility.PUBLIC,
    *,
    announce: bool = False,
) -> int:
    """The member's profile or visibility changed (committed): store it on every board and
    period that lists them, in one round trip; returns on how many. The boards come from the
    cached definitions and the clock, not from a table. With `announce`, live subscribers of
    those boards hear of it (a visibility change moves ranks and names in their pushes)."""
    keys = [
        key
        for definition in await boards.every_board()
        for key in kept_keys(definition.board, definition.periods, now, tz)
    ]
    return await store.set_profile(
        keys,
        member_id,
        encode_profile(member_id, display_name, avatar_url, visibility),
        announce=announce,
    )
