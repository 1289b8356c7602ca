"""The delivery log: reading an endpoint's deliveries, sending one again, forgetting old ones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from tortoise.functions import Count

from domain.errors import DomainError, ErrorCode, not_found
from domain.infra import keyset
from domain.infra.db import after_commit, transaction
from domain.infra.ids import parse_id
from domain.models import WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint
from domain.outbox import wakeup
from domain.program import audit


async def history(
    endpoint_id: int, status: WebhookDeliveryStatus | None, first: int, before_id: int | None
) -> Sequence[WebhookDelivery]:
    """Newest first, keyset-paginated by id (`domain.infra.keyset.history`)."""
    query = WebhookDelivery.filter(endpoint_id=endpoint_id)
    if status is not None:
        query = query.filter(status=status)
    return await keyset.history(query, first, before_id)


async def recent(
    first: int,
    before_id: int | None = None,
    *,
    endpoint_id: int | None = None,
    status: WebhookDeliveryStatus | None = None,
) -> Sequence[WebhookDelivery]:
    """Every endpoint's deliveries (or one endpoint's), newest first, keyset-paginated by id:
    the console's delivery log."""
    query = WebhookDelivery.all()
    if endpoint_id is not None:
        query = query.filter(endpoint_id=endpoint_id)
    if status is not None:
        query = query.filter(status=status)
    return await keyset.history(query, first, before_id)


async def tallies(since: datetime) -> dict[int, dict[WebhookDeliveryStatus, int]]:
    """Deliveries created since `since`, per endpoint and status: one GROUP BY over a range of
    the `created_at` index (the log itself can hold weeks of every change)."""
    rows = (
        await WebhookDelivery.filter(created_at__gte=since)
        .annotate(count=Count("id"))
        .group_by("endpoint_id", "status")
        .values_list("endpoint_id", "status", "count")
    )
    found: dict[int, dict[WebhookDeliveryStatus, int]] = {}
    for endpoint_id, status, count in rows:
        found.setdefault(int(endpoint_id), {})[WebhookDeliveryStatus(status)] = int(count)
    return found


async def redeliver(actor: str, delivery_id: str, now: datetime | None = None) -> WebhookDelivery:
    """Send the delivery again now, with its webhook-id and body, through a fresh run of the
    retry schedule (a delivery still PENDING is simply made due now). Its endpoint must exist
    (NOT_FOUND) and be enabled (INACTIVE: enable it first). Audited; the workers are woken once
    it commits."""
    now = now or datetime.now(UTC)
    parsed = parse_id(delivery_id)
    found = await WebhookDelivery.get_or_none(id=parsed) if parsed is not None else None
    if found is None:
        raise not_found(f"no webhook delivery {delivery_id[:100]!r}", "deliveryId")
    async with transaction() as connection:
        # The endpoint first, then the delivery: the order every delivery change locks them in.
        endpoint = (
            await WebhookEndpoint.select_for_update().using_db(connection).get(id=found.endpoint_id)
        )
        if endpoint.deleted_at is not None:
            raise not_found("this delivery's endpoint was deleted", "deliveryId")
        if not endpoint.enabled:
            raise DomainError(
                ErrorCode.INACTIVE,
                "this delivery's endpoint is disabled: enable it with updateWebhookEndpoint first",
                ("deliveryId",),
            )
        delivery = await WebhookDelivery.select_for_update().using_db(connection).get(id=found.id)
        before = {"status": delivery.status.value, "attempts": delivery.attempts}
        delivery.status = WebhookDeliveryStatus.PENDING
        delivery.failures = 0
        delivery.next_attempt_at = now
        await delivery.save(
            using_db=connection, update_fields=["status", "failures", "next_attempt_at"]
        )
        await audit.record(
            connection,
            actor,
            "redeliverWebhook",
            f"webhook_delivery:{delivery.id}",
            before,
            {"status": delivery.status.value, "messageId": delivery.message_id},
        )
        after_commit(wakeup.wake_process_workers)
    return delivery


async def prune(now: datetime, days: int) -> int:
    """Forget finished deliveries older than `days` (PLAUDIT_WEBHOOK_HISTORY_DAYS); returns how
    many were deleted. PENDING ones stay, however old."""
    cutoff = now - timedelta(days=days)
    async with transaction() as connection:
        return await (
            WebhookDelivery.filter(
                status__in=[WebhookDeliveryStatus.SUCCEEDED, WebhookDeliveryStatus.FAILED],
                created_at__lt=cutoff,
            )
            .using_db(connection)
            .delete()
        )
