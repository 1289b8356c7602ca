"""Claiming and awarding batches of PENDING interactions; draining the backlog.

A batch is one transaction: claim up to `batch_size` PENDING interactions (`FOR UPDATE SKIP
LOCKED` on PostgreSQL, so workers claim disjoint batches; SQLite's single writer serializes
them), lock their members in id order (no deadlock between batches), load, decide each in
(occurredAt, id) order, write, commit. A batch that fails is retried split in halves, so one
bad interaction never blocks the others: alone, it is REJECTED with reason PROCESSING_FAILED
and logged. An outage (the database or Redis gone) is not an item's fault: it propagates, the
interactions stay PENDING and the next drain takes them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.infra import metrics
from domain.infra.db import transaction
from domain.infra.outages import is_outage
from domain.infra.queue import wake_workers
from domain.models import Interaction, InteractionStatus, Member
from domain.pipeline.award import award_interaction
from domain.pipeline.budgets import Budgets
from domain.pipeline.referrals import Conversions, referrers_to_lock
from domain.pipeline.session import Clock, Session, load_program, utc_now
from domain.pipeline.state import Demand, ReadAgain
from domain.runtime import Runtime
from gamification.reasons import InteractionReason

log = logging.getLogger("plaudit.pipeline")

PROCESSING_FAILED = InteractionReason.PROCESSING_FAILED
OVERFILL_RETRIES = 5


@dataclass
class _Drainer:
    """One drain at a time per process: a wake-up that finds one running asks it to look once
    more (`again`) rather than competing with it for the same rows."""

    running: bool = False
    again: bool = False
    batches: int = 0
    last_batch_at: datetime | None = None
    widest: int = 0  # the most lanes (batches at once) a drain has opened


drainer = _Drainer()


async def drain(runtime: Runtime, *, clock: Clock = utc_now) -> int:
    """Award PENDING interactions, batch after batch, until none is left; returns how many."""
    if drainer.running:
        drainer.again = True
        return 0
    drainer.running = True
    total = 0
    try:
        while True:
            drainer.again = False
            total += await _lanes(runtime, clock)
            if not drainer.again:
                return total
    finally:
        drainer.running = False


async def _lanes(runtime: Runtime, clock: Clock) -> int:
    """Drain with one lane of batches; each full batch opens one more lane, up to
    `batches_at_once`. Lanes claim disjoint batches (SKIP LOCKED) and lock members in id
    order, so they never deadlock; while one lane waits on the database, another decides."""
    limit = runtime.settings.batches_at_once
    full = runtime.settings.worker_batch_size
    lanes: set[asyncio.Task[int]] = set()

    async def lane() -> int:
        total = 0
        while True:
            claimed = await process_next(runtime, clock=clock)
            total += len(claimed)
            if not claimed:
                return total
            if len(claimed) >= full:
                # More is waiting: open another lane here, and let other workers join in.
                running = sum(not task.done() for task in lanes)
                if running < limit:
                    lanes.add(asyncio.create_task(lane()))
                    drainer.widest = max(drainer.widest, running + 1)
                await wake_workers(runtime.queue)

    lanes.add(asyncio.create_task(lane()))
    drainer.widest = max(drainer.widest, 1)
    try:
        while running := {task for task in lanes if not task.done()}:
            await asyncio.wait(running, return_when=asyncio.FIRST_EXCEPTION)
            for task in lanes:
                if task.done() and (error := task.exception()) is not None:
                    raise error
        return sum(task.result() for task in lanes)
    finally:
        for task in lanes:
            task.cancel()
        await asyncio.gather(*lanes, return_exceptions=True)


async def process_next(runtime: Runtime, *, clock: Clock = utc_now) -> list[int]:
    """Claim and award one batch of the oldest PENDING interactions; returns their ids."""
    return await _attempt(runtime, None, runtime.settings.worker_batch_size, clock) or []


async def process_ids(runtime: Runtime, ids: list[int], *, clock: Clock = utc_now) -> int:
    """Award these interactions if they are still PENDING (others are left as they are)."""
    done = await _attempt(runtime, ids, max(1, len(ids)), clock)
    return len(done or [])


async def _attempt(
    runtime: Runtime, ids: list[int] | None, size: int, clock: Clock
) -> list[int] | None:
    """Run one batch; on an item's failure, retry it split. Returns the ids it claimed."""
    claimed: list[int] = []
    for _ in range(OVERFILL_RETRIES):
        try:
            started = time.perf_counter()
            async with transaction() as connection:
                interactions = await _claim(connection, ids, size)
                claimed = [i.id for i in interactions]
                if not interactions:
                    return None
                await award_claimed(connection, runtime, interactions, clock)
            drainer.batches += 1
            drainer.last_batch_at = clock()
            metrics.observe_batch(
                len(interactions),
                time.perf_counter() - started,
                Counter(str(i.status) for i in interactions),
            )
            return claimed
        except ReadAgain:
            continue  # challenge places or referrals changed before the locks: read again
        except Exception as exc:
            if _is_outage(exc) or not claimed:
                raise
            await _split(runtime, claimed, clock, exc)
            return claimed
    raise RuntimeError("a challenge's places or referrals kept changing under the batch")


async def _split(runtime: Runtime, ids: list[int], clock: Clock, error: Exception) -> None:
    if len(ids) == 1:
        await _reject(ids[0], clock, error)
        return
    middle = len(ids) // 2
    for half in (ids[:middle], ids[middle:]):
        await _attempt(runtime, half, len(half), clock)


async def _reject(interaction_id: int, clock: Clock, error: Exception) -> None:
    log.warning(
        "interaction %s could not be processed and is REJECTED (%s): %r",
        interaction_id,
        PROCESSING_FAILED,
        error,
    )
    rejected = await Interaction.filter(id=interaction_id, status=InteractionStatus.PENDING).update(
        status=InteractionStatus.REJECTED, reason=PROCESSING_FAILED, processed_at=clock()
    )
    if rejected:
        metrics.observe_decided(InteractionStatus.REJECTED, rejected)


def _is_outage(exc: BaseException) -> bool:
    """The database or Redis went away (as opposed to something wrong with an item)."""
    return is_outage(exc)


async def _claim(
    connection: BaseDBAsyncClient, ids: list[int] | None, size: int
) -> list[Interaction]:
    query = Interaction.filter(status=InteractionStatus.PENDING)
    if ids is not None:
        query = query.filter(id__in=ids)
    return list(
        await query.order_by("id")
        .limit(size)
        .select_for_update(skip_locked=True)
        .using_db(connection)
    )


async def award_claimed(
    connection: BaseDBAsyncClient, runtime: Runtime, interactions: list[Interaction], clock: Clock
) -> None:
    """Decide and award `interactions`, which the caller's transaction holds (claimed, or just
    created by it, as content approval creates the `content.<kind>` interaction it credits)."""
    settings = runtime.settings
    program = await load_program(connection, settings, {i.action_key for i in interactions})
    rules = program.definitions.referral
    # The referrers a conversion may credit are locked with the batch's members, in id order.
    referrers = await referrers_to_lock(connection, rules, interactions)
    member_ids = sorted({i.member_id for i in interactions} | referrers)
    members = list(
        await Member.filter(id__in=member_ids)
        .order_by("id")
        .select_for_update()
        .using_db(connection)
    )
    demand = Demand()
    conversions = await Conversions.load(
        connection, rules, settings.tz, interactions, set(member_ids), demand
    )
    for interaction in interactions:
        demand.interaction(interaction, program.actions.get(interaction.action_key), settings.tz)
    session = await Session.open(
        connection, program, runtime.leaderboards, members, demand, clock=clock
    )
    # Partners' budget rows, locked after the members (every batch in this order): only when
    # some interaction was recorded by a partner's token.
    budgets = await Budgets.lock(connection, interactions, settings.tz)
    for interaction in sorted(interactions, key=lambda i: (i.occurred_at, i.id)):
        award_interaction(session.chain(interaction.member_id), interaction, budgets)
        conversions.after_award(session, interaction)
    await session.write()
    if budgets is not None:
        await budgets.write(connection)
