"""Parsing of the numeric ids and cursor values clients send.

Python's `int()` and `str.isdigit()` accept far more than a database id: `"²"` passes
`isdigit()` and then breaks `int()`, Arabic-Indic digits pass both, and 19 or more ASCII digits
overflow the int64 columns of SQLite and PostgreSQL. Every client-sent id and cursor goes through
`parse_id`, so that anything but a plain ASCII number in range is simply "no such row".
"""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest value of a BIGINT / SQLite INTEGER primary key


def parse_id(text: str) -> int | None:
    """The id `text` spells as plain ASCII digits, in 1..MAX_ID; None for anything else."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
