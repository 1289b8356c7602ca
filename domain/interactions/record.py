"""Interactions: record them (commit, then enqueue) and process them (decide, credit, project).

Recording is cheap and durable: the row is committed before its job is queued, so a crash or a
Redis outage leaves a PENDING interaction that the sweep queues again. Processing is idempotent:
it acts only on a PENDING interaction, under the member's lock, and the ledger's unique source key
backs that up.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise import connections

from domain import pipeline
from domain.errors import (
    DomainError,
    ErrorCode,
    idempotency_key_reused,
    invalid_input,
    utc_instant,
)
from domain.infra import metrics
from domain.infra.db import find_by_key, insert_rows, raw_timestamp
from domain.infra.ids import parse_id
from domain.infra.queue import wake_workers
from domain.leaderboards import scores as leaderboards
from domain.members.members import check_member_id, enrol
from domain.models import Action, Interaction, InteractionStatus
from domain.partners.partners import check_partner_action, scoped_partners
from domain.program.actions import limits_of, schedule_of
from domain.runtime import Runtime
from gamification import retention
from gamification.content import is_content_action
from gamification.leaderboards import POINTS_BOARD
from gamification.limits import INACTIVE_ACTION, UNKNOWN_ACTION, Decision
from gamification.text import storable
from gamification.timing import check_timing

log = logging.getLogger("plaudit.interactions")

MAX_PROPERTIES_BYTES = 8 * 1024
MAX_IDEMPOTENCY_KEY = 128
RESERVED_KEY_PREFIXES = ("content:", "questionnaire:")


@dataclass(frozen=True)
class Recording:
    """What a client asked to record, already authenticated."""

    member_id: str
    action_key: str
    idempotency_key: str
    occurred_at: datetime | None
    properties: Any
    trusted: bool  # a SERVICE token: may backdate and record any action
    # The partner a SERVICE token is scoped to: only its actions, while it is active.
    partner: str | None = None


@dataclass(frozen=True)
class Checked:
    """A recording whose fields passed validation: `occurred_at` is in UTC (now when absent)."""

    member_id: str
    action_key: str
    idempotency_key: str
    occurred_at: datetime
    properties: Any
    trusted: bool
    partner: str | None = None

    @property
    def pair(self) -> tuple[str, str]:
        """What makes it unique: (member, idempotency key)."""
        return (self.member_id, self.idempotency_key)


async def record_interaction(runtime: Runtime, recording: Recording) -> Interaction:
    """Store the interaction (or find the earlier one with this idempotency key) and queue it.

    Rejections knowable now (unknown or inactive action, bad timestamp) are final at once and
    never queued. Recording an action members may not report is an error, and stores nothing.
    `domain.interactions.ingest.record_interactions` does the same for many at once, with the
    same checks.
    """
    now = datetime.now(UTC)
    item = check_recording(recording, now)
    if item.partner is not None:
        # Before anything is stored, the member's enrolment included.
        scoped = await scoped_partners([item.partner])
        check_partner_action(scoped[item.partner], item.action_key)

    await enrol(item.member_id)  # a statement only on a member's first contact with this process
    action = await find_by_key(Action, item.action_key)
    try:
        check_reportable(action, item.trusted)
    except DomainError:
        # A replay is answered with what was recorded, whatever the action has become since.
        earlier = await _earlier(item)
        if earlier is None:
            raise
        check_replay(earlier, item)
        return earlier
    verdict = verdict_at_recording(action, item.occurred_at, now, item.trusted, runtime)
    status = InteractionStatus.PENDING if verdict is None else InteractionStatus(verdict.outcome)
    row = interaction_row(item, status, verdict.reason if verdict else None, now)
    for _ in range(INSERT_ATTEMPTS):
        # The idempotency check is the insert's: a pair stored before (or by a concurrent
        # request) inserts nothing, and the stored interaction answers if the request repeats
        # it. Steady state, a call is two statements: the action and this insert.
        inserted = await insert_rows(
            connections.get("default"),
            "interaction",
            INTERACTION_COLUMNS,
            [row],
            on_conflict=INTERACTION_CONFLICT,
            returning="*",
        )
        if inserted:
            interaction = Interaction._init_from_db(**inserted[0])
            metrics.observe_recorded([status])
            if status is InteractionStatus.PENDING:
                await wake_workers(runtime.queue)
            return interaction
        earlier = await _earlier(item)
        if earlier is not None:
            check_replay(earlier, item)
            return earlier
        # The conflicting row went between the two statements (an erasure took the member's
        # PENDING interactions): insert again.
    raise RuntimeError(f"interaction {item.pair} kept conflicting with a row that went away")


INSERT_ATTEMPTS = 3


async def _earlier(item: Checked) -> Interaction | None:
    """The interaction stored before with the item's (member, idempotency key)."""
    return await Interaction.get_or_none(
        member_id=item.member_id, idempotency_key=item.idempotency_key
    )


# Column -> PostgreSQL cast, for `domain.infra.db.insert_rows`.
INTERACTION_COLUMNS = {
    "member_id": "",
    "action_key": "",
    "idempotency_key": "",
    "status": "",
    "reason": "",
    "occurred_at": "",
    "recorded_at": "",
    "processed_at": "",
    "points_awarded": "",
    "properties": "jsonb",
    "partner_key": "",
}
INTERACTION_CONFLICT = "ON CONFLICT (member_id, idempotency_key) DO NOTHING"


def interaction_row(
    item: Checked, status: InteractionStatus, reason: str | None, now: datetime
) -> list[object]:
    """The raw row of a new interaction: Tortoise's auto_now_add and defaults are not database
    defaults."""
    properties = None if item.properties is None else json.dumps(item.properties)
    decided = status is not InteractionStatus.PENDING
    return [
        item.member_id,
        stored_action_key(item.action_key),
        item.idempotency_key,
        status.value,
        reason,
        raw_timestamp(item.occurred_at),
        raw_timestamp(now),
        raw_timestamp(now) if decided else None,
        0,
        properties,
        item.partner,
    ]


def check_recording(recording: Recording, now: datetime) -> Checked:
    """Validate what the client sent (INVALID_INPUT naming the field), before any lookup."""
    check_member_id(recording.member_id, "input", "memberId")
    _check_idempotency_key(recording.idempotency_key)
    _check_action_key(recording.action_key)
    properties = _check_properties(recording.properties)
    occurred_at = (
        utc_instant(recording.occurred_at, "input", "occurredAt") if recording.occurred_at else now
    )
    return Checked(
        member_id=recording.member_id,
        action_key=recording.action_key,
        idempotency_key=recording.idempotency_key,
        occurred_at=occurred_at,
        properties=properties,
        trusted=recording.trusted,
        partner=recording.partner,
    )


def same_request(earlier: Interaction | Checked, item: Checked) -> bool:
    """Whether `item` repeats the interaction recorded (or about to be) with its key: the same
    action, properties and partner (a partner's token never answers with what another caller
    recorded). The timestamp is not compared: a retry without occurredAt means "now", which
    has moved on."""
    if isinstance(earlier, Interaction):
        action, partner = earlier.action_key, earlier.partner_key
    else:
        action, partner = stored_action_key(earlier.action_key), earlier.partner
    return (
        action == stored_action_key(item.action_key)
        and earlier.properties == item.properties
        and partner == item.partner
    )


def check_replay(earlier: Interaction | Checked, item: Checked) -> None:
    """IDEMPOTENCY_KEY_REUSED unless `item` repeats `earlier` (then it is answered with it)."""
    if not same_request(earlier, item):
        raise idempotency_key_reused("interaction", "a different action, properties or partner")


def check_reportable(action: Action | None, trusted: bool) -> None:
    """FORBIDDEN when a member token records an action members may not report themselves, and
    for anyone recording a content action (`content.<kind>`): only moderation credits those."""
    if action is not None and is_content_action(action.key):
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "content actions are credited when moderation approves the content",
            ("input", "action"),
        )
    if action is not None and not trusted and not action.member_reportable:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "members may not record this action themselves",
            ("input", "action"),
        )


def stored_action_key(action_key: str) -> str:
    """The action key as stored: an unknown one may be longer than the column."""
    return action_key[:100]


def verdict_at_recording(
    action: Action | None, occurred_at: datetime, now: datetime, trusted: bool, runtime: Runtime
) -> Decision | None:
    """The final decision knowable at recording time, or None to leave it PENDING."""
    if action is None:
        return UNKNOWN_ACTION
    if not action.active:
        return INACTIVE_ACTION
    settings = runtime.settings
    backdate = timedelta(hours=settings.member_backdate_hours)
    oldest = None
    if settings.retention_days is not None:
        # Raw interactions are kept for a while only: one dated before what its action's rules
        # can still read could not be decided (nor told from a deleted first copy).
        periods = [limit.period for limit in limits_of(action)]
        schedule = schedule_of(action)
        if schedule is not None:
            periods.append(schedule.period)
        reach = retention.lookback(periods, action.cooldown_seconds)
        kept = timedelta(days=settings.retention_days)
        oldest = retention.oldest_decidable(now, kept, reach, backdate)
    return check_timing(occurred_at, now, trusted=trusted, member_backdate=backdate, oldest=oldest)


async def process_interaction(runtime: Runtime, interaction_id: int) -> Interaction | None:
    """Award one interaction now if it is still PENDING (the worker does this in batches).

    Safe to run any number of times: a processed interaction only has its (absolute) scores
    projected again, which also repairs a projection lost to a crash after commit.
    """
    if not await pipeline.process_ids(runtime, [interaction_id]):
        interaction = await Interaction.get_or_none(id=interaction_id)
        if interaction is None:
            log.warning("interaction %s does not exist", interaction_id)
        elif interaction.status is InteractionStatus.AWARDED:
            updates = await leaderboards.current_scores(
                POINTS_BOARD,
                interaction.member_id,
                interaction.occurred_at,
                interaction.processed_at or interaction.occurred_at,
                runtime.settings.tz,
            )
            await leaderboards.project(runtime.leaderboards, updates)
        return interaction
    return await Interaction.get_or_none(id=interaction_id)


async def drain(runtime: Runtime) -> int:
    """Award PENDING interactions in batches until none is left (see `domain.pipeline`)."""
    return await pipeline.drain(runtime)


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
    parsed = parse_id(interaction_id)
    if parsed is None:
        return None
    return await Interaction.get_or_none(id=parsed)


def _check_idempotency_key(key: str) -> None:
    if not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise invalid_input(
            f"idempotencyKey must be 1 to {MAX_IDEMPOTENCY_KEY} printable characters",
            "input",
            "idempotencyKey",
        )
    if key.startswith(RESERVED_KEY_PREFIXES):
        # Content approval records its credit under `content:<id>`, a questionnaire's completion
        # under `questionnaire:<key>:<submission>`: a client's key there would take their place
        # and leave the approval (or completion) without its points.
        raise invalid_input(
            f"idempotencyKey must not start with {' or '.join(RESERVED_KEY_PREFIXES)} "
            "(reserved for the platform's own interactions)",
            "input",
            "idempotencyKey",
        )


def _check_action_key(key: str) -> None:
    # Any other string is stored (REJECTED, UNKNOWN_ACTION); these no database column can hold.
    if not storable(key):
        raise invalid_input("action must not contain NUL or lone surrogates", "input", "action")


def _check_properties(properties: Any) -> Any:
    if properties is None:
        return None
    try:
        size = len(json.dumps(properties, separators=(",", ":"), allow_nan=False).encode())
    except (TypeError, ValueError, RecursionError):
        raise invalid_input("properties must be JSON", "input", "properties") from None
    if size > MAX_PROPERTIES_BYTES:
        raise invalid_input(
            f"properties must be at most {MAX_PROPERTIES_BYTES} bytes serialized",
            "input",
            "properties",
        )
    if not all(storable(text) for text in _strings(properties)):
        # PostgreSQL's jsonb refuses them (SQLite would not), so neither dialect takes them.
        raise invalid_input(
            "properties must not contain NUL or lone surrogates", "input", "properties"
        )
    return properties


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included (without recursion: nesting may be deep)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from item.keys()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
