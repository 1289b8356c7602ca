"""Which ledger entries count toward what."""

from __future__ import annotations

# Entries that give back or take away points a member already had: they move the balance but are
# not "points credited" for lifetime totals or leaderboards.
_NOT_EARNED = frozenset({"REDEMPTION", "EXPIRY", "REVERSAL"})


def counts_as_earned(reason: str, amount: int) -> bool:
    """True for credits that raise a member's lifetime points and their leaderboard scores."""
    return amount > 0 and reason not in _NOT_EARNED
