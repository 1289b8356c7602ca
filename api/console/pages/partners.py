"""/admin/partners/{key}/token: issue a partner-scoped SERVICE token, shown once.

Partners are listed, defined and edited with the other definitions
(`api.console.definitions.PARTNERS`, at /admin/partners). Issuing a token is the API's own
`upsertPartner(issueToken: true, tokenDays:)`, run as the signed-in admin with the partner's
current definition (so nothing else changes; it is audited like any upsert). The token appears
on the page that answers the POST and nowhere else: Plaudit keeps no copy.

- `GET /admin/partners/{key}/token`: the partner and the form (`tokenDays`, default 365).
- `POST /admin/partners/{key}/token`: issue; refusals (tokenDays out of range, tokens from an
  identity provider) inline, nothing changed.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.console import graphql
from api.console.csrf import check_csrf
from api.console.definitions import PARTNERS
from api.console.forms import Field, FormErrors, errors_by_field, parse, values_of
from api.console.rendering import render
from api.console.session import require_admin
from api.console.state import console_of

DEFAULT_TOKEN_DAYS = 365
FIELDS = (
    Field(
        "tokenDays",
        "Valid for (days)",
        "int",
        required=True,
        help="1 to 3660. Deactivating the partner stops all its tokens at once.",
    ),
)
ISSUE = """
mutation ConsoleIssuePartnerToken($input: UpsertPartnerInput!, $tokenDays: Int) {
  upsertPartner(input: $input, issueToken: true, tokenDays: $tokenDays) {
    partner { key } token errors { code message field }
  }
}
"""


async def _partner(request: Request) -> dict[str, Any]:
    """The partner of the path, as the list shows it; 404 when there is none."""
    key = request.path_params["key"]
    data = await graphql.query(request, PARTNERS.list_document)
    found = next((p for p in data[PARTNERS.list_field] if p["key"] == key), None)
    if found is None:
        raise HTTPException(404, "Nothing has this key.")
    partner: dict[str, Any] = found
    return partner


async def token_page(request: Request) -> Response:
    await require_admin(request)
    partner = await _partner(request)
    return _render(request, partner, {"tokenDays": str(DEFAULT_TOKEN_DAYS)}, {})


async def issue(request: Request) -> Response:
    await require_admin(request)
    await check_csrf(request)
    partner = await _partner(request)
    form = await request.form()
    values: dict[str, Any] = values_of(form, FIELDS)
    wanted, errors = parse(form, FIELDS, console_of(request).settings.tz)
    if errors:
        return _render(request, partner, values, errors, status=400)
    definition = {
        "key": partner["key"],
        "name": partner["name"],
        "actions": partner["actions"],
        "monthlyBudget": partner["monthlyBudget"],
        "active": partner["active"],
    }
    payload, refusals = await graphql.mutate_document(
        request,
        ISSUE,
        "upsertPartner",
        {"input": definition, "tokenDays": wanted["tokenDays"]},
    )
    if refusals or payload is None:
        return _render(request, partner, values, errors_by_field(refusals, FIELDS), status=400)
    return _render(request, partner, values, {}, token=payload["token"], status=201)


def _render(
    request: Request,
    partner: dict[str, Any],
    values: dict[str, Any],
    errors: FormErrors,
    *,
    token: str | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "partner_token.html",
        status=status,
        partner=partner,
        fields=FIELDS,
        values=values,
        errors=errors,
        token=token,
    )


routes = [
    Route("/partners/{key}/token", token_page, methods=["GET"]),
    Route("/partners/{key}/token", issue, methods=["POST"]),
]
