"""Badges: what a valid badge is, who may see it, and how far up its levels a member is.

A badge may have levels above its own goals (bronze, silver, gold): the badge's own goals are
level 1, and `BadgeDefinition.levels` lists levels 2, 3, ... Each level is earned once and in
order: level n+1 only by a member who holds level n and meets level n+1's goals, so a member who
meets the goals of levels 2 and 3 at once earns 2, then 3, and one who meets 3's but not 2's
earns neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from gamification.actions import ACTION_KEY, MAX_KEY_LENGTH, MAX_POINTS, Problem
from gamification.goals import Goal, Totals, goals_met, validate_goals
from gamification.text import within

MAX_IMAGE_URL = 2048
MAX_LEVELS = 10  # levels above the badge's own (so at most 11 in all)


@dataclass(frozen=True)
class BadgeLevelDefinition:
    """A level above a badge's own goals: its name (e.g. "Silver"), goals and reward."""

    name: str
    goals: tuple[Goal, ...]
    reward_points: int = 0


@dataclass(frozen=True)
class BadgeDefinition:
    key: str
    name: str
    description: str
    image_url: str | None
    secret: bool
    goals: tuple[Goal, ...]
    reward_points: int
    levels: tuple[BadgeLevelDefinition, ...] = ()


def validate_badge(badge: BadgeDefinition) -> list[Problem]:
    problems: list[Problem] = []
    if len(badge.key) > MAX_KEY_LENGTH or not ACTION_KEY.fullmatch(badge.key):
        problems.append(
            Problem(("input", "key"), "key must be lowercase dot-separated words, e.g. reviewer")
        )
    if not within(badge.name, 200):
        problems.append(Problem(("input", "name"), "name must be 1 to 200 characters"))
    if len(badge.description) > 2000:
        problems.append(Problem(("input", "description"), "description is at most 2000 characters"))
    url = badge.image_url
    if url is not None and len(url) > MAX_IMAGE_URL:
        problems.append(
            Problem(
                ("input", "imageUrl"), f"imageUrl is too long: at most {MAX_IMAGE_URL:,} characters"
            )
        )
    elif url is not None and not _is_web_url(url):
        problems.append(Problem(("input", "imageUrl"), "imageUrl must be an http(s) URL"))
    problems += validate_goals(badge.goals, ("input", "goals"))
    if not 0 <= badge.reward_points <= MAX_POINTS:
        problems.append(
            Problem(("input", "rewardPoints"), f"rewardPoints must be 0 to {MAX_POINTS}")
        )
    problems += validate_levels(badge.name, badge.levels)
    return problems


def validate_levels(badge_name: str, levels: Sequence[BadgeLevelDefinition]) -> list[Problem]:
    """Each level needs a name of its own (unique among the badge's levels, the badge's own name
    being level 1's, compared trimmed and case-insensitively), at least one goal (a level without
    goals could never be earned: levels are earned by goals only) and a reward of 0 or more."""
    problems: list[Problem] = []
    if len(levels) > MAX_LEVELS:
        problems.append(Problem(("input", "levels"), f"at most {MAX_LEVELS} levels"))
    seen = {badge_name.strip().casefold()}
    for index, level in enumerate(levels):
        here = ("input", "levels", str(index))
        name = level.name.strip().casefold()
        if not within(level.name, 200):
            problems.append(Problem((*here, "name"), "name must be 1 to 200 characters"))
        elif name in seen:
            problems.append(
                Problem((*here, "name"), "each level needs its own name (the badge's is level 1)")
            )
        seen.add(name)
        if not level.goals:
            problems.append(Problem((*here, "goals"), "a level needs at least one goal"))
        problems += validate_goals(level.goals, (*here, "goals"))
        if not 0 <= level.reward_points <= MAX_POINTS:
            problems.append(
                Problem((*here, "rewardPoints"), f"rewardPoints must be 0 to {MAX_POINTS}")
            )
    return problems


def levels_reached(held: int, level_goals: Sequence[Sequence[Goal]], totals: Totals) -> list[int]:
    """The levels a member holding level `held` (1 = the badge itself; 0 = not earned) earns now,
    in order: level n+1 (whose goals are `level_goals[n - 1]`) once they hold n and meet its
    goals. Nothing for a member without the badge: level 1 is earned by the badge's own rules
    (goals, a challenge, an admin)."""
    reached: list[int] = []
    level = held
    while 1 <= level <= len(level_goals) and goals_met(level_goals[level - 1], totals):
        level += 1
        reached.append(level)
    return reached


def shown_level(held: int, top: int) -> int:
    """The level whose goals a member's progress shows: the next one while there is one (level 1
    before the badge is earned), else the top level (then all completed). `top` is the badge's
    highest level (1 for a badge without levels)."""
    return min(held + 1, top)


def _is_web_url(url: str) -> bool:
    """An absolute http(s) URL naming a host, without whitespace or control characters."""
    if not url.startswith(("https://", "http://")):
        return False
    if any(char.isspace() or not char.isprintable() for char in url):
        return False
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False


def visible_to_member(secret: bool, earned: bool) -> bool:
    """A secret badge stays hidden from a member (in lists and progress) until they earn it."""
    return earned or not secret
