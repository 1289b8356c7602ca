"""Text limits count what is stored: a field stored trimmed (names, reasons, a campaign's
message, a tier's benefits, a content body) is measured after trimming, a display name once its
whitespace is collapsed. A value of exactly its limit is accepted whatever whitespace surrounds
it, one character more is INVALID_INPUT naming the field, and the message gives the documented
limit (`gamification.text.as_stored`, `within`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import ADMIN, member
from tests.helpers import ME

PADDING = " \t\n\u00a0" * 75  # 300 characters of whitespace, far past any slack
SOON, LATER = (datetime.now(UTC) + timedelta(days=days) for days in (1, 8))


@dataclass(frozen=True)
class Limited:
    """`document` takes the value as `$v`; `stored` reads what was stored from its payload."""

    document: str
    who: tuple[str, str]
    field: list[str]
    limit: int
    stored: tuple[str, ...]
    collapsed: bool = False


def upsert(mutation: str, selection: str, fields: str) -> str:
    return f"""mutation($v: String!) {{
  {mutation}(input: {{{fields}}}) {{ {selection} errors {{ code message field }} }} }}"""


CAMPAIGN = f'key: "c", startsAt: "{SOON.isoformat()}", endsAt: "{LATER.isoformat()}", ' + (
    "target: {}, offer: {bonusPoints: 5}"
)

LIMITS: dict[str, Limited] = {
    "content body": Limited(
        upsert("submitContent", "content { body }", 'kind: REVIEW, body: $v, idempotencyKey: "s"'),
        member("ada"),
        ["input", "body"],
        10_000,
        ("submitContent", "content", "body"),
    ),
    "badge name": Limited(
        upsert("upsertBadge", "badge { name }", 'key: "b", name: $v'),
        ADMIN,
        ["input", "name"],
        200,
        ("upsertBadge", "badge", "name"),
    ),
    "reward name": Limited(
        upsert("upsertReward", "reward { name }", 'key: "r", name: $v, cost: 10'),
        ADMIN,
        ["input", "name"],
        200,
        ("upsertReward", "reward", "name"),
    ),
    "tier name": Limited(
        upsert("upsertTier", "tier { name }", 'key: "gold", name: $v, threshold: 10'),
        ADMIN,
        ["input", "name"],
        100,
        ("upsertTier", "tier", "name"),
    ),
    "tier benefit": Limited(
        upsert(
            "upsertTier",
            "tier { benefits }",
            'key: "gold", name: "G", threshold: 10, benefits: [$v]',
        ),
        ADMIN,
        ["input", "benefits", "0"],
        200,
        ("upsertTier", "tier", "benefits", "0"),
    ),
    "campaign name": Limited(
        upsert("upsertCampaign", "campaign { name }", f'{CAMPAIGN}, name: $v, message: "M"'),
        ADMIN,
        ["input", "name"],
        200,
        ("upsertCampaign", "campaign", "name"),
    ),
    "campaign message": Limited(
        upsert("upsertCampaign", "campaign { message }", f'{CAMPAIGN}, name: "C", message: $v'),
        ADMIN,
        ["input", "message"],
        500,
        ("upsertCampaign", "campaign", "message"),
    ),
    "adjustment reason": Limited(
        upsert(
            "adjustPoints",
            "entry { description }",
            'memberId: "ada", amount: 5, reason: $v, idempotencyKey: "a"',
        ),
        ADMIN,
        ["input", "reason"],
        500,
        ("adjustPoints", "entry", "description"),
    ),
    "display name": Limited(
        upsert("updateProfile", "member { displayName }", "displayName: $v"),
        member("ada"),
        ["input", "displayName"],
        100,
        ("updateProfile", "member", "displayName"),
        collapsed=True,
    ),
}


def padded(length: int, collapsed: bool) -> tuple[str, str]:
    """(what is sent, what is stored): `length` characters once trimmed (or collapsed), sent
    with 300 characters of whitespace around them (and, to collapse, inside)."""
    if not collapsed:
        return PADDING + "x" * length + PADDING, "x" * length
    half = length // 2
    stored = "x" * half + " " + "x" * (length - half - 1)
    return PADDING + stored.replace(" ", PADDING) + PADDING, stored


def dig(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    found: Any = data
    for step in path:
        found = found[int(step)] if isinstance(found, list) else found[step]
    return found


@pytest.mark.parametrize("name", sorted(LIMITS))
async def test_a_value_of_exactly_its_limit_is_accepted_whatever_whitespace_surrounds_it(gql, name):
    case = LIMITS[name]
    assert "errors" not in await gql(ME, as_=member("ada"))  # enrolled, for adjustPoints
    sent, stored = padded(case.limit, case.collapsed)

    body = await gql(case.document, {"v": sent}, as_=case.who)

    payload = body["data"][case.stored[0]]
    assert payload["errors"] == [], payload["errors"]
    assert dig(body["data"], case.stored) == stored


@pytest.mark.parametrize("name", sorted(LIMITS))
async def test_one_character_more_is_refused_with_the_documented_limit(gql, name):
    case = LIMITS[name]
    assert "errors" not in await gql(ME, as_=member("ada"))
    sent, _ = padded(case.limit + 1, case.collapsed)

    body = await gql(case.document, {"v": sent}, as_=case.who)

    [error] = body["data"][case.stored[0]]["errors"]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", case.field)
    assert f"{case.limit:,} characters" in error["message"], error["message"]
