"""Managing webhook endpoints (admins): create, update, rotate the secret, delete; each audited.

The secret is generated here and returned only by `create` and `rotate`, for the API to show
once. An endpoint's URL is checked when it is saved (`addresses.check`: https, public
addresses), and again by every attempt. A change to the events endpoints subscribe to bumps the
program version, so the award path, which writes only the messages someone wants, sees it
with its next batch. Deleting an endpoint stops its deliveries at once (the pending ones are
FAILED) and keeps its history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.errors import invalid_input, not_found
from domain.infra.db import transaction
from domain.infra.ids import parse_id
from domain.infra.settings import Settings
from domain.models import (
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
    WebhookEventType,
)
from domain.program import audit, definitions
from domain.webhooks import addresses, signing

# How long a rotated secret keeps signing beside the new one.
ROTATION_OVERLAP = timedelta(hours=24)
MAX_DESCRIPTION = 2_000
DELETED = "endpoint deleted"
DISABLED = "endpoint disabled by an admin"


@dataclass(frozen=True)
class WithSecret:
    """An endpoint and its new secret, which the caller shows once."""

    endpoint: WebhookEndpoint
    secret: str


def snapshot(endpoint: WebhookEndpoint) -> dict[str, Any]:
    """What the audit log keeps of an endpoint: never its secrets."""
    return {
        "id": str(endpoint.id),
        "url": endpoint.url,
        "description": endpoint.description,
        "events": list(endpoint.events or []),
        "enabled": endpoint.enabled,
        "deleted": endpoint.deleted_at is not None,
    }


def _events(events: Sequence[WebhookEventType]) -> list[str]:
    """The subscribed events, each once, in the enum's order."""
    wanted = {WebhookEventType(event) for event in events}
    return [event.value for event in WebhookEventType if event in wanted]


def _description(description: str) -> str:
    text = description.strip()
    if len(text) > MAX_DESCRIPTION:
        raise invalid_input(
            f"description must be at most {MAX_DESCRIPTION} characters", "input", "description"
        )
    return text


async def _checked_url(settings: Settings, url: str) -> str:
    """The URL, trimmed, if it may receive webhooks; INVALID_INPUT on input.url otherwise."""
    url = url.strip()
    try:
        await addresses.check(
            url, allow_private=settings.webhooks_allow_private, allow_http=settings.dev
        )
    except addresses.AddressRefused as refusal:
        raise invalid_input(str(refusal), "input", "url") from None
    return url


async def create(
    settings: Settings,
    actor: str,
    url: str,
    description: str,
    events: Sequence[WebhookEventType],
    now: datetime | None = None,
) -> WithSecret:
    now = now or datetime.now(UTC)
    checked = await _checked_url(settings, url)
    text = _description(description)
    secret = signing.new_secret()
    async with transaction() as connection:
        endpoint = await WebhookEndpoint.create(
            url=checked,
            description=text,
            events=_events(events),
            enabled=True,
            secret=secret,
            created_at=now,
            updated_at=now,
            using_db=connection,
        )
        await definitions.changed(connection)
        await audit.record(
            connection,
            actor,
            "createWebhookEndpoint",
            f"webhook_endpoint:{endpoint.id}",
            None,
            snapshot(endpoint),
        )
    return WithSecret(endpoint, secret)


async def _locked(connection: BaseDBAsyncClient, endpoint_id: str, *field: str) -> WebhookEndpoint:
    """The endpoint (not deleted), locked for the transaction; NOT_FOUND otherwise."""
    parsed = parse_id(endpoint_id)
    found = (
        await WebhookEndpoint.select_for_update()
        .using_db(connection)
        .get_or_none(id=parsed, deleted_at__isnull=True)
        if parsed is not None
        else None
    )
    if found is None:
        raise not_found(f"no webhook endpoint {endpoint_id[:100]!r}", *field)
    return found


async def update(
    settings: Settings,
    actor: str,
    endpoint_id: str,
    *,
    url: str | None = None,
    description: str | None = None,
    events: Sequence[WebhookEventType] | None = None,
    enabled: bool | None = None,
    now: datetime | None = None,
) -> WebhookEndpoint:
    """Change what is given. Enabling an endpoint (again) forgets its failures."""
    now = now or datetime.now(UTC)
    checked = await _checked_url(settings, url) if url is not None else None
    text = _description(description) if description is not None else None
    async with transaction() as connection:
        endpoint = await _locked(connection, endpoint_id, "input", "id")
        before = snapshot(endpoint)
        if checked is not None:
            endpoint.url = checked
        if text is not None:
            endpoint.description = text
        if events is not None:
            endpoint.events = _events(events)
        if enabled is not None:
            if enabled and not endpoint.enabled:
                endpoint.failing_since = None
                endpoint.disabled_reason = None
            elif not enabled and endpoint.enabled:
                endpoint.disabled_reason = DISABLED
                await stop_pending(connection, endpoint.id, DISABLED)
            endpoint.enabled = enabled
        endpoint.updated_at = now
        await endpoint.save(using_db=connection)
        await definitions.changed(connection)
        await audit.record(
            connection,
            actor,
            "updateWebhookEndpoint",
            f"webhook_endpoint:{endpoint.id}",
            before,
            snapshot(endpoint),
        )
    return endpoint


async def rotate(actor: str, endpoint_id: str, now: datetime | None = None) -> WithSecret:
    """A new secret; the current one keeps signing beside it for ROTATION_OVERLAP (a second
    rotation meanwhile drops the oldest)."""
    now = now or datetime.now(UTC)
    secret = signing.new_secret()
    async with transaction() as connection:
        endpoint = await _locked(connection, endpoint_id, "id")
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_until = now + ROTATION_OVERLAP
        endpoint.secret = secret
        endpoint.updated_at = now
        await endpoint.save(using_db=connection)
        state = snapshot(endpoint)
        await audit.record(
            connection,
            actor,
            "rotateWebhookSecret",
            f"webhook_endpoint:{endpoint.id}",
            state,
            {**state, "previousSecretSignsUntil": endpoint.previous_secret_until.isoformat()},
        )
    return WithSecret(endpoint, secret)


async def delete(actor: str, endpoint_id: str, now: datetime | None = None) -> WebhookEndpoint:
    """Stop the endpoint for good: no more deliveries (the pending ones are FAILED), history
    kept; it no longer appears in `webhookEndpoints`."""
    now = now or datetime.now(UTC)
    async with transaction() as connection:
        endpoint = await _locked(connection, endpoint_id, "id")
        before = snapshot(endpoint)
        endpoint.enabled = False
        endpoint.deleted_at = now
        endpoint.updated_at = now
        await endpoint.save(using_db=connection)
        await stop_pending(connection, endpoint.id, DELETED)
        await definitions.changed(connection)
        await audit.record(
            connection,
            actor,
            "deleteWebhookEndpoint",
            f"webhook_endpoint:{endpoint.id}",
            before,
            snapshot(endpoint),
        )
    return endpoint


async def stop_pending(connection: BaseDBAsyncClient, endpoint_id: int, why: str) -> int:
    """FAIL the endpoint's pending deliveries, saying why; returns how many."""
    return await (
        WebhookDelivery.filter(endpoint_id=endpoint_id, status=WebhookDeliveryStatus.PENDING)
        .using_db(connection)
        .update(status=WebhookDeliveryStatus.FAILED, next_attempt_at=None, last_error=why)
    )


async def listing() -> list[WebhookEndpoint]:
    """Every endpoint not deleted, oldest first."""
    return list(await WebhookEndpoint.filter(deleted_at__isnull=True).order_by("id"))


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The secrets an attempt at `now` signs with: the current one, and the rotated one while
    its overlap lasts."""
    found = [endpoint.secret]
    until = endpoint.previous_secret_until
    if endpoint.previous_secret and until is not None and now < until:
        found.append(endpoint.previous_secret)
    return found
