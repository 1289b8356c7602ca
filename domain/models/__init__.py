"""Tortoise models. Every table Plaudit owns is imported here, where aerich finds it."""

from domain.models.actions import Action
from domain.models.audit import AuditRecord
from domain.models.interactions import Interaction, InteractionStatus
from domain.models.leaderboards import LeaderboardScore
from domain.models.ledger import LedgerEntry, LedgerReason
from domain.models.members import Member
from domain.models.rewards import Redemption, RedemptionStatus, Reward
from domain.models.tiers import Tier

__all__ = [
    "Action",
    "AuditRecord",
    "Interaction",
    "InteractionStatus",
    "LeaderboardScore",
    "LedgerEntry",
    "LedgerReason",
    "Member",
    "Redemption",
    "RedemptionStatus",
    "Reward",
    "Tier",
]
