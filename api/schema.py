"""The GraphQL schema: one Query and one Mutation merged from each domain's package."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from api.actions.mutations import ActionMutations
from api.actions.queries import ActionQueries
from api.audit.queries import AuditQueries
from api.badges.mutations import BadgeMutations
from api.badges.queries import BadgeQueries
from api.challenges.mutations import ChallengeMutations
from api.challenges.queries import ChallengeQueries
from api.content.mutations import ContentMutations
from api.content.queries import ContentQueries
from api.errors import MaskUnexpectedErrors, is_request_error
from api.events.subscriptions import EventSubscriptions
from api.guards.alias_limit import alias_limit_rule
from api.guards.depth_limit import depth_limit_rule
from api.guards.input_guard import guard_string_arguments
from api.guards.suggestions import strip_suggestions
from api.insight.campaigns import CampaignMutations, CampaignQueries
from api.insight.queries import InsightQueries
from api.interactions.mutations import InteractionMutations
from api.interactions.queries import InteractionQueries
from api.leaderboard_visibility.mutations import LeaderboardVisibilityMutations
from api.leaderboards.direct import DirectReads
from api.leaderboards.queries import LeaderboardQueries
from api.leaderboards.subscriptions import LeaderboardSubscriptions
from api.members.mutations import MemberMutations
from api.members.queries import MemberQueries
from api.partners.mutations import PartnerMutations
from api.partners.queries import PartnerQueries
from api.plain_values import PlainExecutionContext
from api.points.mutations import PointsMutations
from api.privacy.mutations import PrivacyMutations
from api.privacy.queries import PrivacyQueries
from api.questionnaires.mutations import QuestionnaireMutations
from api.questionnaires.queries import QuestionnaireQueries
from api.referrals.mutations import ReferralMutations
from api.referrals.queries import ReferralQueries
from api.request_metrics import RequestMetrics
from api.rewards.mutations import RewardMutations
from api.rewards.queries import RewardQueries
from api.scalars import SCALARS
from api.streaks.mutations import StreakMutations
from api.streaks.queries import StreakQueries
from api.tiers.mutations import TierMutations
from api.tiers.queries import TierQueries
from api.webhooks.mutations import WebhookMutations
from api.webhooks.queries import WebhookQueries

log = logging.getLogger("plaudit.graphql")

MAX_DEPTH = 10
MAX_TOKENS = 2_000
MAX_ALIASES = 15

Query = merge_types(
    "Query",
    (
        MemberQueries,
        ActionQueries,
        InteractionQueries,
        LeaderboardQueries,
        AuditQueries,
        TierQueries,
        RewardQueries,
        BadgeQueries,
        ChallengeQueries,
        ContentQueries,
        ReferralQueries,
        InsightQueries,
        CampaignQueries,
        WebhookQueries,
        PrivacyQueries,
        StreakQueries,
        PartnerQueries,
        QuestionnaireQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        InteractionMutations,
        ActionMutations,
        MemberMutations,
        PointsMutations,
        TierMutations,
        RewardMutations,
        BadgeMutations,
        ChallengeMutations,
        ContentMutations,
        ReferralMutations,
        CampaignMutations,
        WebhookMutations,
        PrivacyMutations,
        StreakMutations,
        LeaderboardVisibilityMutations,
        PartnerMutations,
        QuestionnaireMutations,
    ),
)
Subscription = merge_types("Subscription", (EventSubscriptions, LeaderboardSubscriptions))


class Schema(strawberry.Schema):
    """Strawberry's schema, minus its error log: client errors (validation, UNAUTHENTICATED,
    UserError codes) are not server faults, and unexpected ones are logged once, with their
    reference, by `MaskUnexpectedErrors`."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        strip_suggestions(errors)
        for error in errors:
            # Unexpected errors are logged (with traceback) by MaskUnexpectedErrors instead.
            level = logging.INFO if is_request_error(error) else logging.DEBUG
            log.log(level, "client error: %s", error.message)

    # A board's neighbourhood (`around`, `entry`) is answered without executing when the
    # document has that shape only (`api.leaderboards.direct`); set by `build_schema`.
    direct_reads: DirectReads | None = None

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        if self.direct_reads is not None and root_value is None:
            allowed = set(allowed_operation_types or DEFAULT_ALLOWED_OPERATION_TYPES)
            direct = await self.direct_reads.answer(
                query, variable_values, context_value, operation_name, allowed
            )
            if direct is not None:
                return direct
        return await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )


def build_schema(*, introspection: bool = True) -> strawberry.Schema:
    # The limiters' rules are built once: the validation cache keys on the rule classes, and a
    # limiter built per request makes new classes each time, so the cache would never hit.
    # Our own depth rule: Strawberry's QueryDepthLimiter does not count `__` fields.
    rules: list[type[ASTValidationRule]] = [
        depth_limit_rule(MAX_DEPTH),
        alias_limit_rule(MAX_ALIASES),
    ]
    if not introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    # Factories: Strawberry builds fresh extensions per request; the parser and validation
    # caches live at module level, so they are shared all the same.
    extensions: list[Any] = [
        # Metrics outermost: it times everything and sees the codes as masked for the client.
        RequestMetrics,
        # Caches first: uncached, parsing and validation dominate a small request's cost.
        lambda: ParserCache(maxsize=1024),
        lambda: ValidationCache(maxsize=1024),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(rules),
        MaskUnexpectedErrors,
    ]
    schema = Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        # Our DateTime: an offset and a supported year are required everywhere (api/scalars.py).
        config=StrawberryConfig(disable_field_suggestions=True, scalar_map=SCALARS),
        # `@plain` types (a board's entries) are answered without a resolver per field.
        execution_context_class=PlainExecutionContext,
    )
    # Every string argument passes `gamification.text` before its resolver runs.
    guard_string_arguments(schema._schema)
    schema.direct_reads = DirectReads(schema._schema, rules, MAX_TOKENS)
    return schema


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"
