"""The program's leaderboards: the built-in boards and one per challenge (`gamification.boards`
defines them; the challenges come from the cached definitions, so a lookup reads no table)."""

from __future__ import annotations

from domain.program import definitions
from gamification.boards import BoardDefinition, all_definitions, definition_of


async def _challenges() -> dict[str, str]:
    # Archived challenges included: their boards stay readable.
    rules = (await definitions.cache.current()).challenges
    return {key: rule.name for key, rule in rules.items()}


async def every_board() -> list[BoardDefinition]:
    return all_definitions(await _challenges())


async def find(board: str) -> BoardDefinition | None:
    return definition_of(board, await _challenges())
