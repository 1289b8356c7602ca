"""/admin/streaks: the streak freeze policy (how many days of streak earn a freeze, the most a
member may hold), changed with `setStreakFreezePolicy`. Freezes are granted to one member on
their page (`members.grant`)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from api.console import graphql
from api.console.csrf import check_csrf
from api.console.forms import Field, FieldError, errors_by_field, parse, values_of
from api.console.rendering import render
from api.console.session import require_admin
from api.console.state import console_of

POLICY = "query ConsoleFreezePolicy { streakFreezePolicy { earnEveryDays maxHeld } }"
SET_POLICY = """
mutation ConsoleSetFreezePolicy($input: StreakFreezePolicyInput!) {
  setStreakFreezePolicy(input: $input) { earnEveryDays maxHeld }
}
"""

POLICY_FIELDS = (
    Field(
        "earnEveryDays",
        "Days of streak per freeze",
        "int",
        required=True,
        help="A member earns a freeze each time their streak grows by this many days; 0: none.",
    ),
    Field(
        "maxHeld",
        "Most freezes held",
        "int",
        required=True,
        help="Earned and granted freezes stop here; members keep any they hold above it.",
    ),
)


async def policy_page(request: Request) -> Response:
    await require_admin(request)
    data = await graphql.query(request, POLICY)
    return _render(request, dict(data["streakFreezePolicy"]), {}, 200)


def _render(
    request: Request, values: dict[str, Any], errors: dict[str, list[FieldError]], status: int
) -> Response:
    return render(
        request,
        "streaks.html",
        status=status,
        fields=POLICY_FIELDS,
        values=values,
        errors=errors,
        saved=request.query_params.get("saved") is not None,
    )


async def save_policy(request: Request) -> Response:
    await require_admin(request)
    await check_csrf(request)
    form = await request.form()
    values: dict[str, Any] = values_of(form, POLICY_FIELDS)
    data, errors = parse(form, POLICY_FIELDS, console_of(request).settings.tz)
    if not errors:
        payload, refusals = await graphql.mutate_document(
            request, SET_POLICY, "setStreakFreezePolicy", {"input": data}
        )
        if not refusals and payload is not None:
            return RedirectResponse("/admin/streaks?saved", status_code=303)
        errors = errors_by_field(refusals, POLICY_FIELDS)
    return _render(request, values, errors, 400)


routes = [
    Route("/streaks", policy_page, methods=["GET"]),
    Route("/streaks", save_policy, methods=["POST"]),
]
