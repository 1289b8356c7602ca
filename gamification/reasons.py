"""Why an interaction ended CAPPED or REJECTED: the one vocabulary of `Interaction.reason`.

A reason is stored with the interaction and served as `Interaction.reason`, so, like error
codes, reasons are a public contract: add new ones, never rename one. The README's "Errors"
section lists each one (a test keeps the two in step).
"""

from __future__ import annotations

from enum import StrEnum


class InteractionReason(StrEnum):
    """Every reason an interaction is not AWARDED. A StrEnum, so it stores as its string."""

    LIMIT_REACHED = "LIMIT_REACHED"
    COOLDOWN = "COOLDOWN"
    FUTURE_TIMESTAMP = "FUTURE_TIMESTAMP"
    BACKDATED = "BACKDATED"
    UNKNOWN_ACTION = "UNKNOWN_ACTION"
    INACTIVE_ACTION = "INACTIVE_ACTION"
    PROCESSING_FAILED = "PROCESSING_FAILED"
    PARTNER_BUDGET = "PARTNER_BUDGET"


CAPPED_REASONS = frozenset({InteractionReason.LIMIT_REACHED, InteractionReason.COOLDOWN})
"""The reasons that leave an interaction CAPPED (it counted, but earned nothing); every other
reason leaves it REJECTED (it did not count at all)."""
