"""Importing a file of interactions (`plaudit import`): JSON Lines or CSV, of any size, streamed
through `domain.interactions.ingest.record_interactions` in batches.

Every physical line of the file is accounted for exactly once in the summary, so that its counts
add up to the lines of the file: the first line of an item (accepted, or refused with the
reason), a line inside a multi-line CSV record (a quoted field may hold line breaks; the record
is one item, reported as `lines 4-6`), the CSV header, or a blank line. A line that cannot be
read (not UTF-8, longer than `MAX_LINE_BYTES`) is a refused item.

A CSV quote that never closes would take every line after it into one field, and those lines
would be lost without a word. So a record may span at most `MAX_RECORD_LINES` lines and
`MAX_RECORD_BYTES` bytes and must close into the header's number of cells. When it does not (its
quote is still open at the end of the file, at an unreadable line or past those bounds, or closes
lines later into the wrong number of cells), its first line is refused and reading resumes at the
next line: the lines after it are read again, as records of their own.
"""

from __future__ import annotations

import bisect
import csv
import json
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Literal

from domain.errors import DomainError, invalid_input
from domain.interactions.ingest import MAX_ITEMS, ItemResult, record_interactions
from domain.interactions.record import Recording
from domain.models import InteractionStatus
from domain.runtime import Runtime

Format = Literal["jsonl", "csv"]
EXTENSIONS: dict[str, Format] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
FIELDS = ("action", "memberId", "idempotencyKey", "occurredAt", "properties")
REQUIRED = ("action", "memberId", "idempotencyKey")
MAX_LINE_BYTES = 1 << 20
# A field may hold line breaks (a pretty-printed `properties`); a record past these bounds is
# a quote that never closed, not data.
MAX_RECORD_LINES = 100
MAX_RECORD_BYTES = MAX_LINE_BYTES
REFUSALS_KEPT = 10

Span = tuple[int, int]  # an item's first and last physical line


class UnreadableFile(Exception):
    """The file cannot be imported at all (e.g. a CSV header without the required columns)."""


def format_of(path: Path) -> Format | None:
    """The format a file's extension names, or None."""
    return EXTENSIONS.get(path.suffix.lower())


@dataclass(frozen=True)
class Refusal:
    line: int
    reason: str
    last_line: int

    @property
    def where(self) -> str:
        """`line 4`, or `lines 4-6` for a multi-line CSV record."""
        if self.last_line == self.line:
            return f"line {self.line}"
        return f"lines {self.line}-{self.last_line}"


@dataclass
class ImportSummary:
    """`accepted`: stored and not REJECTED (`new` of them stored by this import, the others
    replays); `rejected`: stored but REJECTED at once (or, for a replay, REJECTED since);
    `invalid`: refused items, nothing stored. `refusals` keeps the first few by line number.

    The lines read: `lines` = `items` + `header` + `blank` + `continued` (the lines after the
    first of multi-line CSV records)."""

    accepted: int = 0
    new: int = 0
    replays: int = 0
    rejected: int = 0
    invalid: int = 0
    refusals: list[Refusal] = field(default_factory=list)
    lines: int = 0
    header: int = 0
    blank: int = 0
    continued: int = 0

    @property
    def refused(self) -> int:
        return self.rejected + self.invalid

    @property
    def items(self) -> int:
        return self.accepted + self.refused

    def refuse(self, span: Span, reason: str, *, stored: bool) -> None:
        if stored:
            self.rejected += 1
        else:
            self.invalid += 1
        # The first lines refused, whatever the order they were decided in (a batch is
        # decided after the invalid lines read meanwhile).
        refusal = Refusal(span[0], reason, span[1])
        bisect.insort(self.refusals, refusal, key=lambda kept: kept.line)
        del self.refusals[REFUSALS_KEPT:]


Progress = Callable[[int, ImportSummary], None]


async def import_file(
    runtime: Runtime,
    path: Path,
    fmt: Format,
    *,
    batch: int = MAX_ITEMS,
    progress: Progress | None = None,
) -> ImportSummary:
    """Record every item of a JSON Lines or CSV file, `batch` items per call, as a SERVICE
    token would (backdating allowed). Malformed items are refused and the import goes on;
    running it again replays every stored item and credits nothing more.

    Raises OSError when the file cannot be read, UnreadableFile when it cannot be imported.
    """
    batch = max(1, min(batch, MAX_ITEMS))
    summary = ImportSummary()
    waiting: list[tuple[Span, Recording]] = []

    async def flush() -> None:
        results = await record_interactions(runtime, [recording for _, recording in waiting])
        for (span, _), result in zip(waiting, results, strict=True):
            _tally(summary, span, result)
        waiting.clear()

    def report() -> None:
        summary.lines = lines.count
        if progress is not None:
            progress(lines.position, summary)

    with path.open("rb") as file:
        lines = _Lines(file)
        read = _jsonl_items if fmt == "jsonl" else _csv_items
        for span, item in read(iter(lines), summary):
            summary.continued += span[1] - span[0]
            if isinstance(item, DomainError):
                summary.refuse(span, f"{item.code}: {item.message}", stored=False)
            else:
                waiting.append((span, item))
            if len(waiting) >= batch:
                await flush()
                report()
        if waiting:
            await flush()
        report()
    return summary


def _tally(summary: ImportSummary, span: Span, result: ItemResult) -> None:
    interaction = result.interaction
    if interaction is None:
        assert result.error is not None
        summary.refuse(span, f"{result.error.code}: {result.error.message}", stored=False)
    elif interaction.status is InteractionStatus.REJECTED:
        summary.refuse(span, f"REJECTED: {interaction.reason}", stored=True)
    else:
        summary.accepted += 1
        if result.replayed:
            summary.replays += 1
        else:
            summary.new += 1


# --- Physical lines -----------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One physical line: its text with its line break, or why it cannot be read (`problem`;
    the text is then empty)."""

    number: int
    text: str
    size: int  # bytes
    problem: str | None = None


class _Lines:
    """A binary file's physical lines, decoded one at a time; counts the lines and bytes read."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.count = 0
        self.position = 0

    def __iter__(self) -> Iterator[Line]:
        while raw := self.file.readline(MAX_LINE_BYTES + 1):
            self.count += 1
            size = len(raw)
            if size > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (rest := self.file.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    size += len(rest)
                size += len(rest)
                self.position += size
                yield Line(self.count, "", size, f"line longer than {MAX_LINE_BYTES:,} bytes")
                continue
            self.position += size
            try:
                text = raw.decode()
            except UnicodeDecodeError:
                yield Line(self.count, "", size, "line is not valid UTF-8")
                continue
            if self.count == 1:
                text = text.removeprefix("\ufeff")
            yield Line(self.count, text, size)


# --- Items: JSON Lines --------------------------------------------------------------------

Item = tuple[Span, Recording | DomainError]


def _jsonl_items(lines: Iterator[Line], summary: ImportSummary) -> Iterator[Item]:
    """One item a line; blank lines are counted in `summary`."""
    for line in lines:
        span = (line.number, line.number)
        if line.problem is not None:
            yield span, invalid_input(line.problem)
            continue
        text = line.text.strip()
        if not text:
            summary.blank += 1
            continue
        try:
            value = json.loads(text)
        except (ValueError, RecursionError) as exc:
            yield span, invalid_input(f"not valid JSON ({_short(exc)})")
            continue
        if not isinstance(value, dict):
            yield span, invalid_input("a line must be a JSON object")
            continue
        yield span, _recording(value)


# --- Items: CSV ---------------------------------------------------------------------------


def _csv_items(lines: Iterator[Line], summary: ImportSummary) -> Iterator[Item]:
    """One item a record (the first non-blank one is the header); header and blank lines are
    counted in `summary`. A record that cannot be read refuses its first line only, and reading
    resumes at the next (see the module's docstring)."""
    source = _Rewindable(lines)
    header: list[str] | None = None
    while (first := source.next()) is not None:
        at = (first.number, first.number)
        if first.problem is not None:
            yield at, invalid_input(first.problem)
            continue
        record = _Record(first, source)
        try:
            row = next(csv.reader(record), [])
        except _Unclosed as exc:
            record.give_back()
            yield at, invalid_input(f"a quote opened on this line is not closed {exc}")
            continue
        except csv.Error as exc:
            record.give_back()
            yield at, invalid_input(f"not valid CSV ({_short(exc)})")
            continue
        last = record.lines[-1].number
        if last == first.number and (not row or (len(row) == 1 and not row[0].strip())):
            summary.blank += 1
            continue
        if header is None:
            header = _header(row)
            summary.header += len(record.lines)
            continue
        if len(row) != len(header):
            if last != first.number:  # a stray quote, closed by another line's quote
                record.give_back()
                stray = (
                    "a quote opened on this line is not closed on it, and the record it would "
                    f"start ends on line {last} with {len(row)} cells, not {len(header)}"
                )
                yield at, invalid_input(stray)
                continue
            yield at, invalid_input(f"expected {len(header)} cells, found {len(row)}")
            continue
        yield (first.number, last), _cells(header, row)


class _Rewindable:
    """The lines still to read, some of them given back to be read again."""

    def __init__(self, lines: Iterator[Line]) -> None:
        self.lines = lines
        self.again: deque[Line] = deque()

    def next(self) -> Line | None:
        if self.again:
            return self.again.popleft()
        return next(self.lines, None)

    def give_back(self, lines: list[Line]) -> None:
        self.again.extendleft(reversed(lines))


class _Unclosed(Exception):
    """A record's quote is still open where the record must end; `str()` says where."""


class _Record:
    """The lines `csv.reader` reads for one record, from `first` on (it reads the next line only
    while a quoted field is open), within the bounds of a record."""

    def __init__(self, first: Line, source: _Rewindable) -> None:
        self.lines = [first]
        self.source = source
        self.size = first.size
        self.started = False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if not self.started:
            self.started = True
            return self.lines[0].text
        if len(self.lines) >= MAX_RECORD_LINES:
            raise _Unclosed(f"within {MAX_RECORD_LINES} lines")
        line = self.source.next()
        if line is None:
            raise _Unclosed("by the end of the file")
        self.lines.append(line)
        if line.problem is not None:
            raise _Unclosed(f"before line {line.number}, which cannot be read")
        self.size += line.size
        if self.size > MAX_RECORD_BYTES:
            raise _Unclosed(f"within {MAX_RECORD_BYTES:,} bytes")
        return line.text

    def give_back(self) -> None:
        """The record is refused on its first line: the others are to be read again."""
        self.source.give_back(self.lines[1:])


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


def _cells(header: list[str], row: list[str]) -> Recording | DomainError:
    cells: dict[str, Any] = {
        name: cell for name, cell in zip(header, row, strict=True) if cell != ""
    }
    if "properties" in cells:
        try:
            cells["properties"] = json.loads(cells["properties"])
        except (ValueError, RecursionError) as exc:
            return invalid_input(f"properties is not valid JSON ({_short(exc)})")
    return _recording(cells)


# --- Fields -------------------------------------------------------------------------------


def _recording(value: dict[str, Any]) -> Recording | DomainError:
    """A Recording from one item's fields; the domain's own checks run when it is recorded."""
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
