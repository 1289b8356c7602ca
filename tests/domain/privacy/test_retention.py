"""Retention of raw interactions (`PLAUDIT_RETENTION_DAYS`, `domain.privacy.retention`): old
interactions go, at a moment the test chooses (an injected `now`, never a sleep); their ledger
entries and activity counters stay; and what a limit, cooldown or referral still reads stays, so
the rules decide afterwards exactly as before."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.models import Interaction, InteractionStatus
from domain.privacy import retention
from domain.runtime import Runtime
from tests.api.referrals.test_referrals import converting_on
from tests.conftest import SERVICE, member
from tests.helpers import define, record, table_sums, tables_changed

NOW = datetime.now(UTC).replace(microsecond=0)


def days_ago(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def keeping(runtime: Runtime, days: int) -> Any:
    return dataclasses.replace(runtime.settings, retention_days=days)


async def imported(gql: Any, action: str, key: str, days: float, who: str = "ada") -> str:
    payload = await record(
        gql, SERVICE, action=action, memberId=who, key=key, occurredAt=days_ago(days)
    )
    assert payload["errors"] == [], payload
    return str(payload["interaction"]["id"])


async def kept_keys() -> set[str]:
    return {str(key) for key in await Interaction.all().values_list("idempotency_key", flat=True)}


async def a_year_of_history(gql: Any, drain: Any) -> None:
    """Interactions of actions whose rules reach back a day, 200 days (a cooldown) and for ever
    (a LIFETIME limit, the referral conversion action), and of an action that does not exist."""
    await define(gql, "app.daily_open", 10, limits=[{"period": "DAY", "max": 1}])
    await define(gql, "review.posted", 10, cooldownSeconds=200 * 86400)
    await define(gql, "profile.completed", 50, limits=[{"period": "LIFETIME", "max": 1}])
    await converting_on(gql, "order.first")
    for days in (300, 150, 10):
        await imported(gql, "app.daily_open", f"open-{days}", days)
    await imported(gql, "review.posted", "review-450", 450)
    await imported(gql, "review.posted", "review-150", 150)
    await imported(gql, "profile.completed", "profile-300", 300)
    await imported(gql, "profile.completed", "profile-250", 250)  # CAPPED: once in a lifetime
    await imported(gql, "order.first", "order-300", 300)
    await imported(gql, "no.such.action", "unknown-300", 300)  # REJECTED at once
    await drain()


async def test_old_interactions_go_and_what_rules_read_stays(gql, drain, runtime):
    await a_year_of_history(gql, drain)
    statuses = dict(await Interaction.all().values_list("idempotency_key", "status"))
    assert statuses["profile-250"] == InteractionStatus.CAPPED
    before = await table_sums()

    deleted = await retention.prune_interactions(keeping(runtime, 100), NOW)

    assert deleted == 5
    assert await kept_keys() == {
        "open-10",  # within 100 days
        "review-150",  # its 200-day cooldown still reads it
        "profile-300",  # AWARDED, LIFETIME: counted for ever
        "order-300",  # the conversion action: "their first" is for ever
    }
    # Ledger entries and activity counters stay: balances, streaks and goals are unchanged.
    assert tables_changed(before, await table_sums()) == ["interaction"]


async def test_the_rules_decide_afterwards_as_they_did_before(gql, drain, runtime):
    await a_year_of_history(gql, drain)
    await retention.prune_interactions(keeping(runtime, 100), NOW)
    again = {
        "profile.completed": await imported(gql, "profile.completed", "profile-now", 0),
        "review.posted": await imported(gql, "review.posted", "review-now", 0),
    }
    await drain()
    decided = {
        action: tuple(await Interaction.get(id=int(i)).values_list("status", "reason"))
        for action, i in again.items()
    }
    assert decided == {
        "profile.completed": (InteractionStatus.CAPPED, "LIMIT_REACHED"),
        "review.posted": (InteractionStatus.CAPPED, "COOLDOWN"),
    }


async def test_time_passing_lets_more_go_and_pending_ones_never(gql, drain, runtime):
    await a_year_of_history(gql, drain)
    await Interaction.create(
        member_id="ada",
        action_key="app.daily_open",
        idempotency_key="still-pending",
        status=InteractionStatus.PENDING,
        occurred_at=NOW - timedelta(days=400),
    )
    settings = keeping(runtime, 100)
    assert await retention.prune_interactions(settings, NOW) == 5
    assert await retention.prune_interactions(settings, NOW) == 0  # the next night: nothing new
    # 100 days on: the 10-day-old open is 110 days old, the review 250 (beyond its cooldown).
    assert await retention.prune_interactions(settings, NOW + timedelta(days=100)) == 2
    assert await kept_keys() == {"profile-300", "order-300", "still-pending"}


async def test_retention_off_keeps_everything(gql, drain, runtime):
    await a_year_of_history(gql, drain)
    before = await kept_keys()
    assert await retention.prune_interactions(runtime.settings, NOW + timedelta(days=3650)) == 0
    assert await kept_keys() == before


async def test_an_interaction_older_than_what_is_held_is_refused_at_recording(
    gql, drain, runtime, monkeypatch
):
    await define(gql, "app.daily_open", 10, limits=[{"period": "DAY", "max": 1}])
    await define(gql, "review.posted", 10, cooldownSeconds=200 * 86400)
    monkeypatch.setattr(runtime, "settings", keeping(runtime, 100))

    async def status_of(action: str, key: str, days: float, who: Any = SERVICE) -> Any:
        extra = {"memberId": "ada"} if who == SERVICE else {}
        payload = await record(gql, who, action=action, key=key, occurredAt=days_ago(days), **extra)
        return payload["interaction"]["status"], payload["interaction"]["reason"]

    # A daily limit reads a day back: imports may go back 100 days less a day and the slack.
    assert await status_of("app.daily_open", "a", 97) == ("PENDING", None)
    assert await status_of("app.daily_open", "b", 99) == ("REJECTED", "BACKDATED")
    # A 200-day cooldown reads 200 days back, and all that is held is 202 days.
    assert await status_of("review.posted", "c", 0.5) == ("PENDING", None)
    assert await status_of("review.posted", "d", 2) == ("REJECTED", "BACKDATED")
    # Members keep their 24 hours of backdating whatever the retention.
    assert await status_of("review.posted", "e", 0.9, member("bob")) == ("PENDING", None)
