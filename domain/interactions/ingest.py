"""Bulk ingestion: many interactions in one call (`recordInteractions`, `plaudit import`).

Each item has exactly the semantics of `domain.interactions.record.record_interaction`, through
the same checks, and succeeds or fails on its own; the difference is the cost. A call of up to
`MAX_ITEMS` items is a fixed number of statements: one read of the (member, idempotency key)
pairs already stored, one of the actions, then in one transaction one multi-row insert of the
new members, one of the new interactions (`ON CONFLICT DO NOTHING`) and one read-back of their
rows, so a concurrent call with the same keys is answered with the winner's interaction. The
workers are woken once, after the commit.

`import_file` streams a JSON Lines or CSV file through it in batches.
"""

from __future__ import annotations

import bisect
import csv
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from domain.errors import DomainError, idempotency_key_reused, invalid_input
from domain.infra import metrics
from domain.infra.db import chunks, insert_rows, raw_timestamp, transaction, values_list
from domain.infra.queue import wake_workers
from domain.interactions.record import (
    Checked,
    Recording,
    check_recording,
    check_reportable,
    same_request,
    stored_action_key,
    verdict_at_recording,
)
from domain.members.members import enrol_all, recently_enrolled
from domain.models import Action, Interaction, InteractionStatus
from domain.runtime import Runtime
from gamification.actions import MAX_KEY_LENGTH

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
    for index, recording in enumerate(recordings):
        try:
            items.append((index, check_recording(recording, now)))
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
        new[pair] = _row(item, status, verdict.reason if verdict else None, now)
        answered_later.append((index, pair, False))

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
        error=idempotency_key_reused("interaction", "a different action or properties")
    )


def _done(results: list[ItemResult | None]) -> list[ItemResult]:
    assert all(result is not None for result in results)
    return [result for result in results if result is not None]


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
}
PAIR_CASTS = ("text", "text")  # (member_id, idempotency_key) rows to compare with
INTERACTION_CONFLICT = "ON CONFLICT (member_id, idempotency_key) DO NOTHING"


def _row(
    item: Checked, status: InteractionStatus, reason: str | None, now: datetime
) -> list[object]:
    # Raw rows: Tortoise's auto_now_add and defaults are not database defaults.
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
    ]


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
    # A key no action can have is unknown; the ORM's field validation would refuse it.
    possible = [key for key in keys if len(key) <= MAX_KEY_LENGTH]
    if not possible:
        return {}
    return {action.key: action for action in await Action.filter(key__in=possible)}


# --- Importing a file ---------------------------------------------------------------------

Format = Literal["jsonl", "csv"]
EXTENSIONS: dict[str, Format] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
FIELDS = ("action", "memberId", "idempotencyKey", "occurredAt", "properties")
REQUIRED = ("action", "memberId", "idempotencyKey")
MAX_LINE_BYTES = 1 << 20
REFUSALS_KEPT = 10


class UnreadableFile(Exception):
    """The file cannot be imported at all (e.g. a CSV header without the required columns)."""


def format_of(path: Path) -> Format | None:
    """The format a file's extension names, or None."""
    return EXTENSIONS.get(path.suffix.lower())


@dataclass(frozen=True)
class Refusal:
    line: int
    reason: str


@dataclass
class ImportSummary:
    """`accepted`: stored and not REJECTED (`new` of them stored by this import, the others
    replays); `rejected`: stored but REJECTED at once (or, for a replay, REJECTED since);
    `invalid`: refused lines, nothing stored. `refusals` keeps the first few by line number."""

    accepted: int = 0
    new: int = 0
    replays: int = 0
    rejected: int = 0
    invalid: int = 0
    refusals: list[Refusal] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return self.rejected + self.invalid

    @property
    def items(self) -> int:
        return self.accepted + self.refused

    def refuse(self, line: int, reason: str, *, stored: bool) -> None:
        if stored:
            self.rejected += 1
        else:
            self.invalid += 1
        # The first lines refused, whatever the order they were decided in (a batch is
        # decided after the invalid lines read meanwhile).
        bisect.insort(self.refusals, Refusal(line, reason), key=lambda refusal: refusal.line)
        del self.refusals[REFUSALS_KEPT:]


Progress = Callable[[int, ImportSummary], None]


class _Lines:
    """A binary file's lines, decoded one at a time, counting lines and bytes consumed.

    A line that is not UTF-8 or is longer than `MAX_LINE_BYTES` is yielded empty (so readers
    skip it) and its line number kept in `bad`, with the reason.
    """

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.line = 0
        self.position = 0
        self.bad: list[tuple[int, str]] = []

    def __iter__(self) -> Iterator[str]:
        while True:
            raw = self.file.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            self.line += 1
            self.position += len(raw)
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (rest := self.file.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    self.position += len(rest)
                self.position += len(rest)
                self.bad.append((self.line, f"line longer than {MAX_LINE_BYTES:,} bytes"))
                yield "\n"
                continue
            try:
                text = raw.decode()
            except UnicodeDecodeError:
                self.bad.append((self.line, "line is not valid UTF-8"))
                yield "\n"
                continue
            if self.line == 1:
                text = text.removeprefix("\ufeff")
            yield text


async def import_file(
    runtime: Runtime,
    path: Path,
    fmt: Format,
    *,
    batch: int = MAX_ITEMS,
    progress: Progress | None = None,
) -> ImportSummary:
    """Record every item of a JSON Lines or CSV file, `batch` items per call, as a SERVICE
    token would (backdating allowed). Malformed lines are refused and the import goes on;
    running it again replays every stored item and credits nothing more.

    Raises OSError when the file cannot be read, UnreadableFile when it cannot be imported.
    """
    batch = max(1, min(batch, MAX_ITEMS))
    summary = ImportSummary()
    waiting: list[tuple[int, Recording]] = []

    async def flush() -> None:
        results = await record_interactions(runtime, [recording for _, recording in waiting])
        for (line, _), result in zip(waiting, results, strict=True):
            _tally(summary, line, result)
        waiting.clear()

    with path.open("rb") as file:
        lines = _Lines(file)
        items = _jsonl_items(lines) if fmt == "jsonl" else _csv_items(lines)
        for line, item in items:
            for bad_line, reason in lines.bad:
                summary.refuse(bad_line, f"INVALID_INPUT: {reason}", stored=False)
            lines.bad.clear()
            if isinstance(item, DomainError):
                summary.refuse(line, f"{item.code}: {item.message}", stored=False)
            else:
                waiting.append((line, item))
            if len(waiting) >= batch:
                await flush()
                if progress is not None:
                    progress(lines.position, summary)
        for bad_line, reason in lines.bad:
            summary.refuse(bad_line, f"INVALID_INPUT: {reason}", stored=False)
        if waiting:
            await flush()
        if progress is not None:
            progress(lines.position, summary)
    return summary


def _tally(summary: ImportSummary, line: int, result: ItemResult) -> None:
    interaction = result.interaction
    if interaction is None:
        assert result.error is not None
        summary.refuse(line, f"{result.error.code}: {result.error.message}", stored=False)
    elif interaction.status is InteractionStatus.REJECTED:
        summary.refuse(line, f"REJECTED: {interaction.reason}", stored=True)
    else:
        summary.accepted += 1
        if result.replayed:
            summary.replays += 1
        else:
            summary.new += 1


Item = tuple[int, Recording | DomainError]


def _jsonl_items(lines: _Lines) -> Iterator[Item]:
    for text in lines:
        text = text.strip()
        if not text:
            continue
        try:
            value = json.loads(text)
        except (ValueError, RecursionError) as exc:
            yield lines.line, invalid_input(f"not valid JSON ({_short(exc)})")
            continue
        if not isinstance(value, dict):
            yield lines.line, invalid_input("a line must be a JSON object")
            continue
        yield lines.line, _recording(value)


def _csv_items(lines: _Lines) -> Iterator[Item]:
    reader = csv.reader(lines)
    header: list[str] | None = None
    while True:
        start = lines.line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, invalid_input(f"not valid CSV ({_short(exc)})")
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if header is None:
            header = _header(row)
            continue
        if len(row) != len(header):
            yield start, invalid_input(f"expected {len(header)} cells, found {len(row)}")
            continue
        cells = {name: cell for name, cell in zip(header, row, strict=True) if cell != ""}
        if "properties" in cells:
            try:
                properties: Any = json.loads(cells["properties"])
            except (ValueError, RecursionError) as exc:
                yield start, invalid_input(f"properties is not valid JSON ({_short(exc)})")
                continue
            cells["properties"] = properties
        yield start, _recording(cells)


def _header(row: list[str]) -> list[str]:
    names = [cell.strip() for cell in row]
    unknown = [name for name in names if name not in FIELDS]
    missing = [name for name in REQUIRED if name not in names]
    if unknown or missing or len(set(names)) != len(names):
        raise UnreadableFile(
            f"the CSV header must name the columns {', '.join(REQUIRED)} and optionally "
            f"occurredAt, properties (each once); found: {', '.join(names)}"
        )
    return names


def _recording(value: dict[str, Any]) -> Recording | DomainError:
    """A Recording from one line's fields; the domain's own checks run when it is recorded."""
    unknown = sorted(set(value) - set(FIELDS))
    if unknown:
        return invalid_input(f"unknown field {unknown[0]!r} (fields: {', '.join(FIELDS)})")
    for name in REQUIRED:
        if not isinstance(value.get(name), str):
            problem = "is required" if value.get(name) is None else "must be a string"
            return invalid_input(f"{name} {problem}", name)
    occurred_at = value.get("occurredAt")
    moment: datetime | None = None
    if occurred_at is not None:
        try:
            if not isinstance(occurred_at, str):
                raise ValueError
            moment = datetime.fromisoformat(occurred_at)
        except ValueError:
            return invalid_input(
                "occurredAt must be an ISO 8601 date-time, e.g. 2026-11-23T10:00:00Z",
                "occurredAt",
            )
    return Recording(
        member_id=value["memberId"],
        action_key=value["action"],
        idempotency_key=value["idempotencyKey"],
        occurred_at=moment,
        properties=value.get("properties"),
        trusted=True,
    )


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
