"""Who may see a hidden challenge, on every path that leads to one (the challenge list, a
member's progress, enrolment, its board): an admin always, a member once they completed it (any
round), nobody else. A hidden challenge is a surprise: its name, goals, reward badge and board
would each spoil it, so each path asks here."""

from __future__ import annotations

from api.auth import Role
from api.context import Info


def sees_every_challenge(info: Info) -> bool:
    """Admins see hidden challenges whatever they did; everybody else only as revealed."""
    viewer = info.context.viewer()
    return viewer is not None and viewer.role is Role.ADMIN


async def revealed_to_viewer(info: Info) -> set[str]:
    """The hidden challenges the viewing member completed (a round of), from the request's
    participations (one query, shared with `me.challenges`); empty for anyone but a member."""
    viewer = info.context.viewer()
    if viewer is None or viewer.role is not Role.MEMBER:
        return set()
    found = await info.context.challenges.participations.load(viewer.subject)
    return {
        rows.challenge.key
        for rows in found
        if rows.challenge.hidden and any(row.completed_at is not None for row in rows.rows)
    }
