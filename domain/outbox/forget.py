"""Forgetting a member in the messages and deliveries still stored (erasure).

A message names members in its data (`memberId`, `referrerId`, `refereeId`, the `top` of a
closed leaderboard period). Erasing a member removes every message and delivery about them,
sent or not, and takes them out of the tops of closed periods (the other entries keep their
ranks). MEMBER_ERASED messages stay: announcing the erasure, with the former id, is their job.

Candidates are found with LIKE on the stored JSON (rare work: one scan, no index for it), and
each is parsed to check that the id really is one of its members.
"""

from __future__ import annotations

import json
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.infra.db import param
from domain.models import WebhookEventType

MEMBER_FIELDS = ("memberId", "referrerId", "refereeId")
TABLES = ("webhook_message", "webhook_delivery")


def _like_pattern(member_id: str) -> str:
    """Matches any body holding the id as a JSON string (`!` escapes LIKE's wildcards)."""
    quoted = json.dumps(member_id)
    escaped = quoted.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def without_member(body: str, member_id: str) -> str | None:
    """`body` with the member taken out: itself when they are not in it, None when the whole
    message is about them (to delete), or a rewritten closed period without their entries."""
    document: dict[str, Any] = json.loads(body)
    if document.get("type") == WebhookEventType.MEMBER_ERASED.value:
        return body
    data = document.get("data") or {}
    if any(data.get(name) == member_id for name in MEMBER_FIELDS):
        return None
    top = data.get("top")
    if isinstance(top, list) and any(entry.get("memberId") == member_id for entry in top):
        data["top"] = [entry for entry in top if entry.get("memberId") != member_id]
        return json.dumps(document, separators=(",", ":"))
    return body


async def forget_member(connection: BaseDBAsyncClient, member_id: str) -> int:
    """Remove `member_id` from every stored message and delivery, in the caller's transaction;
    returns how many rows were deleted or rewritten."""
    changed = 0
    for table in TABLES:
        rows = await connection.execute_query_dict(
            f"SELECT id, body FROM {table} WHERE body LIKE {param(1)} ESCAPE '!'",
            [_like_pattern(member_id)],
        )
        for row in rows:
            body = str(row["body"])
            kept = without_member(body, member_id)
            if kept == body:
                continue
            if kept is None:
                await connection.execute_query(
                    f"DELETE FROM {table} WHERE id = {param(1)}", [row["id"]]
                )
            else:
                await connection.execute_query(
                    f"UPDATE {table} SET body = {param(1)} WHERE id = {param(2)}",
                    [kept, row["id"]],
                )
            changed += 1
    return changed
