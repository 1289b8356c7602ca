"""The program's leaderboards: the built-in boards and one per challenge (`gamification.boards`
defines them; the challenges come from the cached definitions, so a lookup reads no table)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from domain.program import definitions
from domain.program.definitions import Definitions
from gamification.boards import (
    BUILT_IN,
    BoardDefinition,
    ChallengeBoard,
    all_definitions,
    definition_of,
)

# How long the definitions this process holds are trusted without reading their version row
# again, for reads that may be that stale anyway (`me.standings`: ranks are volatile, at most a
# second old in the member read cache).
RECENT_S = 1.0


def challenge_boards(current: Definitions, *, include_hidden: bool) -> dict[str, ChallengeBoard]:
    """The challenges whose boards exist for the caller: a hidden challenge's board only for
    those who see every challenge (admins, and the program's own jobs), never in members' or
    anonymous reads, where it would spoil the surprise."""
    return {
        key: ChallengeBoard(rule.name, rule.recurrence)
        for key, rule in current.challenges.items()
        if include_hidden or not rule.hidden
    }


async def _challenges(include_hidden: bool) -> dict[str, ChallengeBoard]:
    # Archived challenges included: their boards stay readable.
    return challenge_boards(await definitions.cache.current(), include_hidden=include_hidden)


async def every_board(*, include_hidden: bool = True) -> list[BoardDefinition]:
    return all_definitions(await _challenges(include_hidden))


async def find(board: str, *, include_hidden: bool = True) -> BoardDefinition | None:
    """The board named `board`; a hidden challenge's only when `include_hidden` (callers that
    answer members or anonymous readers pass False: no such board, for them)."""
    # A built-in board needs no definitions: no version read on the way to a ranked read.
    return BUILT_IN.get(board) or definition_of(board, await _challenges(include_hidden))


class _Recent:
    """When this module last read the version row, and the definitions it found then."""

    verified_at = -math.inf
    definitions: Definitions | None = None


_recent = _Recent()


async def recent_definitions(clock: Callable[[], float] = time.monotonic) -> Definitions:
    """The program's definitions, their version checked at most once every `RECENT_S` in this
    process: a challenge created less than a second ago may be missing, nothing older is. (The
    cache being cleared or refreshed by another reader counts as a reason to check again.)"""
    cached = definitions.cache.definitions
    fresh = clock() - _recent.verified_at < RECENT_S
    if cached is not None and cached is _recent.definitions and fresh:
        return cached
    found = await definitions.cache.current()
    _recent.verified_at, _recent.definitions = clock(), found
    return found


def standing_boards(current: Definitions, *, include_hidden: bool = False) -> list[BoardDefinition]:
    """The boards `me.standings` reads: the built-in ones, then one per challenge that is not
    archived (an archived challenge's board stays readable by name, but a member's standings
    do not grow with every challenge the program ever ran) nor hidden (unless
    `include_hidden`: an admin's read)."""
    challenges = {
        key: board
        for key, board in challenge_boards(current, include_hidden=include_hidden).items()
        if not current.challenges[key].archived
    }
    return all_definitions(challenges)
