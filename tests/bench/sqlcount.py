"""`python -m tests.bench.sqlcount STATS_FILE ARGS...`: run `plaudit ARGS` (serve, worker) in this
process, counting the SQL statements it sends, without touching the code under test.

The database drivers' statement methods (asyncpg's `Connection.execute/fetch/…`, aiosqlite's
`Connection.execute/…`) are wrapped to count each call under "VERB table" (`INSERT
ledger_entry`, `SELECT member`, `BEGIN`…); transaction control counts too, as the server sees
it. Every 0.2 s (and at exit) the counts go to STATS_FILE as JSON, with the award pipeline's
batch counter (`domain.pipeline.batch.drainer.batches`), so the bench can read them before and
after a measurement and report statements per batch. The overhead is a dictionary update and a
short regex per statement: microseconds against a batch's milliseconds.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

INTERVAL_S = 0.2
HEAD = 3_000  # characters of a statement looked at to name it
VERB = re.compile(r"\s*(\w+)")
TARGET = {
    "INSERT": re.compile(r"INSERT\s+INTO\s+\"?(\w+)", re.I),
    "UPDATE": re.compile(r"UPDATE\s+\"?(\w+)", re.I),
    "DELETE": re.compile(r"DELETE\s+FROM\s+\"?(\w+)", re.I),
    "SELECT": re.compile(r"\bFROM\s+\"?(\w+)", re.I),
}

# A CTE's statement follows its VALUES list, which can be long: searched in the whole text.
WITH_BODY = re.compile(r"\)\s*(?:(UPDATE)|(INSERT)\s+INTO|(DELETE)\s+FROM)\s+\"?(\w+)", re.I)

statements: Counter[str] = Counter()


def name(query: object) -> str:
    """`VERB table` for a statement, e.g. `INSERT interaction`; `SELECT -` without a table."""
    text = query if isinstance(query, str) else str(query)
    head = text[:HEAD]
    verb_match = VERB.match(head)
    verb = verb_match.group(1).upper() if verb_match else "?"
    if verb == "WITH":
        body = WITH_BODY.search(text)
        if body is None:
            return "WITH SELECT"
        main = next(group for group in body.groups()[:3] if group)
        return f"WITH {main.upper()} {body.group(4)}"
    pattern = TARGET.get(verb)
    if pattern is None:
        return verb
    target = pattern.search(head)
    return f"{verb} {target.group(1) if target else '-'}"


def _counted(method: Callable[..., Any], many: bool) -> Callable[..., Any]:
    """Count, then call through: the caller gets exactly what the driver returns (a coroutine,
    or aiosqlite's awaitable context manager)."""

    @functools.wraps(method)
    def wrapper(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        count = 1
        if many and args:  # one statement per parameter set on the server
            try:
                count = len(args[0])
            except TypeError:
                count = 1
        statements[name(query)] += count
        return method(self, query, *args, **kwargs)

    return wrapper


def _control(method: Callable[..., Any], verb: str) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: Any) -> Any:
        statements[verb] += 1
        return method(self)

    return wrapper


def install() -> None:
    import aiosqlite
    import asyncpg

    for attribute in ("execute", "fetch", "fetchrow", "fetchval", "fetchmany"):
        method = getattr(asyncpg.Connection, attribute)
        setattr(asyncpg.Connection, attribute, _counted(method, False))
    asyncpg.Connection.executemany = _counted(asyncpg.Connection.executemany, True)
    for attribute in ("execute", "execute_fetchall", "execute_insert"):
        method = getattr(aiosqlite.Connection, attribute)
        setattr(aiosqlite.Connection, attribute, _counted(method, False))
    aiosqlite.Connection.executemany = _counted(aiosqlite.Connection.executemany, True)
    # Tortoise's SQLite transactions end with aiosqlite's commit() / rollback().
    aiosqlite.Connection.commit = _control(aiosqlite.Connection.commit, "COMMIT")
    aiosqlite.Connection.rollback = _control(aiosqlite.Connection.rollback, "ROLLBACK")


def snapshot() -> dict[str, Any]:
    batch = sys.modules.get("domain.pipeline.batch")
    drainer = getattr(batch, "drainer", None)
    counts = dict(statements)  # one C-level copy under the GIL
    return {
        "at": time.time(),
        "pid": os.getpid(),
        "batches": int(getattr(drainer, "batches", 0)),
        "statements": sum(counts.values()),
        "by_kind": counts,
    }


def dump(path: Path) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(snapshot()))
    os.replace(temporary, path)


def _dumper(path: Path) -> None:
    while True:
        time.sleep(INTERVAL_S)
        with contextlib.suppress(OSError):  # the data dir is going away: nobody reads it
            dump(path)


def read(path: Path) -> dict[str, Any]:
    """The latest counts a wrapped process wrote (empty before its first write)."""
    try:
        value: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):
        return {"batches": 0, "statements": 0, "by_kind": {}}
    return value


def delta(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[str, Any]:
    """Statements and batches between two readings of the same processes, summed."""
    batches = sum(a["batches"] for a in after) - sum(b["batches"] for b in before)
    kinds: Counter[str] = Counter()
    for reading in after:
        kinds.update(reading["by_kind"])
    for reading in before:
        kinds.subtract(reading["by_kind"])
    kinds = Counter({key: value for key, value in kinds.items() if value > 0})
    return {"batches": batches, "statements": sum(kinds.values()), "by_kind": dict(kinds)}


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(
            "usage: python -m tests.bench.sqlcount STATS_FILE serve|worker [...]", file=sys.stderr
        )
        return 2
    path = Path(argv[0])
    install()
    threading.Thread(target=_dumper, args=(path,), daemon=True, name="sqlcount").start()
    from api.cli import main as plaudit

    try:
        return plaudit(argv[1:])
    finally:
        dump(path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
