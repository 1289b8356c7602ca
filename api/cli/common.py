"""What the `plaudit` commands share: the runtime-and-errors block (`run_with_runtime`), the way
an expected failure ends a command (`Refusal`, `Exit`) and the progress bar (`LazyBar`).

Imports nothing from its sibling modules (nor from `api.cli` itself): every group module may
import it without making a circle."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from domain.errors import DomainError
from domain.infra.settings import Settings, SettingsError
from gamification.moments import LAST_YEAR, MomentError, checked_moment

if TYPE_CHECKING:
    from domain.runtime import Runtime

T = TypeVar("T")

Handler = Callable[[Settings, argparse.Namespace], int]
"""What a sub-command runs: `main` calls it with the settings and the parsed arguments and
exits with what it returns."""

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""The `plaudit` sub-parsers: each group module adds its commands to them in `register`."""


class Exit(Exception):
    """Ends a command with `code` once its reason is printed: `main` returns the code, with no
    traceback, as the command itself would have."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Refusal:
    """How an expected failure is reported: one line (on stderr, or stdout where the command
    prints its report there) and the exit code."""

    line: str
    code: int
    to_stdout: bool = False


Expected = Callable[[Exception], Refusal | None]
"""Tells an expected failure (how to report it) from a bug (None: it propagates)."""


def no_expected_failure(exc: Exception) -> Refusal | None:
    """For commands whose failures all propagate (to `main`, or as a traceback)."""
    return None


def domain_errors(code: int) -> Expected:
    """A refused request (an unknown board or badge...) as `error: MESSAGE`, exit `code`."""

    def refusal(exc: Exception) -> Refusal | None:
        if isinstance(exc, DomainError):
            return Refusal(f"error: {exc.message}", code)
        return None

    return refusal


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run one step of a command (a check, migrations...) on a loop of its own."""
    return asyncio.run(coroutine)


def run_with_runtime(
    settings: Settings,
    work: Callable[[Runtime], Awaitable[T]],
    *,
    database: bool = True,
    migrate: bool = False,
    expected: Expected = no_expected_failure,
    before_refusal: Callable[[], None] | None = None,
) -> T:
    """Run `work` with an open runtime, closed whatever happens, and return what it returns.

    The runtime holds Redis, and the database unless `database=False`; `migrate` first applies
    the migrations of the embedded (SQLite) database. A failure of any of it that `expected`
    recognizes is printed as its one line (after `before_refusal`, e.g. closing a progress bar)
    and ends the command with its code (`Exit`); anything else propagates: configuration and
    unreachable services to `main`, which prints them in one line, bugs as a traceback.
    """

    async def opened() -> T:
        from domain.runtime import Runtime

        if migrate and settings.uses_sqlite:
            from domain.infra import migrations

            await migrations.apply(settings)
        runtime = await Runtime.open(settings, database=database)
        try:
            return await work(runtime)
        finally:
            await runtime.close(database=database)

    try:
        return run_coroutine(opened())
    except Exception as exc:
        refusal = expected(exc)
        if refusal is None:
            raise
        if before_refusal is not None:
            before_refusal()
        print(refusal.line, file=sys.stdout if refusal.to_stdout else sys.stderr)
        raise Exit(refusal.code) from exc


class LazyBar:
    """A `progress(done, total)` callback drawing a tqdm bar on stderr, opened at the first
    report (once the total is known), as every long command shows one."""

    def __init__(self, unit: str, desc: str) -> None:
        self.unit, self.desc = unit, desc
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=self.unit, desc=self.desc, file=sys.stderr)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def duration(text: str, option: str = "--ttl") -> timedelta:
    """A lifetime option (`--ttl`: 90s, 15m, 24h, 30d), checked here rather than by argparse,
    to be refused as a setting is: in one line naming it, exit 2."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        amount, unit = int(text[:-1]), units[text[-1]]
    except (ValueError, KeyError, IndexError):
        raise SettingsError(option, f"expected e.g. 90s, 15m, 24h or 30d, got {text!r}") from None
    if amount <= 0:
        raise SettingsError(option, "must be positive")
    try:  # the expiry is a date like any other: within the supported years
        ttl = timedelta(seconds=amount * unit)
        checked_moment(datetime.now(UTC) + ttl)
    except (OverflowError, MomentError):
        raise SettingsError(option, f"too long: the token would expire after {LAST_YEAR}") from None
    return ttl
