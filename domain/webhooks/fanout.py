"""From the outbox to the delivery log: one delivery per message and subscribed endpoint.

In one transaction a worker takes a batch of committed messages (on PostgreSQL `FOR UPDATE SKIP
LOCKED`, so workers take disjoint batches), inserts a PENDING delivery, due now, for every
enabled endpoint subscribed to each message's event (one multi-row insert), and deletes the
messages. A message nobody subscribes to is simply deleted: an endpoint hears of changes
committed after it was created. The unique (endpoint, message) makes a repeat harmless.
"""

from __future__ import annotations

from datetime import datetime

from domain.infra.db import insert_rows, raw_timestamp, transaction
from domain.models import WebhookDeliveryStatus, WebhookEndpoint, WebhookMessage

BATCH = 500
MAX_BATCHES = 20  # per call; the next round takes the rest

COLUMNS = {
    "endpoint_id": "bigint",
    "message_id": "varchar",
    "event": "varchar",
    "body": "text",
    "status": "varchar",
    "attempts": "integer",
    "failures": "integer",
    "next_attempt_at": "timestamptz",
    "created_at": "timestamptz",
}


async def fan_out(now: datetime) -> int:
    """Turn the committed messages into deliveries; returns how many deliveries were made."""
    made = 0
    for _ in range(MAX_BATCHES):
        taken, created = await _batch(now)
        made += created
        if taken < BATCH:
            break
    return made


async def _batch(now: datetime) -> tuple[int, int]:
    async with transaction() as connection:
        messages = (
            await WebhookMessage.select_for_update(skip_locked=True)
            .using_db(connection)
            .order_by("id")
            .limit(BATCH)
        )
        if not messages:
            return 0, 0
        endpoints = await WebhookEndpoint.filter(enabled=True, deleted_at__isnull=True).using_db(
            connection
        )
        subscribed = {endpoint.id: set(endpoint.events or []) for endpoint in endpoints}
        rows: list[list[object]] = [
            [
                endpoint_id,
                message.message_id,
                message.event,
                message.body,
                WebhookDeliveryStatus.PENDING.value,
                0,
                0,
                raw_timestamp(now),
                raw_timestamp(now),
            ]
            for message in messages
            for endpoint_id, events in subscribed.items()
            if message.event in events
        ]
        if rows:
            await insert_rows(
                connection,
                "webhook_delivery",
                COLUMNS,
                rows,
                on_conflict="ON CONFLICT (endpoint_id, message_id) DO NOTHING",
            )
        await WebhookMessage.filter(id__in=[m.id for m in messages]).using_db(connection).delete()
    return len(messages), len(rows)
