"""Writing messages to the outbox, in the caller's transaction.

A message's body is fixed when it is written: `{"type", "timestamp", "data"}` as compact JSON,
the bytes every attempt of every delivery sends and signs. Its `message_id` (`msg_…`) is the
`webhook-id` header receivers dedupe on.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.infra.db import after_commit_batch, insert_rows, raw_timestamp
from domain.models import WebhookEventType
from domain.outbox.wakeup import BATCH, after_commit

COLUMNS = {
    "message_id": "varchar",
    "event": "varchar",
    "body": "text",
    "created_at": "timestamptz",
}


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Message:
    """One event to announce: its type, the contract's data fields, and when it happened."""

    event: WebhookEventType
    data: Mapping[str, Any]
    at: datetime = field(default_factory=_now)


def new_message_id() -> str:
    """A fresh `webhook-id`: `msg_` and 24 hex digits (96 random bits)."""
    return f"msg_{secrets.token_hex(12)}"


def timestamp_text(moment: datetime) -> str:
    """ISO 8601 in UTC with a `Z`, as the body's `timestamp`."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def body_of(message: Message) -> str:
    """The JSON body every delivery of `message` sends (compact, ASCII, keys in a fixed order)."""
    document = {
        "type": message.event.value,
        "timestamp": timestamp_text(message.at),
        "data": dict(message.data),
    }
    return json.dumps(document, separators=(",", ":"), default=str)


async def emit(
    connection: BaseDBAsyncClient,
    event: WebhookEventType,
    data: Mapping[str, Any],
    *,
    at: datetime | None = None,
) -> str:
    """Write one message in the caller's transaction; returns its `webhook-id`. It is sent only
    if that transaction commits."""
    [message_id] = await emit_many(connection, [Message(event, data, at or _now())])
    return message_id


async def emit_many(connection: BaseDBAsyncClient, messages: Sequence[Message]) -> list[str]:
    """Write `messages` with one multi-row insert (a few past the drivers' parameter caps) in
    the caller's transaction; returns their `webhook-id`s in order. Nothing for none."""
    if not messages:
        return []
    ids = [new_message_id() for _ in messages]
    rows: list[list[object]] = [
        [message_id, message.event.value, body_of(message), raw_timestamp(message.at)]
        for message_id, message in zip(ids, messages, strict=True)
    ]
    await insert_rows(connection, "webhook_message", COLUMNS, rows)
    # One wake-up per transaction, however many messages it wrote (outside a transaction()
    # nothing is collected, and the workers' cron job finds the messages).
    after_commit_batch(BATCH, len(rows), after_commit)
    return ids
