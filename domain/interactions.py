"""Interactions: record them (commit, then enqueue) and process them (decide, credit, project).

Recording is cheap and durable: the row is committed before its job is queued, so a crash or a
Redis outage leaves a PENDING interaction that the sweep queues again. Processing is idempotent:
it acts only on a PENDING interaction, under the member's lock, and the ledger's unique source key
backs that up.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from domain import activity, events, leaderboards, ledger, tiers
from domain.actions import limits_of, schedule_of
from domain.awarding import Awarding
from domain.db import transaction
from domain.errors import DomainError, invalid_input
from domain.members import check_member_id, enrol
from domain.models import Action, Interaction, InteractionStatus, LedgerReason
from domain.queue import wake_workers
from domain.runtime import Runtime
from gamification.goals import FactKind
from gamification.leaderboards import POINTS_BOARD
from gamification.limits import Decision, Outcome, decide
from gamification.periods import local_date, period_window
from gamification.schedules import points_for
from gamification.tiers import multiply
from gamification.timing import check_timing

log = logging.getLogger("plaudit.interactions")

MAX_PROPERTIES_BYTES = 8 * 1024
MAX_IDEMPOTENCY_KEY = 128

UNKNOWN_ACTION = Decision(Outcome.REJECTED, "UNKNOWN_ACTION")
INACTIVE_ACTION = Decision(Outcome.REJECTED, "INACTIVE_ACTION")


@dataclass(frozen=True)
class Recording:
    """What a client asked to record, already authenticated."""

    member_id: str
    action_key: str
    idempotency_key: str
    occurred_at: datetime | None
    properties: Any
    trusted: bool  # a SERVICE token: may backdate and record any action


async def record_interaction(runtime: Runtime, recording: Recording) -> Interaction:
    """Store the interaction (or find the earlier one with this idempotency key) and queue it.

    Rejections knowable now (unknown or inactive action, bad timestamp) are final at once and
    never queued. Recording an action members may not report is an error, and stores nothing.
    """
    check_member_id(recording.member_id, "input", "memberId")
    _check_idempotency_key(recording.idempotency_key)
    properties = _check_properties(recording.properties)
    now = datetime.now(UTC)
    occurred_at = _aware(recording.occurred_at) if recording.occurred_at else now

    await enrol(recording.member_id)
    existing = await Interaction.get_or_none(
        member_id=recording.member_id, idempotency_key=recording.idempotency_key
    )
    if existing is not None:
        return existing

    action = await Action.get_or_none(key=recording.action_key)
    if action is not None and not recording.trusted and not action.member_reportable:
        raise DomainError(
            "FORBIDDEN", "members may not record this action themselves", ("input", "action")
        )
    verdict = _verdict_at_recording(action, occurred_at, now, recording.trusted, runtime)
    status = InteractionStatus.PENDING if verdict is None else InteractionStatus(verdict.outcome)
    try:
        interaction = await Interaction.create(
            member_id=recording.member_id,
            action_key=recording.action_key[:100],
            idempotency_key=recording.idempotency_key,
            status=status,
            reason=verdict.reason if verdict else None,
            occurred_at=occurred_at,
            processed_at=now if verdict else None,
            properties=properties,
        )
    except IntegrityError:
        # A concurrent request with the same key won the insert: answer with its interaction.
        return await Interaction.get(
            member_id=recording.member_id, idempotency_key=recording.idempotency_key
        )
    if status is InteractionStatus.PENDING:
        await wake_workers(runtime.queue)
    return interaction


def _verdict_at_recording(
    action: Action | None, occurred_at: datetime, now: datetime, trusted: bool, runtime: Runtime
) -> Decision | None:
    if action is None:
        return UNKNOWN_ACTION
    if not action.active:
        return INACTIVE_ACTION
    backdate = timedelta(hours=runtime.settings.member_backdate_hours)
    return check_timing(occurred_at, now, trusted=trusted, member_backdate=backdate)


async def process_interaction(runtime: Runtime, interaction_id: int) -> Interaction | None:
    """Decide and credit one interaction, then project its leaderboard scores.

    Safe to run any number of times: a processed interaction only has its (absolute) scores
    projected again, which also repairs a projection lost to a crash after commit.
    """
    tz = runtime.settings.tz
    async with transaction() as connection:
        interaction = (
            await Interaction.select_for_update()
            .using_db(connection)
            .get_or_none(id=interaction_id)
        )
        if interaction is None:
            log.warning("interaction %s does not exist", interaction_id)
            return None
        if interaction.status is not InteractionStatus.PENDING:
            updates = []
        else:
            updates = await _award(connection, runtime, interaction)
    if interaction.status is not InteractionStatus.AWARDED:
        return interaction
    if not updates:
        updates = await leaderboards.current_scores(
            POINTS_BOARD, interaction.member_id, interaction.occurred_at, tz
        )
    await leaderboards.project(runtime.leaderboards, updates)
    return interaction


async def _award(
    connection: BaseDBAsyncClient, runtime: Runtime, interaction: Interaction
) -> list[leaderboards.ScoreUpdate]:
    tz = runtime.settings.tz
    member = await ledger.lock_member(connection, interaction.member_id)
    action = await Action.filter(key=interaction.action_key).using_db(connection).first()
    if action is None or not action.active:
        decision = UNKNOWN_ACTION if action is None else INACTIVE_ACTION
    else:
        decision = await _decide(connection, interaction, action, runtime)
    interaction.status = InteractionStatus(decision.outcome)
    interaction.reason = decision.reason
    interaction.processed_at = datetime.now(UTC)
    updates: list[leaderboards.ScoreUpdate] = []
    if decision.awarded and action is not None:
        points = await _points(connection, runtime, interaction, action)
        ladder = await tiers.load_ladder(connection)
        points = multiply(points, ladder.multiplier(member))
        interaction.points_awarded = points
        award = Awarding(connection, member, tz, tiers.TierPolicy.of(runtime.settings), ladder)
        occurred_at = interaction.occurred_at
        counted = await activity.count_interaction(
            connection, member.id, action.key, local_date(occurred_at, tz)
        )
        award.stats.update({row.action_key: row for row in counted.rows})
        award.pending.append(award.fact(FactKind.INTERACTION, occurred_at, action=action.key))
        await award.credit(
            points, LedgerReason.ACTION, action.name, f"interaction:{interaction.id}", occurred_at
        )
        await _announce_streaks(award, action, counted.changes)
        await award.settle()
        updates = award.score_updates
    await interaction.save(
        using_db=connection, update_fields=["status", "reason", "processed_at", "points_awarded"]
    )
    return updates


async def _announce_streaks(
    award: Awarding, action: Action, changes: list[activity.StreakChange]
) -> None:
    """STREAK_EXTENDED for the any-action streak, and for the action's own streak when some
    STREAK_DAYS goal names the action (the streaks a member is shown)."""
    for change in changes:
        if not change.extended:
            continue
        run = change.after.run
        if change.action_key == "":
            message, subject = f"{run}-day streak!", None
        elif action.key in (await award.definitions()).streak_actions:
            message, subject = f"{run}-day {action.name} streak!", action.key
        else:
            continue
        await events.record(
            award.connection,
            award.member.id,
            events.EventKind.STREAK_EXTENDED,
            message,
            subject=subject,
        )


async def _points(
    connection: BaseDBAsyncClient, runtime: Runtime, interaction: Interaction, action: Action
) -> int:
    """The action's points before the tier multiplier: flat, or by the schedule's step for the
    nth award in the schedule's period (n = 1 + the member's awarded ones in that window)."""
    schedule = schedule_of(action)
    if schedule is None:
        return action.points
    query = Interaction.filter(
        member_id=interaction.member_id,
        action_key=interaction.action_key,
        status=InteractionStatus.AWARDED,
    ).using_db(connection)
    window = period_window(schedule.period, interaction.occurred_at, runtime.settings.tz)
    if window.start is not None and window.end is not None:
        query = query.filter(occurred_at__gte=window.start, occurred_at__lt=window.end)
    return points_for(schedule, await query.count() + 1)


async def _decide(
    connection: BaseDBAsyncClient, interaction: Interaction, action: Action, runtime: Runtime
) -> Decision:
    tz = runtime.settings.tz
    awarded = Interaction.filter(
        member_id=interaction.member_id,
        action_key=interaction.action_key,
        status=InteractionStatus.AWARDED,
    ).using_db(connection)
    limits = limits_of(action)
    counts = {}
    for limit in limits:
        window = period_window(limit.period, interaction.occurred_at, tz)
        query = awarded
        if window.start is not None and window.end is not None:
            query = query.filter(occurred_at__gte=window.start, occurred_at__lt=window.end)
        counts[limit.period] = await query.count()
    previous = following = None
    if action.cooldown_seconds > 0:
        previous = await _nearest(awarded.filter(occurred_at__lte=interaction.occurred_at), "-")
        following = await _nearest(awarded.filter(occurred_at__gt=interaction.occurred_at), "")
    return decide(
        limits, action.cooldown_seconds, interaction.occurred_at, counts, previous, following
    )


async def _nearest(query: Any, direction: str) -> datetime | None:
    found = (
        await query.order_by(f"{direction}occurred_at")
        .first()
        .values_list("occurred_at", flat=True)
    )
    return found  # type: ignore[no-any-return]


async def drain(runtime: Runtime, batch: int = 200) -> int:
    """Transitional: process PENDING interactions one by one until none is left."""
    done = 0
    while True:
        ids = (
            await Interaction.filter(status=InteractionStatus.PENDING)
            .order_by("id")
            .limit(batch)
            .values_list("id", flat=True)
        )
        if not ids:
            return done
        for interaction_id in ids:
            await process_interaction(runtime, int(str(interaction_id)))
            done += 1


async def sweep_pending(runtime: Runtime, older_than: timedelta) -> int:
    """Wake the workers when PENDING interactions are older than `older_than` (a lost wake-up,
    an outage); returns how many were found waiting."""
    cutoff = datetime.now(UTC) - older_than
    waiting = await Interaction.filter(
        status=InteractionStatus.PENDING, recorded_at__lt=cutoff
    ).count()
    if waiting:
        log.info("sweep found %d pending interactions", waiting)
        await wake_workers(runtime.queue)
    return waiting


async def get_interaction(interaction_id: str) -> Interaction | None:
    if not interaction_id.isdigit() or len(interaction_id) > 19:
        return None
    return await Interaction.get_or_none(id=int(interaction_id))


def _check_idempotency_key(key: str) -> None:
    if not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise invalid_input(
            f"idempotencyKey must be 1 to {MAX_IDEMPOTENCY_KEY} printable characters",
            "input",
            "idempotencyKey",
        )


def _check_properties(properties: Any) -> Any:
    if properties is None:
        return None
    try:
        size = len(json.dumps(properties, separators=(",", ":")).encode())
    except (TypeError, ValueError):
        raise invalid_input("properties must be JSON", "input", "properties") from None
    if size > MAX_PROPERTIES_BYTES:
        raise invalid_input(
            f"properties must be at most {MAX_PROPERTIES_BYTES} bytes serialized",
            "input",
            "properties",
        )
    return properties


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise invalid_input("occurredAt needs a UTC offset", "input", "occurredAt")
    return moment.astimezone(UTC)
