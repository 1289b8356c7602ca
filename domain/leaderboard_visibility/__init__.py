"""Leaderboard visibility: a member chooses how others see them on boards (PUBLIC, ANONYMOUS or
HIDDEN). The choice is stored on the member (the truth) and carried to every board Redis holds
with the member's profile (`domain.leaderboards.profiles`), so no ranked read asks the database.

May import `domain.members`, `domain.leaderboards`, `domain.infra`, `domain.models`,
`domain.errors` and `gamification`.
"""
