"""What the read cache's tests share: reading over HTTP as a member, a clock to move, the cache's
keys in Redis and its lookup counts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from domain.infra import metrics
from domain.infra.settings import Settings
from domain.runtime import Runtime
from tests.conftest import token

GRAPHQL_RESPONSE = "application/graphql-response+json"
EXECUTED = {"cache-control": "no-store"}  # computed now, not answered by the cache


async def read(
    client: httpx.AsyncClient,
    settings: Settings,
    who: str,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    role: str = "member",
    accept: str = GRAPHQL_RESPONSE,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST `query` as `who`; the HTTP response as it came."""
    sent = {"authorization": f"Bearer {token(settings, who, role)}", "accept": accept}
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers=sent | (headers or {}),
    )
    assert response.status_code == 200, response.text
    return response


def data(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]


@dataclass
class Clock:
    """`Runtime.clock` as the tests set it."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def lookups(outcome: str) -> float:
    """How many lookups of the read cache this process counted with `outcome` so far."""
    return float(metrics.read_cache_lookups.labels(outcome)._value.get())


ENTRY = re.compile(r"^(?P<ns>.+):rc:\{(?P<tag>m:[^}]+|p)\}:(?P<kind>v|w|e:[0-9a-f]{32})$")


async def cache_keys(runtime: Runtime) -> list[str]:
    """Every key of the read cache in the program's namespace."""
    pattern = f"{runtime.settings.redis_namespace}:rc:*"
    return sorted([key.decode() async for key in runtime.redis.scan_iter(match=pattern)])


async def entries_of(runtime: Runtime, member_id: str) -> list[str]:
    """The member's stored answers' keys."""
    slot = runtime.read_versions.keys_of(member_id).slot if runtime.read_versions else ""
    return [key for key in await cache_keys(runtime) if key.startswith(f"{slot}:e:")]
