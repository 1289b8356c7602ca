"""arq tasks: each one a thin call into a domain service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from domain import events, expiry, interactions, queue
from domain.runtime import Runtime


def _runtime(ctx: dict[str, Any]) -> Runtime:
    runtime: Runtime = ctx["runtime"]
    return runtime


async def drain_interactions(ctx: dict[str, Any]) -> int:
    """A wake-up call: award PENDING interactions until none is left."""
    runtime = _runtime(ctx)
    await queue.woken(runtime.queue)
    return await interactions.drain(runtime)


async def sweep_pending(ctx: dict[str, Any]) -> int:
    """Every 10 s: queue PENDING interactions again, publish members' events still unpublished
    (their after-commit publish was lost to a crash or a Redis outage)."""
    runtime = _runtime(ctx)
    older_than = timedelta(seconds=runtime.settings.sweep_after_seconds)
    requeued = await interactions.sweep_pending(runtime, older_than)
    return requeued + await events.publish_pending(runtime.redis, older_than)


async def expire_points(ctx: dict[str, Any]) -> int:
    """Daily: expire unspent points (a no-op unless PLAUDIT_POINTS_EXPIRE_DAYS is set)."""
    return await expiry.expire_points(_runtime(ctx), datetime.now(UTC))


async def reevaluate_tiers(ctx: dict[str, Any]) -> int:
    """Daily: re-evaluate the members whose tier retention has run out."""
    from domain import tiers  # imported lazily: the tier service lives with the tiers feature

    return int(await tiers.reevaluate_due_tiers(_runtime(ctx), datetime.now(UTC)))
