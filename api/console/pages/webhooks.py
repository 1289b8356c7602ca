"""/admin/webhooks: the endpoints, their delivery log, and creating, disabling and enabling one.

Reads go through the domain's reads (`domain.webhooks.endpoints.listing`, `deliveries.tallies`,
`deliveries.recent`): three SQL statements whatever the number of endpoints and deliveries.
Writes are the API's own mutations, run as the signed-in admin (`api.console.graphql.mutate`):
`createWebhookEndpoint` and `updateWebhookEndpoint(enabled:)`, with their checks (https,
public addresses), their transaction and their audit record. The new endpoint's secret is shown
once, on the page that answers the creation, and never again.

- `GET /admin/webhooks[?endpoint=<id>&status=<status>&before=<delivery id>]`: the endpoints
  (with their deliveries of the last 24 hours by status), the create form, and the delivery
  log (all endpoints or one, newest first, 25 a page).
- `POST /admin/webhooks`: create (`url`, `description`, `events`, named after
  `CreateWebhookEndpointInput`); refusals are shown inline with their code, nothing saved.
- `POST /admin/webhooks/{id}/disable` and `/enable`: `updateWebhookEndpoint` with
  `enabled: false` (its pending deliveries are FAILED) or `true` (its failures forgotten).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from api.console.csrf import check_csrf
from api.console.forms import Field, FieldError, FormErrors, errors_by_field, parse, values_of
from api.console.graphql import mutate
from api.console.rendering import gettext_for, render
from api.console.session import require_admin
from api.console.state import console_of
from domain.errors import ErrorCode
from domain.infra.ids import parse_id
from domain.models import (
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
    WebhookEventType,
)
from domain.webhooks import deliveries, endpoints

PAGE = 25
TALLY_WINDOW = timedelta(hours=24)  # each endpoint's deliveries counted over the last day
EVENTS = tuple(event.value for event in WebhookEventType)
FIELDS = (
    Field(
        "url",
        "URL",
        kind="url",
        required=True,
        help="https:// and a public address; the endpoint must answer 2xx within the timeout.",
    ),
    Field("description", "Description", kind="textarea"),
)


@dataclass(frozen=True)
class Filters:
    endpoint: int | None
    status: WebhookDeliveryStatus | None
    before: int | None

    @classmethod
    def of(cls, request: Request) -> Filters:
        """The log's filters from the query string; a value that is not one is ignored."""
        params = request.query_params
        status = params.get("status", "")
        return cls(
            endpoint=parse_id(params.get("endpoint", "")),
            status=WebhookDeliveryStatus(status) if status in EVENT_STATUSES else None,
            before=parse_id(params.get("before", "")),
        )


EVENT_STATUSES = tuple(status.value for status in WebhookDeliveryStatus)


@dataclass(frozen=True)
class WebhooksData:
    endpoints: list[WebhookEndpoint]
    tallies: dict[int, dict[WebhookDeliveryStatus, int]]
    deliveries: list[WebhookDelivery]
    more: bool  # an older page of deliveries follows


async def webhooks_data(filters: Filters, now: datetime) -> WebhooksData:
    """Everything the page shows, in three statements."""
    listed = await endpoints.listing()
    tallies = await deliveries.tallies(now - TALLY_WINDOW)
    found = list(
        await deliveries.recent(
            PAGE, filters.before, endpoint_id=filters.endpoint, status=filters.status
        )
    )
    return WebhooksData(listed, tallies, found[:PAGE], len(found) > PAGE)


async def webhooks_page(request: Request) -> Response:
    await require_admin(request)
    return await _page(request, values={}, errors={})


async def create(request: Request) -> Response:
    await require_admin(request)
    await check_csrf(request)
    form = await request.form()
    values: dict[str, Any] = dict(values_of(form, FIELDS))
    chosen = [event for event in form.getlist("events") if isinstance(event, str)]
    values["events"] = chosen
    wanted, errors = parse(form, FIELDS, console_of(request).settings.tz)
    unknown = [event for event in chosen if event not in EVENTS]
    if unknown:
        message = f"events must be among {', '.join(EVENTS)}"
        errors.setdefault("events", []).append(FieldError(str(ErrorCode.INVALID_INPUT), message))
    if errors:
        return await _page(request, values=values, errors=errors, status=400)
    wanted["events"] = chosen
    payload, refusals = await mutate(
        request,
        "createWebhookEndpoint",
        "CreateWebhookEndpointInput",
        wanted,
        selection="endpoint { id url } secret",
    )
    if refusals or payload is None:
        placed = errors_by_field(refusals, [*FIELDS, Field("events", "Events")])
        return await _page(request, values=values, errors=placed, status=400)
    return await _page(
        request,
        values={},
        errors={},
        created={"id": payload["endpoint"]["id"], "url": payload["endpoint"]["url"]},
        secret=payload["secret"],
        status=201,
    )


async def disable(request: Request) -> Response:
    return await _set_enabled(request, False)


async def enable(request: Request) -> Response:
    return await _set_enabled(request, True)


async def _set_enabled(request: Request, enabled: bool) -> Response:
    await require_admin(request)
    await check_csrf(request)
    endpoint_id = request.path_params["endpoint_id"]
    _, refusals = await mutate(
        request,
        "updateWebhookEndpoint",
        "UpdateWebhookEndpointInput",
        {"id": endpoint_id, "enabled": enabled},
        selection="endpoint { id enabled }",
    )
    if refusals:
        errors: FormErrors = {
            "": [FieldError(r.code, r.message, r.field) for r in refusals],
        }
        return await _page(request, values={}, errors=errors, status=400)
    done = "enabled" if enabled else "disabled"
    return RedirectResponse(f"/admin/webhooks?{done}={endpoint_id}", status_code=303)


async def _page(
    request: Request,
    *,
    values: dict[str, Any],
    errors: FormErrors,
    status: int = 200,
    created: dict[str, str] | None = None,
    secret: str | None = None,
) -> Response:
    filters = Filters.of(request)
    data = await webhooks_data(filters, console_of(request).now())
    t = gettext_for(request)
    urls = {endpoint.id: endpoint.url for endpoint in data.endpoints}
    notice = None
    for done, message in (
        ("disabled", t.gettext("Endpoint %(id)s disabled: its pending deliveries were failed.")),
        ("enabled", t.gettext("Endpoint %(id)s enabled again.")),
    ):
        changed = parse_id(request.query_params.get(done, ""))
        if changed is not None and request.method == "GET":
            notice = message % {"id": changed}
    return render(
        request,
        "webhooks.html",
        status=status,
        data=data,
        filters=filters,
        urls=urls,
        fields=FIELDS,
        events=EVENTS,
        statuses=EVENT_STATUSES,
        values=values,
        errors=errors,
        created=created,
        secret=secret,
        notice=notice,
        older=_older_query(filters, data),
    )


def _older_query(filters: Filters, data: WebhooksData) -> str | None:
    """The query string of the next (older) page of the log, when there is one."""
    if not data.more or not data.deliveries:
        return None
    params = {"before": str(data.deliveries[-1].id)}
    if filters.endpoint is not None:
        params["endpoint"] = str(filters.endpoint)
    if filters.status is not None:
        params["status"] = filters.status.value
    return "&".join(f"{key}={value}" for key, value in params.items())


routes = [
    Route("/webhooks", webhooks_page, methods=["GET"], name="webhooks"),
    Route("/webhooks", create, methods=["POST"], name="webhooks-create"),
    Route("/webhooks/{endpoint_id}/disable", disable, methods=["POST"], name="webhooks-disable"),
    Route("/webhooks/{endpoint_id}/enable", enable, methods=["POST"], name="webhooks-enable"),
]
