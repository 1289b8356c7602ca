"""Members: /admin/members (search by id or display name) and /admin/members/{id} (everything
about one member, the points-adjustment form, which runs `adjustPoints`, and the streak freeze
grant, which runs `grantStreakFreezes`)."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from api.console import graphql
from api.console.csrf import check_csrf
from api.console.forms import Field, FieldError, errors_by_field, parse, values_of
from api.console.rendering import render
from api.console.session import require_admin
from api.console.state import console_of
from domain.errors import ErrorCode
from domain.members.search import MAX_QUERY_LENGTH, search_members
from gamification.text import first_problem

SEARCH_LIMIT = 50
PAGE = 20

MEMBER = """
query ConsoleMember($id: ID!, $first: Int!) {
  member(id: $id) {
    id displayName avatarUrl joinedAt leaderboardVisibility
    points { balance lifetime nextExpiryAt nextExpiryAmount }
    tier { current { key name } next { key name } qualifyingPoints pointsToNext since
           retainUntil }
    history(first: $first) { edges { node { id amount reason description balanceAfter
                                             createdAt } } }
    badges { badge { key name secret } earned earnedAt
             progress { goal { metric action target } current completed } }
    challenges { challenge { key name status startsAt endsAt }
                 enrolled enrolledAt completed completedAt
                 progress { goal { metric action target } current completed } }
    streaks { action current longest lastActiveOn freezes }
    redemptions(first: $first) { edges { node { id cost status createdAt
                                                 reward { key name } } } }
    events(first: $first) { edges { node { id kind occurredAt message points subject } } }
    contents(first: $first) { edges { node { id kind subject body status score
                                             pointsAwarded createdAt rejectionReason } } }
    referral { code invited converted pointsEarned referredBy { id displayName } }
  }
}
"""

ADJUST = """
mutation ConsoleAdjust($input: AdjustPointsInput!) {
  adjustPoints(input: $input) { entry { id amount balanceAfter } errors { code message field } }
}
"""

ADJUST_FIELDS = (
    Field(
        "amount",
        "Amount",
        "int",
        required=True,
        help="Positive credits, negative debits; a debit may not take the balance below 0.",
    ),
    Field(
        "reason",
        "Reason",
        required=True,
        help="Recorded in the ledger and the audit log.",
    ),
)

GRANT = """
mutation ConsoleGrant($memberId: ID!, $count: Int!) {
  grantStreakFreezes(memberId: $memberId, count: $count) { freezes }
}
"""

GRANT_FIELDS = (
    Field(
        "count",
        "Freezes to grant",
        "int",
        required=True,
        help="Capped at the most a member may hold (the streak freeze policy).",
    ),
)


async def search(request: Request) -> Response:
    await require_admin(request)
    text = request.query_params.get("q", "")
    errors: dict[str, list[FieldError]] = {}
    found: list[Any] = []
    problem = first_problem({"q": text}, frozenset())
    if problem is not None:
        errors["q"] = [FieldError(str(ErrorCode.INVALID_INPUT), problem.message)]
    elif len(text) > MAX_QUERY_LENGTH:
        errors["q"] = [
            FieldError(
                str(ErrorCode.INVALID_INPUT),
                "q is at most %(most)s characters",
                params={"most": MAX_QUERY_LENGTH},
            )
        ]
    elif text.strip():
        found = await search_members(text, SEARCH_LIMIT)
    return render(
        request,
        "members.html",
        status=400 if errors else 200,
        q=text,
        members=found,
        errors=errors,
        searched=bool(text.strip()) and not errors,
        limit=SEARCH_LIMIT,
    )


async def member_page(request: Request) -> Response:
    await require_admin(request)
    return await _show(request, request.path_params["member_id"], {}, {}, 200)


async def _show(
    request: Request,
    member_id: str,
    values: dict[str, Any],
    errors: dict[str, list[FieldError]],
    status: int,
    grant_values: dict[str, Any] | None = None,
    grant_errors: dict[str, list[FieldError]] | None = None,
) -> Response:
    problem = first_problem({"id": member_id}, frozenset())
    if problem is not None or len(member_id) > 128:
        raise HTTPException(404, "no member has this id")
    data = await graphql.query(request, MEMBER, id=member_id, first=PAGE)
    member = data["member"]
    if member is None:
        raise HTTPException(404, "no member has this id")
    values = {"idempotencyKey": secrets.token_urlsafe(16), **values}
    return render(
        request,
        "member.html",
        status=status,
        member=member,
        fields=ADJUST_FIELDS,
        values=values,
        errors=errors,
        adjusted=request.query_params.get("adjusted"),
        grant_fields=GRANT_FIELDS,
        grant_values=grant_values or {},
        grant_errors=grant_errors or {},
        frozen=request.query_params.get("freezes"),
        edges=lambda connection: [edge["node"] for edge in connection["edges"]],
    )


async def adjust(request: Request) -> Response:
    await require_admin(request)
    await check_csrf(request)
    member_id = request.path_params["member_id"]
    form = await request.form()
    values: dict[str, Any] = values_of(form, ADJUST_FIELDS)
    key = form.get("idempotencyKey")
    data, errors = parse(form, ADJUST_FIELDS, console_of(request).settings.tz)
    if not isinstance(key, str) or not key:
        key = secrets.token_urlsafe(16)
    values["idempotencyKey"] = key
    if not errors:
        payload, refusals = await graphql.mutate_document(
            request,
            ADJUST,
            "adjustPoints",
            {"input": {"memberId": member_id, "idempotencyKey": key, **data}},
        )
        if not refusals and payload is not None:
            entry = payload["entry"]
            target = f"/admin/members/{quote(member_id, safe='')}?adjusted={entry['amount']}"
            return RedirectResponse(target, status_code=303)
        errors = errors_by_field(refusals, ADJUST_FIELDS)
    return await _show(request, member_id, values, errors, 400)


async def grant(request: Request) -> Response:
    """Grant streak freezes by hand; the page again with what the member now holds."""
    await require_admin(request)
    await check_csrf(request)
    member_id = request.path_params["member_id"]
    form = await request.form()
    values: dict[str, Any] = values_of(form, GRANT_FIELDS)
    data, errors = parse(form, GRANT_FIELDS, console_of(request).settings.tz)
    if not errors:
        payload, refusals = await graphql.mutate_document(
            request, GRANT, "grantStreakFreezes", {"memberId": member_id, **data}
        )
        if not refusals and payload is not None:
            held = payload["freezes"]
            target = f"/admin/members/{quote(member_id, safe='')}?freezes={held}"
            return RedirectResponse(target, status_code=303)
        errors = errors_by_field(refusals, GRANT_FIELDS)
    return await _show(request, member_id, {}, {}, 400, values, errors)


routes = [
    Route("/members", search, methods=["GET"]),
    Route("/members/{member_id:path}", member_page, methods=["GET"]),
    Route("/members/{member_id:path}/adjust", adjust, methods=["POST"]),
    Route("/members/{member_id:path}/freezes", grant, methods=["POST"]),
]
