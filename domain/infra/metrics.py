"""Every Prometheus metric of Plaudit, in one place, and the functions that record them.

The API serves them at `/metrics`; a standalone worker on its own port
(`PLAUDIT_WORKER_METRICS_PORT`). Both use prometheus-client's default registry, so an API that
runs its worker in-process (`plaudit serve --with-worker`) serves the worker's series at
`/metrics` too. Label values are bounded: an operation name is cut to `OPERATION_NAME_MAX`
characters (unnamed operations are "anonymous"), an outcome is "ok" or an error code.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    start_http_server,
)

from domain.infra.settings import SettingsError

log = logging.getLogger("plaudit.metrics")

OPERATION_NAME_MAX = 40
# Distinct operation names kept as labels; later new names count as "other". Apps send a fixed
# set of named operations; a client inventing names must not grow the registry without end.
OPERATION_NAMES_MAX = 300
_operation_names: set[str] = set()
_OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
_ERROR_CODE = re.compile(r"[A-Z][A-Z_]{0,31}")

CONTENT_TYPE = CONTENT_TYPE_LATEST

# No `*_created` series: they double the exposition and Prometheus does not need them.
disable_created_metrics()  # type: ignore[no-untyped-call]

graphql_requests = Counter(
    "plaudit_graphql_requests",
    "GraphQL operations executed, by operation name, type and outcome (ok or an error code).",
    ["operation", "type", "outcome"],
)
graphql_latency = Histogram(
    "plaudit_graphql_request_duration_seconds",
    "Time to execute a GraphQL operation, by operation name and type.",
    ["operation", "type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
read_cache_lookups = Counter(
    "plaudit_read_cache_lookups",
    "Lookups of the member read cache, by outcome: hit (answered without executing), miss, "
    "writing, bypass or unavailable (executed).",
    ["outcome"],
)
interactions_processed = Counter(
    "plaudit_interactions_processed",
    "Interactions that reached a final status (AWARDED, CAPPED, REJECTED): decided by a worker,"
    " or rejected at once when recorded.",
    ["status"],
)
pending_backlog = Gauge(
    "plaudit_pending_interactions",
    "PENDING interactions waiting for a worker (read at scrape time).",
)
pending_oldest_age = Gauge(
    "plaudit_pending_oldest_age_seconds",
    "Age of the oldest PENDING interaction, 0 when none waits (read at scrape time).",
)
batch_size = Histogram(
    "plaudit_worker_batch_size",
    "Interactions per batch a worker claimed and awarded.",
    buckets=(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2000),
)
batch_duration = Histogram(
    "plaudit_worker_batch_duration_seconds",
    "Time a worker took to claim and award one batch.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
dependency_errors = Counter(
    "plaudit_dependency_errors",
    "Failed attempts to reach the database or Redis (outages, `domain.infra.outages`).",
    ["dependency"],
)
job_runs = Counter(
    "plaudit_job_runs",
    "Scheduled jobs run (by the worker's cron or by hand), by job name and outcome (ok, error).",
    ["job", "outcome"],
)
job_last_success = Gauge(
    "plaudit_job_last_success_timestamp_seconds",
    "When each scheduled job last ended without an error (Unix time).",
    ["job"],
)

webhook_attempts = Counter(
    "plaudit_webhook_attempts",
    "Webhook delivery attempts, by outcome: the HTTP status class (2xx is success; 3xx, 4xx, 5xx"
    " are retried), timeout, unreachable (no connection) or blocked (a non-public address).",
    ["outcome"],
)
webhook_attempt_duration = Histogram(
    "plaudit_webhook_attempt_duration_seconds",
    "Time a webhook delivery attempt took, from resolving the host to the response's status.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
webhook_deliveries = Counter(
    "plaudit_webhook_deliveries",
    "Webhook deliveries that reached a final status (SUCCEEDED, FAILED).",
    ["status"],
)
WEBHOOK_OUTCOMES = ("2xx", "3xx", "4xx", "5xx", "timeout", "unreachable", "blocked")

# Every dependency appears from the first scrape, at 0, so alerts need no `absent()`.
for _dependency in ("database", "redis"):
    dependency_errors.labels(_dependency)
for _outcome in WEBHOOK_OUTCOMES:
    webhook_attempts.labels(_outcome)
for _status in ("SUCCEEDED", "FAILED"):
    webhook_deliveries.labels(_status)


def operation_label(name: str | None) -> str:
    """A bounded label for a client-chosen operation name: unnamed or odd names are
    "anonymous", long ones are cut, and past `OPERATION_NAMES_MAX` distinct names new ones are
    "other" (clients choose names; the number of series must not be theirs to choose)."""
    if not name or not _OPERATION_NAME.fullmatch(name):
        return "anonymous"
    label = name[:OPERATION_NAME_MAX]
    if label not in _operation_names:
        if len(_operation_names) >= OPERATION_NAMES_MAX:
            return "other"
        _operation_names.add(label)
    return label


def outcome_label(codes: list[str | None]) -> str:
    """The outcome label: "ok" without errors, else the first error's code ("error" when it has
    none, as graphql-core's validation errors)."""
    if not codes:
        return "ok"
    code = codes[0]
    return code if code and _ERROR_CODE.fullmatch(code) else "error"


def observe_request(
    operation: str | None, kind: str, codes: list[str | None], seconds: float
) -> None:
    """One executed GraphQL operation (`api.request_metrics` calls it)."""
    label = operation_label(operation)
    kind = kind if kind in ("query", "mutation", "subscription") else "unknown"
    graphql_requests.labels(label, kind, outcome_label(codes)).inc()
    graphql_latency.labels(label, kind).observe(seconds)


def observe_read_cache(outcome: str) -> None:
    """One lookup of the member read cache (`api.read_cache`): hit, miss, writing (a writer
    of the member was committing: executed, not stored), bypass (the client's no-store) or
    unavailable (Redis failed: executed uncached)."""
    read_cache_lookups.labels(outcome).inc()


def observe_batch(size: int, seconds: float, statuses: Mapping[str, int]) -> None:
    """One batch a worker awarded: its size, how long it took, and how many interactions ended
    in each status (e.g. `Counter(i.status for i in batch)`). The pipeline calls it per batch."""
    batch_size.observe(size)
    batch_duration.observe(seconds)
    for status, count in statuses.items():
        if count:
            interactions_processed.labels(str(status)).inc(count)


def observe_decided(status: str, count: int = 1) -> None:
    """Interactions decided outside a batch (one REJECTED alone as PROCESSING_FAILED)."""
    interactions_processed.labels(str(status)).inc(count)


def observe_recorded(statuses: list[str]) -> None:
    """Interactions just stored: rejections knowable at recording (unknown or inactive action,
    bad timestamp) are final at once and never reach a worker, so they are counted here."""
    for status in statuses:
        if str(status) != "PENDING":
            interactions_processed.labels(str(status)).inc()


def observe_dependency_error(dependency: str) -> None:
    """A failed attempt to reach a dependency ("database" or "redis")."""
    dependency_errors.labels(dependency).inc()


def observe_job(job: str, ok: bool) -> None:
    """One run of a scheduled job (`workers.schedule`)."""
    job_runs.labels(job, "ok" if ok else "error").inc()
    if ok:
        job_last_success.labels(job).set_to_current_time()


def observe_webhook_attempt(outcome: str, seconds: float, final: str | None) -> None:
    """One webhook delivery attempt (`domain.webhooks.delivery`): its outcome (one of
    WEBHOOK_OUTCOMES), how long it took, and the delivery's final status if it reached one."""
    webhook_attempts.labels(outcome).inc()
    webhook_attempt_duration.observe(seconds)
    if final is not None:
        webhook_deliveries.labels(final).inc()


def observe_webhook_final(status: str, count: int = 1) -> None:
    """Deliveries ended without an attempt (their endpoint was disabled or deleted)."""
    if count:
        webhook_deliveries.labels(status).inc(count)


def set_backlog(size: int, oldest: datetime | None, now: datetime) -> None:
    pending_backlog.set(size)
    pending_oldest_age.set(max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)


def exposition() -> bytes:
    """Every metric in Prometheus's text format."""
    return generate_latest()


def serve_worker_metrics(host: str, port: int) -> Callable[[], None]:
    """Serve the metrics on `host:port` in a thread (the worker's own endpoint, at any path).
    Returns a function that stops it. Port 0 means off."""
    if port == 0:
        return lambda: None
    try:
        server, thread = start_http_server(port, addr=host)
    except OSError as exc:  # taken, or not ours to bind: a configuration error, one line
        raise SettingsError(
            "PLAUDIT_WORKER_METRICS_PORT", f"cannot listen on {host}:{port} ({exc.strerror})"
        ) from None
    log.info("worker metrics on http://%s:%d/metrics", host, port)

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return stop
