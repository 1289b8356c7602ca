from __future__ import annotations

from datetime import timedelta

import strawberry

from api.atomic import Atomic
from api.auth import Role, mint_token
from api.context import Info
from api.errors import UserError
from api.mutation_errors import UserErrors
from api.partners.queries import partners_with_totals
from api.partners.types import Partner
from api.permissions import Requires, checked_viewer
from domain.errors import invalid_input
from domain.partners import partners
from gamification.partners import PartnerDefinition


@strawberry.input
class UpsertPartnerInput:
    key: str
    name: str
    actions: list[str]
    monthly_budget: int | None = None
    active: bool | None = True


@strawberry.type
class PartnerPayload:
    partner: Partner | None = None
    token: str | None = strawberry.field(
        default=None,
        description="Only when asked for: a SERVICE token scoped to this partner (role "
        "service, claim partner = key).",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PartnerMutations:
    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="`issueToken` returns a partner-scoped SERVICE token valid for "
        "`tokenDays` days.",
    )
    async def upsert_partner(
        self,
        info: Info,
        input: UpsertPartnerInput,
        issue_token: bool | None = False,
        token_days: int | None = 365,
    ) -> PartnerPayload:
        viewer = checked_viewer(info)
        settings = info.context.runtime.settings
        days = 365 if token_days is None else token_days
        if issue_token and settings.jwt_public_key:
            # Tokens come from the identity provider: Plaudit holds no key to sign one.
            raise invalid_input(
                "tokens are issued by your identity provider (PLAUDIT_JWT_PUBLIC_KEY is set): "
                f"issue a SERVICE token there with the claim partner = {input.key[:100]!r}",
                "issueToken",
            )
        definition = PartnerDefinition(
            key=input.key,
            name=input.name,
            actions=tuple(input.actions),
            monthly_budget=input.monthly_budget,
            active=True if input.active is None else input.active,
        )
        stored = await partners.upsert_partner(
            viewer.subject, definition, token_days=days if issue_token else None
        )
        token = None
        if issue_token:
            # The token's subject names the partner, for logs and the interactions it records.
            token = mint_token(
                settings,
                f"partner:{stored.key}",
                Role.SERVICE,
                timedelta(days=days),
                partner=stored.key,
            )
        [partner] = await partners_with_totals(info, [stored])
        return PartnerPayload(partner=partner, token=token)
