"""Partners: admin definitions, the checks a partner-scoped token passes, monthly totals.

A partner token is a SERVICE token with a `partner` claim (`api.auth`). It may record only its
partner's actions, and only while the partner is active: anything else is FORBIDDEN, and
nothing is stored (not even the member's enrolment).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.errors import DomainError, ErrorCode, reject_invalid
from domain.infra.db import matching, transaction
from domain.models import Action, Partner, PartnerBudget
from domain.program import audit, definitions
from gamification.partners import (
    PartnerDefinition,
    budget_month,
    unknown_actions,
    validate_partner,
    validate_token_days,
)


def snapshot(partner: Partner) -> dict[str, Any]:
    return {
        "key": partner.key,
        "name": partner.name,
        "actions": partner.actions,
        "monthlyBudget": partner.monthly_budget,
        "active": partner.active,
    }


async def upsert_partner(
    actor: str, definition: PartnerDefinition, *, token_days: int | None = None
) -> Partner:
    """Create the partner or replace its definition; audited, and the program version moves
    (definitions changed). `token_days`, when a token is to be issued, is checked with the rest,
    so a refused request changes nothing. Every action must exist (active or not): a partner
    naming an undefined action could never record it."""
    problems = validate_partner(definition)
    if token_days is not None:
        problems += validate_token_days(token_days)
    reject_invalid(problems)
    values = {
        "name": definition.name.strip(),
        "actions": list(definition.actions),
        "monthly_budget": definition.monthly_budget,
        "active": definition.active,
    }
    async with transaction() as connection:
        defined = (
            await matching(Action, key__in=list(definition.actions))
            .using_db(connection)
            .values_list("key", flat=True)
        )
        reject_invalid(unknown_actions(definition.actions, {str(key) for key in defined}))
        partner = await audit.upsert_by_key(
            connection,
            Partner,
            definition.key,
            values,
            actor=actor,
            operation="upsertPartner",
            snapshot=snapshot,
        )
        await definitions.changed(connection)
    return partner


async def list_partners() -> list[Partner]:
    return await Partner.all().order_by("key")


async def awarded_in(month: str, keys: Iterable[str]) -> dict[str, int]:
    """Points each partner of `keys` awarded in `month` (`YYYY-MM`), 0 when none: one read."""
    wanted = sorted(set(keys))
    found = {key: 0 for key in wanted}
    if wanted:
        rows = await PartnerBudget.filter(month=month, partner_key__in=wanted).values_list(
            "partner_key", "awarded"
        )
        for key, awarded in rows:
            found[str(key)] = int(awarded)
    return found


def current_month(now: datetime, tz: ZoneInfo) -> str:
    """The calendar month, in the program time zone, whose budget `now` falls in."""
    return budget_month(now, tz)


def forbidden(message: str, *field: str) -> DomainError:
    return DomainError(ErrorCode.FORBIDDEN, message, field or None)


async def scoped_partners(keys: Iterable[str]) -> dict[str, Partner]:
    """The partners the tokens of a call are scoped to, which must all be defined and active;
    FORBIDDEN otherwise (a deactivated partner's tokens stop working at once)."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    found = {p.key: p for p in await matching(Partner, key__in=wanted)}
    for key in wanted:
        partner = found.get(key)
        if partner is None or not partner.active:
            raise forbidden(f"the partner {key!r} is not active: its tokens may record nothing")
    return found


def check_partner_action(partner: Partner, action_key: str) -> None:
    """FORBIDDEN unless `partner` may record `action_key`."""
    if action_key not in (partner.actions or []):
        raise forbidden(
            f"the partner {partner.key!r} may record only its own actions "
            f"({', '.join(partner.actions or [])})",
            "input",
            "action",
        )
