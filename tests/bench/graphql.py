"""Tokens and single GraphQL calls from the bench process (setup and sample checks only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt


def token(secret: str, subject: str, role: str, ttl: timedelta = timedelta(hours=6)) -> str:
    """A token as `plaudit token` mints it, signed with the secret the children were given."""
    now = datetime.now(UTC)
    claims = {"sub": subject, "role": role, "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm="HS256")


def call(url: str, query: str, variables: dict[str, Any], bearer: str) -> dict[str, Any]:
    """POST one operation; raise unless it answers 200 with data and without errors."""
    response = httpx.post(
        url,
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {bearer}"},
        timeout=30,
    )
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:500]}")
    body: dict[str, Any] = response.json()
    if body.get("errors") or not body.get("data"):
        raise RuntimeError(f"GraphQL errors: {response.text[:500]}")
    data: dict[str, Any] = body["data"]
    return data
