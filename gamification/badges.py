"""Badges: what a valid badge is and who may see it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from gamification.actions import ACTION_KEY, MAX_KEY_LENGTH, MAX_POINTS, Problem
from gamification.goals import Goal, validate_goals
from gamification.text import within

MAX_IMAGE_URL = 2048


@dataclass(frozen=True)
class BadgeDefinition:
    key: str
    name: str
    description: str
    image_url: str | None
    secret: bool
    goals: tuple[Goal, ...]
    reward_points: int


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
    return problems


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
