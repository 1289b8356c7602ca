"""arq tasks: each one a thin call into a domain service.

The wake-up and the sweep ride out outages: when the database or Redis is gone they note it
(one WARNING per outage, `domain.infra.outages`) and return; the PENDING rows wait, and the next
sweep after the outage queues them again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.infra import outages, queue
from domain.interactions import record as interactions
from domain.members import events
from domain.points import expiry
from domain.runtime import Runtime

log = logging.getLogger("plaudit.worker")


@dataclass
class _Activity:
    """When this process's worker last swept (its batches: `domain.pipeline.batch.drainer`)."""

    sweeps: int = 0
    last_sweep_at: datetime | None = None


activity = _Activity()


def _runtime(ctx: dict[str, Any]) -> Runtime:
    runtime: Runtime = ctx["runtime"]
    return runtime


async def drain_interactions(ctx: dict[str, Any]) -> int:
    """A wake-up call: award PENDING interactions until none is left."""
    runtime = _runtime(ctx)

    async def run() -> int:
        await queue.woken(runtime.queue)
        return await interactions.drain(runtime)

    return await _riding_out_outages(run)


async def sweep_pending(ctx: dict[str, Any]) -> int:
    """Every 10 s: queue PENDING interactions again, publish members' events still unpublished
    (their after-commit publish was lost to a crash or a Redis outage)."""
    runtime = _runtime(ctx)
    older_than = timedelta(seconds=runtime.settings.sweep_after_seconds)

    async def run() -> int:
        requeued = await interactions.sweep_pending(runtime, older_than)
        published = await events.publish_pending(runtime.redis, older_than)
        activity.sweeps += 1
        activity.last_sweep_at = datetime.now(UTC)
        return requeued + published

    return await _riding_out_outages(run)


async def _riding_out_outages(run: Callable[[], Awaitable[int]]) -> int:
    """Run a task; an outage is noted once and the task returns 0 (the sweep repairs it)."""
    try:
        done = await run()
    except Exception as exc:
        if not outages.is_outage(exc):
            raise
        outages.of(exc).failed(exc)
        return 0
    outages.database.ok()  # the task read the database: it is back
    return done


def _progress(ctx: dict[str, Any]) -> Callable[[int, int], None] | None:
    """`plaudit jobs run` puts its progress bar's callback in the context; arq puts none."""
    progress: Callable[[int, int], None] | None = ctx.get("progress")
    return progress


async def expire_points(ctx: dict[str, Any]) -> int:
    """Daily: expire unspent points (a no-op unless PLAUDIT_POINTS_EXPIRE_DAYS is set)."""
    return await expiry.expire_points(_runtime(ctx), datetime.now(UTC), progress=_progress(ctx))


async def prune_interactions(ctx: dict[str, Any]) -> int:
    """Daily: delete the raw interactions PLAUDIT_RETENTION_DAYS lets go (a no-op when unset);
    returns how many."""
    from domain.privacy import retention

    settings = _runtime(ctx).settings
    return await retention.prune_interactions(settings, datetime.now(UTC), progress=_progress(ctx))


async def reevaluate_tiers(ctx: dict[str, Any]) -> int:
    """Daily: re-evaluate the members whose tier retention has run out."""
    from domain.points import tiers

    return int(
        await tiers.reevaluate_due_tiers(_runtime(ctx), datetime.now(UTC), progress=_progress(ctx))
    )


async def prune_attempts(ctx: dict[str, Any]) -> int:
    """Daily: forget the community features' counted attempts older than a day (no hourly limit
    looks back that far); returns how many were deleted."""
    from domain.community import attempts
    from domain.infra.db import transaction

    async with transaction() as connection:
        return await attempts.prune(connection, datetime.now(UTC))


async def archive_leaderboards(ctx: dict[str, Any]) -> int:
    """Daily, just after midnight (program time zone): archive the periods that just closed."""
    from domain.leaderboards import archives as leaderboard_archives

    settings = _runtime(ctx).settings
    return await leaderboard_archives.archive_closed(
        datetime.now(UTC),
        settings.tz,
        settings.leaderboard_archive_depth,
        progress=_progress(ctx),
    )


async def refresh_insight(ctx: dict[str, Any]) -> int:
    """Nightly: RFM segments and churn risk as of yesterday (the last whole day, program time
    zone); returns how many members were scored."""
    from domain.insight import refresh as insight

    settings = _runtime(ctx).settings
    yesterday = datetime.now(settings.tz).date() - timedelta(days=1)
    refreshed = await insight.refresh(settings, yesterday, progress=_progress(ctx))
    return refreshed.members


async def deliver_webhooks(ctx: dict[str, Any]) -> int:
    """Every 5 s, and woken once webhook messages commit: fan the outbox out and attempt the
    due deliveries (`domain.webhooks.delivery`); returns how many attempts were made."""
    from domain.outbox import wakeup
    from domain.webhooks import delivery

    runtime = _runtime(ctx)

    async def run() -> int:
        await wakeup.woken(runtime.queue)
        return await delivery.deliver_due(runtime.settings)

    return await _riding_out_outages(run)


async def prune_webhook_deliveries(ctx: dict[str, Any]) -> int:
    """Daily: forget finished webhook deliveries older than PLAUDIT_WEBHOOK_HISTORY_DAYS."""
    from domain.webhooks import deliveries

    settings = _runtime(ctx).settings
    return await deliveries.prune(datetime.now(UTC), settings.webhook_history_days)


async def apply_campaigns(ctx: dict[str, Any]) -> int:
    """Every few minutes: draw and treat the newly targeted members of running campaigns."""
    from domain.insight import campaigns

    runtime = _runtime(ctx)
    # Every few minutes, so it may fall in an outage: noted once, and the next run draws what
    # this one could not (drawing is idempotent), as the sweep does.
    return await _riding_out_outages(lambda: campaigns.apply_running(runtime, datetime.now(UTC)))
