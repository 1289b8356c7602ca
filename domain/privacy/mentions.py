"""Finding the rows whose JSON or text names a member: archives' tops, audit snapshots.

There is no index for this: it is one scan with LIKE per table, which export and erasure (rare
work) can afford. The pattern matches the id as a JSON string in both forms a database may
hold it in (SQLite keeps what Python's `json` wrote, with non-ASCII characters escaped;
PostgreSQL's jsonb prints them as they are); callers parse each candidate to check that the id
really is one of its values.
"""

from __future__ import annotations

import json
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.infra.db import dialect, param


def _like(text: str) -> str:
    """`text` anywhere, LIKE's wildcards escaped with `!`."""
    escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def patterns(member_id: str) -> list[str]:
    """LIKE patterns matching the id as a JSON string, escaped or not."""
    forms = {json.dumps(member_id), json.dumps(member_id, ensure_ascii=False)}
    return [_like(form) for form in sorted(forms)]


async def rows_mentioning(
    connection: BaseDBAsyncClient, table: str, columns: list[str], member_id: str, select: str
) -> list[dict[str, Any]]:
    """`select` of the rows of `table` whose `columns` (JSON or text) may name the member."""
    cast = "CAST({} AS TEXT)" if dialect() == "postgres" else "{}"
    tests, values = [], []
    for column in columns:
        for pattern in patterns(member_id):
            values.append(pattern)
            tests.append(f"{cast.format(column)} LIKE {param(len(values))} ESCAPE '!'")
    sql = f"SELECT {select} FROM {table} WHERE {' OR '.join(tests)} ORDER BY id"
    return await connection.execute_query_dict(sql, values)


def mentions(value: Any, member_id: str) -> bool:
    """Whether `member_id` is one of the strings of a JSON value, at any depth."""
    if isinstance(value, str):
        return value == member_id
    if isinstance(value, dict):
        return any(mentions(item, member_id) for item in value.values())
    if isinstance(value, list):
        return any(mentions(item, member_id) for item in value)
    return False


def replaced(value: Any, member_id: str, anonymous_id: str) -> Any:
    """A JSON value with every string equal to `member_id` replaced by `anonymous_id`."""
    if isinstance(value, str):
        return anonymous_id if value == member_id else value
    if isinstance(value, dict):
        return {key: replaced(item, member_id, anonymous_id) for key, item in value.items()}
    if isinstance(value, list):
        return [replaced(item, member_id, anonymous_id) for item in value]
    return value


def loaded(raw: Any) -> Any:
    """A JSON column's value as a raw query returns it (text on SQLite, sometimes on asyncpg)."""
    if isinstance(raw, str | bytes):
        return json.loads(raw)
    return raw
