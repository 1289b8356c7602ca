"""A small program for the console's read-only pages (dashboard, insight, leaderboards):
the demo program (`domain.demo`: tiers, a challenge, insight refreshed, a campaign drawn,
archived periods), plus members of our own recorded through the API, one of them named
like an attack, and a PENDING backlog left for the workers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from domain import demo
from domain.models import Interaction, InteractionStatus
from domain.runtime import Runtime
from tests.api.interactions.test_bulk_ingest import item, record_many
from tests.conftest import member
from tests.helpers import define

HOSTILE = "<img src=x onerror=alert(1)>"
# Our members: id, display name, awarded interactions (10 points each).
# Ada's 600 points make her Silver (500) and put her first, ahead of the demo's members.
PEOPLE = [("ada", "Ada Lovelace", 60), ("grace", "Grace Hopper", 12), ("mallory", HOSTILE, 4)]
PENDING = 3  # recorded last, never drained: the backlog
ACTION = "app.open"

UPDATE_PROFILE = """
mutation Profile($input: UpdateProfileInput!) {
  updateProfile(input: $input) { errors { code message } }
}
"""


async def program(gql: Any, drain: Any, runtime: Runtime, *, with_demo: bool = True) -> None:
    if with_demo:
        await demo.load(runtime)
    await define(gql, ACTION, 10)
    items = [item(who, f"{who}-{n}", ACTION) for who, _, count in PEOPLE for n in range(count)]
    payload = await record_many(gql, items)
    assert payload["refused"] == 0, payload
    for who, name, _ in PEOPLE:
        body = await gql(UPDATE_PROFILE, {"input": {"displayName": name}}, as_=member(who))
        assert body["data"]["updateProfile"]["errors"] == [], body
    await drain()
    waiting = [item("grace", f"late-{n}", ACTION) for n in range(PENDING)]
    assert (await record_many(gql, waiting))["refused"] == 0


async def spread_over_the_day(now: datetime | None = None) -> None:
    """Move each interaction's `recorded_at` back by a few hours (by its id), as if the day's
    traffic had come in over the day: nothing the API offers records in the past, and the
    dashboard counts by the hour of recording. The PENDING backlog stays as recorded."""
    now = now or datetime.now(UTC)
    decided = Interaction.exclude(status=InteractionStatus.PENDING)
    ids = sorted(await decided.values_list("id", flat=True))
    for index, interaction_id in enumerate(ids):
        hours = (index * 7) % 23
        await Interaction.filter(id=interaction_id).update(
            recorded_at=now - timedelta(hours=hours, minutes=index % 50)
        )
