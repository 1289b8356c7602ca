"""Bulk ingestion: many interactions in one call (`recordInteractions`, `plaudit import`).

Each item has exactly the semantics of `domain.interactions.record.record_interaction`, through
the same checks, and succeeds or fails on its own; the difference is the cost. A call of up to
`MAX_ITEMS` items is a fixed number of statements: one read of the (member, idempotency key)
pairs already stored, one of the actions, then in one transaction one multi-row insert of the
new members, one of the new interactions (`ON CONFLICT DO NOTHING`) and one read-back of their
rows, so a concurrent call with the same keys is answered with the winner's interaction. The
workers are woken once, after the commit.

`domain.interactions.files` streams a JSON Lines or CSV file through it in batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from domain.errors import DomainError, idempotency_key_reused, invalid_input
from domain.infra import metrics
from domain.infra.db import (
    chunks,
    insert_rows,
    matching,
    transaction,
    values_list,
)
from domain.infra.queue import wake_workers
from domain.interactions.record import (
    INTERACTION_COLUMNS,
    INTERACTION_CONFLICT,
    Checked,
    Recording,
    check_recording,
    check_reportable,
    interaction_row,
    same_request,
    verdict_at_recording,
)
from domain.members.members import enrol_all, recently_enrolled
from domain.models import Action, Interaction, InteractionStatus
from domain.partners.partners import check_partner_action, scoped_partners
from domain.runtime import Runtime

MAX_ITEMS = 1_000

Pair = tuple[str, str]  # (member id, idempotency key)


@dataclass(frozen=True)
class ItemResult:
    """What became of one item: its stored interaction, or why it was refused (nothing stored).

    `replayed`: the interaction was stored before (an earlier call, an earlier item of this
    call with the same member and idempotency key, or a concurrent call that won the insert).
    """

    interaction: Interaction | None = None
    error: DomainError | None = None
    replayed: bool = False


async def record_interactions(
    runtime: Runtime, recordings: Sequence[Recording]
) -> list[ItemResult]:
    """Record every item as `record_interaction` would; one result per item, in order.

    More than `MAX_ITEMS` items raise INVALID_INPUT (field "inputs") and store nothing.
    """
    check_count(len(recordings))
    now = datetime.now(UTC)
    results: list[ItemResult | None] = [None] * len(recordings)
    items: list[tuple[int, Checked]] = []
    # A partner's token: FORBIDDEN for the whole call unless its partner is active (nothing
    # stored), and per item for an action that is not the partner's.
    scoped = await scoped_partners({r.partner for r in recordings if r.partner is not None})
    for index, recording in enumerate(recordings):
        try:
            item = check_recording(recording, now)
            if item.partner is not None:
                check_partner_action(scoped[item.partner], item.action_key)
            items.append((index, item))
        except DomainError as error:
            results[index] = ItemResult(error=error)
    if not items:
        return _done(results)

    reader = connections.get("default")
    existing = await _stored(reader, list(dict.fromkeys(item.pair for _, item in items)))
    actions = await _actions({item.action_key for _, item in items})

    new: dict[Pair, list[object]] = {}  # the rows to insert, first item of each pair
    first: dict[Pair, Checked] = {}  # the first item of each pair in this call
    answered_later: list[tuple[int, Pair, bool]] = []  # (index, pair, a duplicate in this call)
    checked: dict[int, Checked] = dict(items)
    members: dict[str, None] = {}
    pending = False
    for index, item in items:
        pair = item.pair
        if pair in existing:
            results[index] = _replay(existing[pair], item)
            continue
        if pair in first:
            if not same_request(first[pair], item):
                results[index] = _reused()
                continue
        else:
            first[pair] = item
        members[item.member_id] = None
        if pair in new:
            answered_later.append((index, pair, True))
            continue
        action = actions.get(item.action_key)
        try:
            check_reportable(action, item.trusted)
        except DomainError as error:
            results[index] = ItemResult(error=error)
            continue
        verdict = verdict_at_recording(action, item.occurred_at, now, item.trusted, runtime)
        status = (
            InteractionStatus.PENDING if verdict is None else InteractionStatus(verdict.outcome)
        )
        pending = pending or verdict is None
        new[pair] = interaction_row(item, status, verdict.reason if verdict else None, now)
        answered_later.append((index, pair, False))

    await recently_enrolled.refresh()
    enrolling = [member_id for member_id in members if member_id not in recently_enrolled]
    if not enrolling and not new:
        return _done(results)
    async with transaction() as connection:
        await enrol_all(connection, enrolling, now)
        inserted = await _insert(connection, list(new.values()))
        stored = await _stored(connection, list(new))
    for member_id in enrolling:
        recently_enrolled.add(member_id)
    for index, pair, duplicate in answered_later:
        interaction = stored[pair]
        if interaction.id not in inserted and not same_request(interaction, checked[index]):
            results[index] = _reused()  # a concurrent call won the insert with another request
            continue
        results[index] = ItemResult(
            interaction, replayed=duplicate or interaction.id not in inserted
        )
    metrics.observe_recorded(
        [interaction.status for interaction in stored.values() if interaction.id in inserted]
    )
    if pending:
        await wake_workers(runtime.queue)
    return _done(results)


def check_count(items: int) -> None:
    """INVALID_INPUT (field "inputs") past `MAX_ITEMS` items in one call."""
    if items > MAX_ITEMS:
        raise invalid_input(f"at most {MAX_ITEMS:,} interactions per call, got {items:,}", "inputs")


def _replay(earlier: Interaction, item: Checked) -> ItemResult:
    """The earlier interaction, when `item` repeats it; IDEMPOTENCY_KEY_REUSED otherwise."""
    if same_request(earlier, item):
        return ItemResult(earlier, replayed=True)
    return _reused()


def _reused() -> ItemResult:
    return ItemResult(
        error=idempotency_key_reused("interaction", "a different action, properties or partner")
    )


def _done(results: list[ItemResult | None]) -> list[ItemResult]:
    assert all(result is not None for result in results)
    return [result for result in results if result is not None]


PAIR_CASTS = ("text", "text")  # (member_id, idempotency_key) rows to compare with


async def _insert(connection: BaseDBAsyncClient, rows: list[list[object]]) -> set[int]:
    """Insert the rows, skipping pairs stored meanwhile; returns the ids this call inserted."""
    found = await insert_rows(
        connection,
        "interaction",
        INTERACTION_COLUMNS,
        rows,
        on_conflict=INTERACTION_CONFLICT,
        returning="id",
    )
    return {int(row["id"]) for row in found}


async def _stored(connection: BaseDBAsyncClient, pairs: list[Pair]) -> dict[Pair, Interaction]:
    """The stored interactions of these (member, idempotency key) pairs, in one query."""
    found: dict[Pair, Interaction] = {}
    executor = connection.executor_class(model=Interaction, db=connection)
    for chunk in chunks(pairs, 2):
        sql = (
            "SELECT * FROM interaction WHERE (member_id, idempotency_key) IN "
            f"(VALUES {values_list(len(chunk), PAIR_CASTS)})"
        )
        rows = await executor.execute_select(sql, [value for pair in chunk for value in pair])
        for interaction in rows:
            found[(interaction.member_id, interaction.idempotency_key)] = interaction
    return found


async def _actions(keys: set[str]) -> dict[str, Action]:
    # A key no action can have is unknown (`matching`).
    return {action.key: action for action in await matching(Action, key__in=sorted(keys))}
