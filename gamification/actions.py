"""What a valid action definition is."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gamification.limits import Limit, validate_limits
from gamification.text import within

ACTION_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
MAX_KEY_LENGTH = 100
MAX_POINTS = 1_000_000
MAX_COOLDOWN_SECONDS = 366 * 24 * 3600


@dataclass(frozen=True)
class Problem:
    """An invalid input, with the path of the field at fault."""

    field: tuple[str, ...]
    message: str


def validate_action(
    key: str,
    name: str,
    points: int,
    limits: Sequence[Limit],
    cooldown_seconds: int,
) -> list[Problem]:
    problems: list[Problem] = []
    if len(key) > MAX_KEY_LENGTH or not ACTION_KEY.fullmatch(key):
        problems.append(
            Problem(
                ("input", "key"),
                "key must be lowercase dot-separated words, e.g. review.posted "
                f"(at most {MAX_KEY_LENGTH} characters)",
            )
        )
    if not within(name, 200):
        problems.append(Problem(("input", "name"), "name must be 1 to 200 characters"))
    if not 0 <= points <= MAX_POINTS:
        problems.append(Problem(("input", "points"), f"points must be 0 to {MAX_POINTS}"))
    limit_problem = validate_limits(limits)
    if limit_problem:
        problems.append(Problem(("input", "limits"), limit_problem))
    if not 0 <= cooldown_seconds <= MAX_COOLDOWN_SECONDS:
        problems.append(
            Problem(
                ("input", "cooldownSeconds"),
                f"cooldownSeconds must be 0 to {MAX_COOLDOWN_SECONDS}",
            )
        )
    return problems
