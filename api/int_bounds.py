"""Stored numbers as GraphQL Ints: one member's out-of-range total must not break a shared read.

New credits are bounded (`gamification.points.credit_overflow`); a row written before that bound
(or by hand) is answered clamped, with a WARNING naming it, rather than failing the whole
response for everybody who reads it (a leaderboard, a member list).
"""

from __future__ import annotations

import logging

from gamification.points import clamp_to_int

log = logging.getLogger("plaudit.api")


def as_graphql_int(value: int, what: str) -> int:
    """`value`, clamped into GraphQL's Int; `what` names it in the WARNING when it was not."""
    clamped = clamp_to_int(value)
    if clamped != value:
        log.warning("%s is %d, beyond GraphQL's Int: answered as %d", what, value, clamped)
    return clamped
