"""Which ledger entries count toward what."""

from __future__ import annotations

# Entries that give back or take away points a member already had: they move the balance but are
# not "points credited" for lifetime totals or leaderboards.
_NOT_EARNED = frozenset({"REDEMPTION", "EXPIRY", "REVERSAL"})


def counts_as_earned(reason: str, amount: int) -> bool:
    """True for credits that raise a member's lifetime points and their leaderboard scores."""
    return amount > 0 and reason not in _NOT_EARNED


# GraphQL's Int is a signed 32-bit integer: every amount, balance, lifetime total and board
# score must fit, or the member's points (and any shared read listing them) cannot be answered.
MAX_POINTS_TOTAL = 2**31 - 1


def credit_overflow(balance: int, lifetime: int, amount: int, reason: str) -> str | None:
    """Why crediting `amount` would take a total past `MAX_POINTS_TOTAL`, or None if it fits.

    Earned credits also raise the lifetime total (and with it every points-board score, which
    never exceeds it); other entries move only the balance. A debit always fits.
    """
    if amount <= 0:
        return None
    if balance + amount > MAX_POINTS_TOTAL:
        return f"the balance would exceed {MAX_POINTS_TOTAL:,} points"
    if counts_as_earned(reason, amount) and lifetime + amount > MAX_POINTS_TOTAL:
        return f"lifetime points would exceed {MAX_POINTS_TOTAL:,}"
    return None


def fitting_credit(balance: int, lifetime: int, amount: int, reason: str) -> int:
    """The part of a credit of `amount` that fits below `MAX_POINTS_TOTAL` (all of it, usually;
    0 for a member already at the bound). The award chain caps interaction, badge and
    challenge credits with it rather than failing a whole batch on one member."""
    if credit_overflow(balance, lifetime, amount, reason) is None:
        return amount
    room = MAX_POINTS_TOTAL - balance
    if counts_as_earned(reason, amount):
        room = min(room, MAX_POINTS_TOTAL - lifetime)
    return max(0, min(amount, room))


def totals_overflow(balance: int, lifetime: int) -> str | None:
    """Why a member's totals after a chain of credits (an adjustment's badge and challenge
    rewards included) do not fit, or None."""
    if balance > MAX_POINTS_TOTAL:
        return f"the balance would exceed {MAX_POINTS_TOTAL:,} points"
    if lifetime > MAX_POINTS_TOTAL:
        return f"lifetime points would exceed {MAX_POINTS_TOTAL:,}"
    return None


def clamp_to_int(value: int) -> int:
    """`value` within GraphQL's Int, for reads of rows written before the bound existed."""
    return max(-MAX_POINTS_TOTAL - 1, min(MAX_POINTS_TOTAL, value))
