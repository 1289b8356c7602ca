"""Delivering webhooks: rounds of attempts by the workers, never by the API.

A round (`deliver_due`) first fans the outbox out (`fanout`), then works through the due
deliveries, endpoint by endpoint, until none is due or the round's time is up. Rounds overlap
(every cron tick and wake-up starts one); an endpoint that one round of the process is serving
is left to it by the others, so a slow receiver keeps one round busy and the next serves the
rest.

- Each endpoint gets a few lanes (`LANES_PER_ENDPOINT`) and the process at most
  `MAX_IN_FLIGHT` attempts at once: a slow or dead receiver holds its own lanes only, and
  never the award path, which has long committed (it only wrote the outbox).
- A lane claims one due delivery at a time by moving its `next_attempt_at` to the end of a
  lease (an attempt that dies with its worker is tried again once the lease is over), sends
  it, and records what happened.
- An attempt resolves the host and refuses non-public addresses (unless allowed), connects to
  the address it checked (DNS rebinding), POSTs the body signed for this attempt, follows no
  redirect, reads no response body, and gives up after `PLAUDIT_WEBHOOK_TIMEOUT_SECONDS`.
- A 2xx is SUCCEEDED. Anything else is retried after the next delay of
  `PLAUDIT_WEBHOOK_RETRY_SCHEDULE`; once the schedule is used up the delivery is FAILED.
- An endpoint whose every attempt has failed for `PLAUDIT_WEBHOOK_DISABLE_AFTER_DAYS` is
  disabled: a WARNING in the log, its pending deliveries FAILED with the reason (its delivery
  log shows it), and no more deliveries until an admin enables it again.

`clock` is injectable: tests move time through the schedule instead of waiting it out.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from domain.infra import metrics
from domain.infra.db import dialect, param, raw_timestamp, transaction
from domain.infra.settings import Settings
from domain.models import WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint
from domain.program import definitions
from domain.webhooks import addresses, signing
from domain.webhooks.endpoints import signing_secrets, stop_pending
from domain.webhooks.fanout import fan_out

log = logging.getLogger("plaudit.webhooks")

Clock = Callable[[], datetime]

LANES_PER_ENDPOINT = 4
MAX_IN_FLIGHT = 32
ROUND_SECONDS = 20.0
LEASE_MARGIN = timedelta(seconds=30)
CLAIM_TRIES = 3  # empty claims in a row before a lane gives up while deliveries look due
USER_AGENT = "Plaudit-Webhooks/1"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Outcome:
    """How one attempt went: `label` is the metrics outcome, `error` the log's reason."""

    label: str
    status_code: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.label == "2xx"


@dataclass
class _Process:
    """What this process's rounds share: the endpoints some round is serving (a round started
    meanwhile leaves them to it and serves the others), and the cap on attempts in flight."""

    busy: set[int] = field(default_factory=set)
    slots: asyncio.Semaphore | None = None
    loop: asyncio.AbstractEventLoop | None = None

    def in_flight(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self.slots is None or self.loop is not loop:
            self.slots, self.loop = asyncio.Semaphore(MAX_IN_FLIGHT), loop
        return self.slots


_process = _Process()


@dataclass
class _Lanes:
    settings: Settings
    clock: Clock
    deadline: float
    slots: asyncio.Semaphore
    transport: httpx.AsyncBaseTransport | None
    clients: dict[tuple[int, str], httpx.AsyncClient] = field(default_factory=dict)
    attempts: int = 0

    def client_for(self, endpoint_id: int, host: str) -> httpx.AsyncClient:
        """One client per endpoint and host name: an endpoint's lanes share its connections and
        never wait for another endpoint's (a dead receiver holds only its own), and a pooled
        connection made for one name's TLS server name is never reused for another name that
        shares its address."""
        key = (endpoint_id, host)
        if key not in self.clients:
            self.clients[key] = httpx.AsyncClient(
                transport=self.transport,
                follow_redirects=False,
                trust_env=False,
                timeout=self.settings.webhook_timeout_seconds,
                limits=httpx.Limits(max_connections=LANES_PER_ENDPOINT),
            )
        return self.clients[key]


async def deliver_due(
    settings: Settings,
    clock: Clock = utc_now,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    """One round: fan the outbox out, then attempt the due deliveries of every endpoint no
    other round of this process is serving, until none is due or the round's time is up.
    Returns how many attempts were made.

    Rounds may overlap (the cron tick, a wake-up): a slow endpoint keeps one round busy with
    its lanes, and the next round serves everyone else."""
    await fan_out(clock())
    lanes = _Lanes(
        settings,
        clock,
        time.monotonic() + ROUND_SECONDS,
        _process.in_flight(),
        transport,
    )
    endpoint_ids = [e for e in await _due_endpoints(clock()) if e not in _process.busy]
    _process.busy.update(endpoint_ids)  # no await since the check: no other round saw them free
    unstarted = set(endpoint_ids)
    try:
        async with asyncio.TaskGroup() as group:
            for endpoint_id in endpoint_ids:
                group.create_task(_serve(lanes, endpoint_id, unstarted))
    except ExceptionGroup as failed:
        # The other lanes are cancelled; the first cause goes on (an outage is one to the task).
        raise failed.exceptions[0] from None
    finally:
        # An endpoint whose lanes never started (cancelled first) is free again; the others
        # were freed by their own lanes, and may be another round's by now.
        _process.busy.difference_update(unstarted)
        for client in lanes.clients.values():
            await client.aclose()
    return lanes.attempts


async def _serve(lanes: _Lanes, endpoint_id: int, unstarted: set[int]) -> None:
    """The endpoint's lanes; once they are done, the next round may serve it again (without
    waiting for a slower endpoint's lanes in this round)."""
    unstarted.discard(endpoint_id)
    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(LANES_PER_ENDPOINT):
                group.create_task(_lane(lanes, endpoint_id))
    finally:
        _process.busy.discard(endpoint_id)


async def _due_endpoints(now: datetime) -> list[int]:
    ids = (
        await WebhookDelivery.filter(
            status=WebhookDeliveryStatus.PENDING,
            next_attempt_at__lte=now,
            endpoint__enabled=True,
        )
        .distinct()
        .values_list("endpoint_id", flat=True)
    )
    return sorted({int(str(endpoint_id)) for endpoint_id in ids})


async def _lane(lanes: _Lanes, endpoint_id: int) -> None:
    missed = 0
    while time.monotonic() < lanes.deadline:
        now = lanes.clock()
        lease = now + timedelta(seconds=lanes.settings.webhook_timeout_seconds) + LEASE_MARGIN
        delivery_id = await _claim(endpoint_id, now, lease)
        if delivery_id is None:
            # On PostgreSQL a claim can come back empty when another lane took the row it
            # meant to take; look again unless nothing is due any more.
            missed += 1
            if missed >= CLAIM_TRIES or not await _any_due(endpoint_id, now):
                return
            continue
        missed = 0
        delivery = await WebhookDelivery.get(id=delivery_id).select_related("endpoint")
        if not delivery.endpoint.enabled:
            return  # disabled or deleted since the claim: its deliveries are ended
        async with lanes.slots:
            started = time.monotonic()
            at = lanes.clock()
            outcome = await attempt(lanes, delivery.endpoint, delivery, at)
            seconds = time.monotonic() - started
        lanes.attempts += 1
        final = await record(lanes.settings, delivery, outcome, lanes.clock())
        metrics.observe_webhook_attempt(outcome.label, seconds, final)


async def _any_due(endpoint_id: int, now: datetime) -> bool:
    return await WebhookDelivery.filter(
        endpoint_id=endpoint_id, status=WebhookDeliveryStatus.PENDING, next_attempt_at__lte=now
    ).exists()


async def _claim(endpoint_id: int, now: datetime, lease: datetime) -> int | None:
    """Take the endpoint's most overdue delivery until `lease`; None when none is due. One
    conditional statement: of two workers, only one moves a given row."""
    # Only the delivery's row: locking the endpoint's too would make the other lanes of the
    # endpoint skip it, and stop, while one of them records an attempt.
    lock = " FOR UPDATE OF d SKIP LOCKED" if dialect() == "postgres" else ""
    pending = WebhookDeliveryStatus.PENDING.value
    sql = (
        f"UPDATE webhook_delivery SET next_attempt_at = {param(1)} WHERE id = ("
        f"SELECT d.id FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id "
        f"WHERE d.endpoint_id = {param(2)} AND d.status = {param(3)} "
        f"AND d.next_attempt_at <= {param(4)} AND e.enabled "
        f"ORDER BY d.next_attempt_at, d.id LIMIT 1{lock}"
        f") AND status = {param(5)} AND next_attempt_at <= {param(6)} RETURNING id"
    )
    rows = await connections.get("default").execute_query_dict(
        sql,
        [
            raw_timestamp(lease),
            endpoint_id,
            pending,
            raw_timestamp(now),
            pending,
            raw_timestamp(now),
        ],
    )
    return int(rows[0]["id"]) if rows else None


async def attempt(
    lanes: _Lanes, endpoint: WebhookEndpoint, delivery: WebhookDelivery, at: datetime
) -> Outcome:
    """POST the delivery to the endpoint once, within the timeout; never raises for what the
    receiver or the network does."""
    settings = lanes.settings
    try:
        async with asyncio.timeout(settings.webhook_timeout_seconds):
            target = await addresses.check(
                endpoint.url,
                allow_private=settings.webhooks_allow_private,
                allow_http=settings.dev,
            )
            return await _post(lanes, target, endpoint, delivery, at)
    except addresses.AddressRefused as refusal:
        return Outcome("blocked", error=f"refused: {refusal}"[:300])
    except TimeoutError:
        return Outcome("timeout", error=f"timed out after {settings.webhook_timeout_seconds}s")
    except httpx.TimeoutException:
        return Outcome("timeout", error=f"timed out after {settings.webhook_timeout_seconds}s")
    except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
        return Outcome("unreachable", error=_reason(exc))


async def _post(
    lanes: _Lanes,
    target: addresses.Target,
    endpoint: WebhookEndpoint,
    delivery: WebhookDelivery,
    at: datetime,
) -> Outcome:
    body = delivery.body.encode()
    headers = {
        "host": target.host_header(),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        **signing.headers(signing_secrets(endpoint, at), delivery.message_id, at, body),
    }
    extensions: dict[str, Any] = {}
    if target.url.scheme == "https":
        extensions["sni_hostname"] = target.host
    client = lanes.client_for(endpoint.id, target.host)
    request = client.build_request(
        "POST", target.connect_url(), content=body, headers=headers, extensions=extensions
    )
    response = await client.send(request, stream=True)
    await response.aclose()  # the body is not read: a receiver cannot make us download
    code = response.status_code
    if 200 <= code < 300:
        return Outcome("2xx", code)
    if 300 <= code < 400:
        return Outcome("3xx", code, f"HTTP {code} (redirects are not followed)")
    label = "4xx" if code < 500 else "5xx"
    return Outcome(label, code, f"HTTP {code}")


def _reason(exc: BaseException) -> str:
    """A short reason for a failed connection, without a traceback."""
    text = str(exc) or type(exc).__name__
    for cause in (exc.__cause__, exc.__context__):
        if isinstance(cause, OSError) and cause.strerror:
            text = cause.strerror
    return f"could not connect: {text}"[:300]


async def record(
    settings: Settings, delivery: WebhookDelivery, outcome: Outcome, now: datetime
) -> str | None:
    """Store the attempt: SUCCEEDED, or the next attempt's time, or FAILED once the schedule is
    used up; the endpoint's failing streak, and its disabling. Returns the final status the
    delivery reached, if any. Locks the endpoint before the delivery (as deleting does)."""
    schedule = settings.webhook_retry_schedule
    async with transaction() as connection:
        endpoint = (
            await WebhookEndpoint.select_for_update()
            .using_db(connection)
            .get(id=delivery.endpoint_id)
        )
        values: dict[str, Any] = {
            "last_status_code": outcome.status_code,
            "last_error": outcome.error,
            "last_attempt_at": now,
        }
        final: str | None = None
        if outcome.ok:
            values |= {"status": WebhookDeliveryStatus.SUCCEEDED, "next_attempt_at": None}
            final = WebhookDeliveryStatus.SUCCEEDED.value
            if endpoint.failing_since is not None:
                endpoint.failing_since = None
                await endpoint.save(using_db=connection, update_fields=["failing_since"])
        else:
            failures = delivery.failures + 1
            values["failures"] = failures
            if failures > len(schedule):
                values |= {"status": WebhookDeliveryStatus.FAILED, "next_attempt_at": None}
                final = WebhookDeliveryStatus.FAILED.value
            else:
                values["next_attempt_at"] = now + timedelta(seconds=schedule[failures - 1])
        updated = await (
            WebhookDelivery.filter(id=delivery.id, status=WebhookDeliveryStatus.PENDING)
            .using_db(connection)
            .update(attempts=delivery.attempts + 1, **values)
        )
        if not updated:
            return None  # ended meanwhile (its endpoint was deleted or disabled)
        if not outcome.ok:
            final = await _failing(settings, connection, endpoint, delivery, now) or final
    return final


async def _failing(
    settings: Settings,
    connection: BaseDBAsyncClient,
    endpoint: WebhookEndpoint,
    delivery: WebhookDelivery,
    now: datetime,
) -> str | None:
    """Note the endpoint's failing streak; disable it once the streak is too long. Returns
    FAILED when this delivery was ended by the disabling."""
    if endpoint.failing_since is None:
        endpoint.failing_since = now
        await endpoint.save(using_db=connection, update_fields=["failing_since"])
        return None
    days = settings.webhook_disable_after_days
    if not endpoint.enabled or now - endpoint.failing_since < timedelta(days=days):
        return None
    reason = (
        f"endpoint disabled: every attempt failed for {days} days "
        f"(since {endpoint.failing_since.astimezone(UTC).isoformat(timespec='seconds')})"
    )
    endpoint.enabled = False
    endpoint.disabled_reason = reason
    endpoint.updated_at = now
    await endpoint.save(
        using_db=connection, update_fields=["enabled", "disabled_reason", "updated_at"]
    )
    # This delivery too, though its own schedule may have had retries left: say why it ended.
    await (
        WebhookDelivery.filter(id=delivery.id)
        .using_db(connection)
        .update(
            status=WebhookDeliveryStatus.FAILED,
            next_attempt_at=None,
            last_error=reason[:300],
        )
    )
    ended = await stop_pending(connection, endpoint.id, reason[:300])
    await definitions.changed(connection)
    metrics.observe_webhook_final(WebhookDeliveryStatus.FAILED.value, ended)
    log.warning(
        "webhook endpoint %s (%s) disabled: every attempt failed for %d days; %d pending "
        "deliveries FAILED",
        endpoint.id,
        addresses.host_of(endpoint.url),
        days,
        ended,
    )
    return WebhookDeliveryStatus.FAILED.value
