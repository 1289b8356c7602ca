"""Tortoise models. Every table Plaudit owns is imported here, where aerich finds it."""

from domain.models.actions import Action
from domain.models.activity import (
    ANY_ACTION,
    ActivityDay,
    ActivityStats,
    StreakFreezeRules,
    StreakFrozenDay,
)
from domain.models.audit import AuditRecord
from domain.models.badges import Badge, MemberBadge
from domain.models.challenges import Challenge, ChallengeParticipant
from domain.models.content import Content, ContentVote
from domain.models.events import MemberEvent
from domain.models.insight import Campaign, CampaignMember, ChurnFit, MemberInsight
from domain.models.interactions import Interaction, InteractionStatus
from domain.models.leaderboards import LeaderboardArchive, LeaderboardScore
from domain.models.ledger import LedgerEntry, LedgerReason
from domain.models.members import Member
from domain.models.partners import Partner, PartnerBudget
from domain.models.persisted_queries import PersistedQuery
from domain.models.program import ProgramVersion
from domain.models.questionnaires import (
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireAnswerChoice,
    QuestionnaireSubmission,
)
from domain.models.referrals import MemberAttempt, Referral, ReferralProgramRules
from domain.models.rewards import Redemption, RedemptionStatus, Reward
from domain.models.tiers import Tier
from domain.models.webhooks import (
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
    WebhookEventType,
    WebhookMessage,
)
from gamification.content import ContentStatus

__all__ = [
    "ANY_ACTION",
    "Action",
    "ActivityDay",
    "ActivityStats",
    "AuditRecord",
    "Badge",
    "Campaign",
    "CampaignMember",
    "Challenge",
    "ChallengeParticipant",
    "ChurnFit",
    "Content",
    "ContentStatus",
    "ContentVote",
    "Interaction",
    "InteractionStatus",
    "LeaderboardArchive",
    "LeaderboardScore",
    "LedgerEntry",
    "LedgerReason",
    "Member",
    "MemberAttempt",
    "MemberBadge",
    "MemberEvent",
    "MemberInsight",
    "Partner",
    "PartnerBudget",
    "PersistedQuery",
    "ProgramVersion",
    "Questionnaire",
    "QuestionnaireAnswer",
    "QuestionnaireAnswerChoice",
    "QuestionnaireSubmission",
    "Redemption",
    "RedemptionStatus",
    "Referral",
    "ReferralProgramRules",
    "Reward",
    "StreakFreezeRules",
    "StreakFrozenDay",
    "Tier",
    "WebhookDelivery",
    "WebhookDeliveryStatus",
    "WebhookEndpoint",
    "WebhookEventType",
    "WebhookMessage",
]
