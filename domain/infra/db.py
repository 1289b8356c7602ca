"""Database configuration and the one place that opens transactions."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qs, urlsplit

from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from domain.infra import outages
from domain.infra.settings import Settings

log = logging.getLogger("plaudit.db")

ModelT = TypeVar("ModelT", bound=Model)
RowT = TypeVar("RowT")

MODEL_MODULES = ["domain.models", "aerich.models"]


def tortoise_config(settings: Settings) -> dict[str, Any]:
    """Tortoise's config dict for these settings (also used by aerich and the tests)."""
    return {
        "connections": {"default": _connection(settings)},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


def _connection(settings: Settings) -> dict[str, Any]:
    if settings.database_url is None or settings.database_url.startswith("sqlite"):
        if settings.database_url:
            path = settings.database_url.removeprefix("sqlite://")
        else:
            path = str(settings.sqlite_path)
        return {"engine": "domain.infra.sqlite_engine", "credentials": {"file_path": path}}
    url = urlsplit(settings.database_url)
    options = {key: values[-1] for key, values in parse_qs(url.query).items()}
    return {
        "engine": "domain.infra.postgres_engine",
        "credentials": {
            "host": url.hostname or "127.0.0.1",
            "port": url.port or 5432,
            "user": url.username or "postgres",
            "password": url.password or "",
            "database": url.path.lstrip("/") or "plaudit",
            "minsize": int(options.pop("minsize", 2)),
            "maxsize": int(options.pop("maxsize", 20)),
            **options,
        },
    }


# aerich reads this (see [tool.tortoise] in pyproject.toml).
TORTOISE_ORM = tortoise_config(Settings.from_env())


async def init_db(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # The global fallback makes the ORM visible to tasks other than the one that opened it
    # (request handlers, worker jobs), as RegisterTortoise does for Starlette.
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
    _opened.dialect = str(connections.get("default").capabilities.dialect)


async def close_db() -> None:
    _opened.dialect = None
    await Tortoise.close_connections()


@dataclass
class _Opened:
    """The dialect of the database `init_db` opened: asked for every raw timestamp of a batch,
    and looking it up through Tortoise's connection handler was 4 % of a worker's CPU."""

    dialect: str | None = None


_opened = _Opened()


AfterCommit = Callable[[], Awaitable[object]]


class ReadVersionSink(Protocol):
    """Where a transaction says which members' reads (and whether the program's) it changes:
    `domain.infra.read_versions.ReadVersions`, set by the runtime. Neither method raises."""

    async def mark(self, members: Collection[str], program: bool) -> None: ...

    async def done(self, members: Collection[str], program: bool) -> None: ...


@dataclass
class _ReadVersions:
    """This process's sink (None: nobody caches reads, nothing to tell)."""

    sink: ReadVersionSink | None = None


read_versions = _ReadVersions()


@dataclass
class _Commit:
    """What to do once the outermost open transaction commits."""

    hooks: list[AfterCommit] = field(default_factory=list)
    batches: dict[str, list[Any]] = field(default_factory=dict)
    # Whose reads this transaction changes (`touch_member`, `touch_program`).
    members: set[str] = field(default_factory=set)
    program: bool = False

    @property
    def touched(self) -> bool:
        return bool(self.members) or self.program


_commit: ContextVar[_Commit | None] = ContextVar("commit", default=None)


@asynccontextmanager
async def transaction() -> AsyncIterator[BaseDBAsyncClient]:
    """Open a transaction: the only way services write more than one row.

    On SQLite it takes the database write lock at once (see `domain.infra.sqlite_engine`); on
    PostgreSQL services lock the rows they change with `select_for_update`. Work registered with
    `after_commit` runs once it has committed (never after a rollback). A transaction that
    `touch_member`s or `touch_program`s tells the read versions before it commits and again once
    it has (`domain.infra.read_versions`), so no cached answer outlives what it changed.
    """
    if _commit.get() is not None:
        # Nested: a savepoint inside the outer transaction, whose commit runs the hooks.
        async with in_transaction() as connection:
            yield connection
        return
    commit = _Commit()
    token = _commit.set(commit)
    sink: ReadVersionSink | None = None
    try:
        async with in_transaction() as connection:
            yield connection
            if commit.touched and (sink := read_versions.sink) is not None:
                # Before the commit: from here until `done`, readers of these members execute
                # and store nothing (`domain.infra.read_versions`).
                await sink.mark(frozenset(commit.members), commit.program)
    finally:
        _commit.reset(token)
        if sink is not None:
            # Committed or not: new versions, and the marks taken back. Before the hooks, so
            # whoever hears of the change (a live event, a webhook) reads it at once.
            await sink.done(frozenset(commit.members), commit.program)
    for hook in commit.hooks:
        try:
            await hook()
        except Exception as exc:
            # Committed is committed: what a hook failed to do is left for the sweeps.
            if outages.is_outage(exc):
                outages.of(exc).failed(exc)  # one warning per outage, not a traceback per hook
            else:
                log.exception("after-commit hook %r failed", hook)


def after_commit(hook: AfterCommit) -> None:
    """Run `hook` once the current transaction commits (publishing, enqueueing: invariant 3).
    Outside a transaction it is the caller's job; this raises to say so."""
    commit = _commit.get()
    if commit is None:
        raise RuntimeError("after_commit needs an open transaction()")
    commit.hooks.append(hook)


def touch_member(member_id: str) -> None:
    """Say that the current transaction changes what `member_id` reads: answers cached for the
    member are dropped once it commits, and none is stored meanwhile (`api.read_cache`).
    Outside a transaction() it raises, as `after_commit` does."""
    _current("touch_member").members.add(member_id)


def touch_members(member_ids: Iterable[str]) -> None:
    """`touch_member` for each of `member_ids`."""
    _current("touch_members").members.update(member_ids)


def touch_program() -> None:
    """Say that the current transaction changes the program's definitions (actions, badges,
    challenges, rewards, tiers, referral rules...): every member's cached answers are dropped
    once it commits."""
    _current("touch_program").program = True


def _current(name: str) -> _Commit:
    commit = _commit.get()
    if commit is None:
        raise RuntimeError(f"{name} needs an open transaction()")
    return commit


def after_commit_batch(
    name: str, item: Any, flush: Callable[[list[Any]], Awaitable[object]]
) -> bool:
    """Collect `item` under `name`; once committed, `flush` gets all of them in one call.
    Returns False outside a transaction() (then nothing is collected)."""
    commit = _commit.get()
    if commit is None:
        return False
    if name not in commit.batches:
        batch: list[Any] = []
        commit.batches[name] = batch
        commit.hooks.append(lambda: flush(batch))
    commit.batches[name].append(item)
    return True


def dialect() -> str:
    return _opened.dialect or str(connections.get("default").capabilities.dialect)


def param(position: int) -> str:
    """The placeholder of the 1-based `position`th parameter of a raw statement."""
    return f"${position}" if dialect() == "postgres" else "?"


def raw_timestamp(moment: datetime | None) -> object:
    """A datetime as a raw statement's parameter: asyncpg takes datetimes, SQLite the text
    Tortoise itself stores."""
    if moment is None or dialect() == "postgres":
        return moment
    return moment.isoformat(sep=" ")


def matching(source: type[ModelT] | QuerySet[ModelT], **filters: Any) -> QuerySet[ModelT]:
    """`source.filter(**filters)` for strings a client chose (keys, board names, codes): a
    string longer than its column matches no row, as an unknown one does, instead of failing
    the ORM's field validation (a 500 and an ERROR line). In an `__in` list such strings are
    left out. Every lookup by a key or name goes through here (or `find_by_key`), so a new
    query gets the rule without thinking of it."""
    model = source if isinstance(source, type) else source.model
    query = source.filter() if isinstance(source, type) else source
    possible: dict[str, Any] = {}
    for name, value in filters.items():
        column, _, lookup = name.partition("__")
        width = getattr(model._meta.fields_map.get(column), "max_length", None)
        if width is None or lookup not in ("", "in"):
            possible[name] = value
        elif lookup == "in":
            possible[name] = [v for v in value if not (isinstance(v, str) and len(v) > width)]
        elif isinstance(value, str) and len(value) > width:
            possible[f"{column}__in"] = []  # no row can hold it: the query matches nothing
        else:
            possible[name] = value
    return query.filter(**possible)


def fitted(model: type[Model], column: str, name: str) -> str:
    """`name` as `model.column` stores it: itself when it fits, else its head and a digest of
    the whole, the same every time (a unique column still means "once"). Names made of keys and
    member ids (`badge:<key>:<member>`) can be longer than their column, which PostgreSQL
    refuses and the ORM's validation raises on."""
    width: int = model._meta.fields_map[column].max_length  # type: ignore[attr-defined]
    if len(name) <= width:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()
    return f"{name[: max(0, width - len(digest) - 1)]}#{digest}"[-width:]


async def find_by_key(
    model: type[ModelT], key: str, connection: BaseDBAsyncClient | None = None
) -> ModelT | None:
    """The admin-defined row `key`, or None (also for a string no key can be: `matching`)."""
    query = matching(model, key=key)
    if connection is not None:
        query = query.using_db(connection)
    return await query.first()


# Both drivers cap a statement's parameters (asyncpg at 32,767, SQLite at 32,766); multi-row
# statements are cut into chunks that stay below.
MAX_PARAMETERS = 30_000


def chunks(rows: list[RowT], columns: int) -> list[list[RowT]]:
    """`rows` cut so that no statement binds more than MAX_PARAMETERS parameters."""
    size = max(1, MAX_PARAMETERS // max(1, columns))
    return [rows[start : start + size] for start in range(0, len(rows), size)]


def values_list(rows: int, casts: Sequence[str]) -> str:
    """The VALUES groups of `rows` rows, with a cast per column on PostgreSQL (where a bare
    parameter in VALUES has no type to infer); SQLite takes its parameters as they come."""
    return _values_list(dialect() == "postgres", rows, tuple(casts))


@lru_cache(maxsize=256)
def _values_list(postgres: bool, rows: int, casts: tuple[str, ...]) -> str:
    # Built once per shape: a batch writes the same few shapes over and over, and building
    # thousands of placeholders was a quarter of a worker's CPU.
    if not postgres:
        group = "(" + ", ".join("?" * len(casts)) + ")"
        return ", ".join([group] * rows)
    width = len(casts)
    groups = []
    for row in range(rows):
        first = row * width
        cells = (
            f"${first + column + 1}::{cast}" if cast else f"${first + column + 1}"
            for column, cast in enumerate(casts)
        )
        groups.append("(" + ", ".join(cells) + ")")
    return ", ".join(groups)


def _sources(columns: dict[str, str], rows: list[list[object]]) -> list[tuple[str, list[object]]]:
    """The rows as the sources of a few statements: (a `SELECT` of them, its parameters).

    On PostgreSQL, when every column has its type, one `unnest` of one array per column: the
    statement's text is the same whatever the number of rows, so it is parsed and planned once
    per connection, and binding a few arrays is cheaper than binding thousands of parameters
    (a batch's big VALUES lists were a fifth of PostgreSQL's time in parsing and binding).
    Otherwise multi-row VALUES, cut below the drivers' parameter cap.
    """
    casts = list(columns.values())
    if not rows:
        return []
    if dialect() == "postgres" and all(casts):
        arrays = ", ".join(f"${n + 1}::{cast}[]" for n, cast in enumerate(casts))
        params: list[object] = [list(column) for column in zip(*rows, strict=True)]
        return [(f"SELECT * FROM unnest({arrays})", params)]
    return [
        (f"VALUES {values_list(len(chunk), casts)}", [value for row in chunk for value in row])
        for chunk in chunks(rows, len(columns))
    ]


async def insert_rows(
    connection: BaseDBAsyncClient,
    table: str,
    columns: dict[str, str],
    rows: list[list[object]],
    *,
    on_conflict: str = "",
    returning: str | None = None,
) -> list[dict[str, Any]]:
    """One multi-row INSERT (a few, past the parameter cap) of `rows`, in order.

    `columns` maps each column to its PostgreSQL type or cast ("" for none, e.g. "jsonb" for
    JSON text; with every type given, PostgreSQL gets one `unnest` statement). With
    `returning`, the returned rows come back in the order of `rows`.
    """
    found: list[dict[str, Any]] = []
    names = ", ".join(columns)
    for source, params in _sources(columns, rows):
        sql = f"INSERT INTO {table} ({names}) {source} {on_conflict}"
        if returning is None:
            await connection.execute_query(sql, params)
        else:
            # execute_query_dict: Tortoise's asyncpg execute_query drops the rows of an INSERT.
            found += await connection.execute_query_dict(f"{sql} RETURNING {returning}", params)
    return found


async def update_rows(
    connection: BaseDBAsyncClient,
    table: str,
    key: str,
    columns: dict[str, str],
    rows: list[list[object]],
) -> None:
    """Set each row's columns by its key, in one statement per chunk: `rows` hold the key first,
    then the values of `columns` (column -> PostgreSQL type, which the key's entry leads)."""
    names = list(columns)
    assignments = ", ".join(f"{name} = v.{name}" for name in names[1:])
    for source, params in _sources(columns, rows):
        sql = (
            f"WITH v ({', '.join(names)}) AS ({source}) "
            f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{key} = v.{key}"
        )
        await connection.execute_query(sql, params)
