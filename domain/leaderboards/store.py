"""The Redis side of leaderboards: absolute monotonic writes, ranked reads, atomic rebuilds.

The rules (keys, element encoding for tie-breaks, cursors) live in `gamification.leaderboards`;
this module is the I/O over them. See that module's docstring for why writes are idempotent.
"""

from __future__ import annotations

import asyncio
import json
import time
import weakref
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar, cast

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.commands.core import AsyncScript
from redis.exceptions import NoScriptError

from domain.infra.redis import literal_pattern
from domain.leaderboards import scripts
from gamification.leaderboards import (
    BoardKey,
    BoardPeriod,
    Page,
    Standing,
    anonymised,
    change_channel,
    decode_cursor,
    decode_profile,
    element_for,
    is_hidden_profile,
    member_of,
)

# Writes per script: a batch's few thousand are a few scripts of about a millisecond each,
# so no script holds Redis up for long.
SCORES_PER_SCRIPT = 500
# A stored profile argument that leaves the board's profile of the member as it is.
KEEP_PROFILE = "?"


@dataclass(frozen=True)
class SizeRead:
    """How many members the board holds."""


@dataclass(frozen=True)
class PageRead:
    """Up to `first` standings after the cursor `after` (None: from the top)."""

    first: int
    after: str | None


@dataclass(frozen=True)
class AroundRead:
    """`member_id`'s standing and up to `radius` standings either side. Only the member
    themselves (`own`) find a member who is not PUBLIC: anybody else finds nothing, as for a
    member with no score (an ANONYMOUS member looked up by id would be named by the lookup)."""

    member_id: str
    radius: int
    own: bool = False


BoardRead = SizeRead | PageRead | AroundRead


class LeaderboardStore:
    """The Redis side of leaderboards: absolute writes, ranked reads, atomic rebuilds."""

    def __init__(self, redis: Redis, *, namespace: str = "") -> None:
        self.redis = redis
        # The program's Redis namespace: every board key is taken into it (`BoardKey.namespace`).
        self.namespace = namespace
        self._set_scores = redis.register_script(scripts.SET_SCORES)
        self._replace_score = redis.register_script(scripts.REPLACE_SCORE)
        self._read = redis.register_script(scripts.READ)
        self._remove_member = redis.register_script(scripts.REMOVE_MEMBER)
        self._set_profile = redis.register_script(scripts.SET_PROFILE)
        self._standing = redis.register_script(scripts.STANDING)
        # Public pages as the API renders them, shared by this process's requests for at most
        # a second (see `MicroCache`). Dropped whenever this store writes.
        self.pages: MicroCache[Any] = MicroCache(ttl_s=PAGE_TTL_S)

    async def set_scores(
        self,
        updates: Iterable[tuple[BoardKey, str, int, datetime, datetime | None]],
        *,
        profiles: Mapping[str, str] | None = None,
    ) -> None:
        """Apply (board, member, score, reached_at, expires_at) writes, a few hundred per
        script, all scripts in one MULTI, and announce the boards they touch, in one round
        trip. `profiles` (member -> `encode_profile`, read after the writes' commit) are
        stored beside each board written; a member missing from it keeps the stored one."""
        self.pages.invalidate()
        now = datetime.now(UTC)
        profiles = profiles or {}
        boards: dict[BoardKey, tuple[str, list[str | int]]] = {}
        for key, member_id, score, reached_at, expiry in updates:
            if score <= 0 or (expiry is not None and expiry <= now):
                # Boards list members with a score; a board past its retention lives on in
                # the database only.
                continue
            if key not in boards:
                # A board's expiry is its period's: the same for every write to it.
                boards[key] = ("" if expiry is None else str(int(expiry.timestamp())), [])
            boards[key][1].extend(
                (
                    member_id,
                    score,
                    element_for(member_id, reached_at),
                    profiles.get(member_id, KEEP_PROFILE),
                )
            )
        if boards:
            # MULTI/EXEC: a batch's scripts apply together, so no reader sees its credits on
            # one board or period and not yet on another (redis-py loads the scripts first).
            async with self.redis.pipeline(transaction=True) as pipe:
                for key, (expire, writes) in boards.items():
                    spaced = key.in_namespace(self.namespace)
                    keys = [spaced.scores, spaced.elements, spaced.profiles, spaced.hidden]
                    for start in range(0, len(writes), 4 * SCORES_PER_SCRIPT):
                        chunk = writes[start : start + 4 * SCORES_PER_SCRIPT]
                        await self._set_scores(keys=keys, args=[expire, *chunk], client=pipe)
                self._announce(pipe, boards)
                await pipe.execute()

    async def replace_scores(
        self,
        updates: Iterable[tuple[BoardKey, str, int, datetime, datetime | None]],
        *,
        profiles: Mapping[str, str] | None = None,
    ) -> None:
        """Like `set_scores`, but a lower score replaces a higher one and 0 removes the member:
        for boards whose scores fall as well as rise."""
        self.pages.invalidate()
        now = datetime.now(UTC)
        profiles = profiles or {}
        touched: set[BoardKey] = set()
        async with self.redis.pipeline(transaction=False) as pipe:
            for key, member_id, score, reached_at, expiry in updates:
                if expiry is not None and expiry <= now:
                    continue
                touched.add(key)
                key = key.in_namespace(self.namespace)
                expire = "" if expiry is None else str(int(expiry.timestamp()))
                element = element_for(member_id, reached_at)
                profile = profiles.get(member_id, KEEP_PROFILE)
                await self._replace_score(
                    keys=[key.scores, key.elements, key.profiles, key.hidden],
                    args=[member_id, score, element, expire, profile],
                    client=pipe,
                )
            self._announce(pipe, touched)
            await pipe.execute()

    async def remove_member(self, member_id: str) -> int:
        """Take `member_id` off every board and period Redis holds, rebuild keys included
        (an erasure), profile and all, and announce the boards that changed; returns how many
        it was on.

        The keys are found by scanning the namespace, not from the database: the database no
        longer names the member by then, and a board whose period has closed still lives here
        until it expires."""
        self.pages.invalidate()
        prefix = f"{self.namespace}:" if self.namespace else ""
        touched: list[BoardKey] = []
        pattern = f"{literal_pattern(prefix)}lb:*:elements"
        async for raw in self.redis.scan_iter(match=pattern, count=1000):
            elements = _text(raw)
            base = elements.removesuffix(":elements")
            keys = [f"{base}:scores", elements, f"{base}:profiles", f"{base}:hidden"]
            if await self._remove_member(keys=keys, args=[member_id]):
                key = _board_key_of(elements, prefix)
                if key is not None:
                    touched.append(key)
        if touched:
            async with self.redis.pipeline(transaction=False) as pipe:
                self._announce(pipe, touched)
                await pipe.execute()
        self.pages.invalidate()
        return len(touched)

    async def set_profile(
        self, keys: Iterable[BoardKey], member_id: str, profile: str, *, announce: bool = False
    ) -> int:
        """Store the member's new profile (`encode_profile`) on each of `keys` that lists them,
        in one round trip (one script per board, so each stays in its own slot; a change of
        visibility moves the member between the ranked and the hidden set there); returns on
        how many. Pages cached in this process are dropped. With `announce`, the boards that
        list the member are announced to live subscribers (a visibility change shows at once
        in every push), in a second round trip."""
        keys = list(keys)
        calls = []
        for key in keys:
            spaced = key.in_namespace(self.namespace)
            calls.append(
                (
                    [spaced.elements, spaced.profiles, spaced.scores, spaced.hidden],
                    [member_id, profile],
                )
            )
        results = [int(found or 0) for found in await self._pipelined(self._set_profile, calls)]
        self.pages.invalidate()
        touched = [key for key, found in zip(keys, results, strict=True) if found]
        if announce and touched:
            async with self.redis.pipeline(transaction=False) as pipe:
                self._announce(pipe, touched)
                await pipe.execute()
        return len(touched)

    async def standings(
        self, keys: Sequence[BoardKey], member_id: str
    ) -> list[tuple[int, int] | None]:
        """The member's (rank, score) on each of `keys`, None where they have no score: one
        script per board (Cluster-safe), all in one round trip."""
        calls = []
        for key in keys:
            key = key.in_namespace(self.namespace)
            calls.append(([key.scores, key.elements, key.hidden], [member_id]))
        found: list[tuple[int, int] | None] = []
        for result in await self._pipelined(self._standing, calls):
            if result:
                rank, score = cast(list[Any], result)
                found.append((int(rank) + 1, int(float(_text(score)))))
            else:
                found.append(None)
        return found

    async def _pipelined(
        self, script: AsyncScript, calls: Sequence[tuple[list[str], list[str]]]
    ) -> list[Any]:
        """Run `script` once per (keys, args) in one pipeline: one round trip. EVALSHA by
        hand, not through the pipeline's own script support, which asks Redis whether its
        scripts exist first (a second round trip each time); the script is loaded only after
        Redis answers NOSCRIPT (a restarted or flushed server), then the calls run again."""
        if not calls:
            return []
        for attempt in range(2):
            async with self.redis.pipeline(transaction=False) as pipe:
                for keys, args in calls:
                    pipe.evalsha(script.sha, len(keys), *keys, *args)
                results = await pipe.execute(raise_on_error=False)
            if not any(isinstance(result, NoScriptError) for result in results) or attempt:
                break
            script.sha = await self.redis.script_load(script.script)
        for result in results:
            if isinstance(result, Exception):
                raise result
        return list(results)

    def _announce(self, pipe: Pipeline, keys: Iterable[BoardKey]) -> None:
        """Tell live subscribers (`api.leaderboards.live`) which boards moved: one message per
        board and period a write touched, in the writes' round trip."""
        for key in keys:
            message = json.dumps({"periodKey": key.period_key})
            pipe.publish(change_channel(key.board, key.period, self.namespace), message)

    async def size(self, key: BoardKey) -> int:
        key = key.in_namespace(self.namespace)
        return int(await self.redis.zcard(key.scores))

    async def page(self, key: BoardKey, first: int, after: str | None) -> Page:
        """Up to `first` standings after the cursor (keyset: a moving board neither skips nor
        repeats members whose score did not change)."""
        [page] = await self.read(key, [PageRead(first, after)])
        return cast(Page, page)

    async def around(self, key: BoardKey, member_id: str, radius: int) -> list[Standing]:
        [standings] = await self.read(key, [AroundRead(member_id, radius)])
        return cast(list[Standing], standings)

    async def scores_of(self, key: BoardKey, *, hidden: bool | None = None) -> dict[str, int]:
        """Every member's score on the board as Redis holds it (scanned, not read at once:
        `verify` reads boards of any size): the visible members' and the hidden ones', or
        only the hidden ones' (`hidden=True`) or the visible ones' (`hidden=False`)."""
        key = key.in_namespace(self.namespace)
        found: dict[str, int] = {}
        names = {None: (key.scores, key.hidden), True: (key.hidden,), False: (key.scores,)}
        for name in names[hidden]:
            async for element, score in self.redis.zscan_iter(name, count=10_000):
                found[member_of(_text(element))] = int(float(score))
        return found

    async def profiles_of(self, key: BoardKey) -> dict[str, str]:
        """Every stored profile of the board (member -> `encode_profile`), scanned."""
        key = key.in_namespace(self.namespace)
        found: dict[str, str] = {}
        async for member, profile in self.redis.hscan_iter(key.profiles, count=10_000):
            found[_text(member)] = _text(profile)
        return found

    async def read(self, key: BoardKey, reads: Sequence[BoardRead]) -> list[Any]:
        """Several reads of one board in one round trip: an int for a `SizeRead`, a `Page` for
        a `PageRead`, a list of standings for an `AroundRead`, in the order asked; standings
        carry their member's profile as the board holds it."""
        key = key.in_namespace(self.namespace)
        args: list[str | int] = []
        for read in reads:
            if isinstance(read, SizeRead):
                args.append("size")
            elif isinstance(read, PageRead):
                position = decode_cursor(read.after) if read.after else None
                score, element = position if position else (0, "")
                args += ["page", score, element, read.first]
            else:
                args += ["around", read.member_id, read.radius, "1" if read.own else "0"]
        results = cast(
            list[Any],
            await self._read(keys=[key.scores, key.elements, key.profiles, key.hidden], args=args),
        )
        answers: list[Any] = []
        for read, result in zip(reads, results, strict=True):
            if isinstance(read, SizeRead):
                answers.append(int(result))
            elif isinstance(read, PageRead):
                start = int(result[0])
                standings = _standings(start, result[1], result[2])
                answers.append(
                    Page(standings[: read.first], len(standings) > read.first, start > 0)
                )
            elif not result:
                answers.append([])
            else:
                own_at = int(result[3]) if len(result) > 3 else None
                answers.append(_standings(int(result[0]), result[1], result[2], own_at))
        return answers

    async def replace(
        self,
        key: BoardKey,
        rows: Iterable[tuple[str, int, datetime]],
        expiry: datetime | None,
        chunk: int = 5_000,
        *,
        profiles: Mapping[str, str] | None = None,
    ) -> int:
        """Rebuild a board from (member, score, reached_at) rows and the members' stored
        profiles (`encode_profile`; the default ones left out) into temporary keys, then swap
        them in atomically, so readers never see a half-built board."""
        key = key.in_namespace(self.namespace)
        tmp = key.staging()
        await self.redis.delete(tmp.scores, tmp.elements, tmp.profiles, tmp.hidden)
        hidden = {m for m, profile in (profiles or {}).items() if is_hidden_profile(profile)}
        count = 0
        batch: list[tuple[str, int, datetime]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk:
                count += await self._write_batch(tmp, batch, hidden)
                batch = []
        if batch:
            count += await self._write_batch(tmp, batch, hidden)
        stored = 0
        if count:
            stored = await self._write_profiles(tmp, profiles or {}, chunk)
        # Which of the two sets the staging board filled (a RENAME of a key not there fails).
        filled = {
            name: bool(await self.redis.exists(staged))
            for name, staged in (("scores", tmp.scores), ("hidden", tmp.hidden))
        }
        async with self.redis.pipeline(transaction=True) as pipe:
            if count:
                for name, staged, live in (
                    ("scores", tmp.scores, key.scores),
                    ("hidden", tmp.hidden, key.hidden),
                ):
                    if filled[name]:
                        pipe.rename(staged, live)
                    else:
                        pipe.delete(live)
                pipe.rename(tmp.elements, key.elements)
                if stored:
                    pipe.rename(tmp.profiles, key.profiles)
                else:
                    pipe.delete(key.profiles)
                if expiry is not None:
                    for name in (key.scores, key.elements, key.profiles, key.hidden):
                        pipe.expireat(name, int(expiry.timestamp()))
            else:
                pipe.delete(key.scores, key.elements, key.profiles, key.hidden)
            self._announce(pipe, [key])
            await pipe.execute()
        self.pages.invalidate()
        return count

    async def _write_batch(
        self, key: BoardKey, batch: Sequence[tuple[str, int, datetime]], hidden: set[str]
    ) -> int:
        """Stage a chunk of rows: HIDDEN members (`hidden`) in the hidden set, others ranked."""
        ranked: dict[str, int] = {}
        kept_apart: dict[str, int] = {}
        elements: dict[str, str] = {}
        for m, score, reached in batch:
            if score > 0:
                elements[m] = element_for(m, reached)
                (kept_apart if m in hidden else ranked)[elements[m]] = score
        if not elements:
            return 0
        async with self.redis.pipeline(transaction=False) as pipe:
            if ranked:
                pipe.zadd(key.scores, ranked)
            if kept_apart:
                pipe.zadd(key.hidden, kept_apart)
            pipe.hset(key.elements, mapping=elements)
            await pipe.execute()
        return len(elements)

    async def _write_profiles(self, key: BoardKey, profiles: Mapping[str, str], chunk: int) -> int:
        """Stored profiles of the members the staging board lists (`HSET` in chunks)."""
        kept = [(member, profile) for member, profile in profiles.items() if profile]
        for first in range(0, len(kept), chunk):
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.hset(key.profiles, mapping=dict(kept[first : first + chunk]))
                await pipe.execute()
        return len(kept)


def _standings(
    start: int, flat: list[Any], profiles: list[Any], own_at: int | None = None
) -> list[Standing]:
    """ZREVRANGE … WITHSCORES through a script comes back flat: [element, score, element, …],
    with the stored profiles of those members beside it (nil: the default profile).

    ANONYMOUS members come back anonymised (`anonymised`: no id, name or avatar, whoever
    reads), so nothing downstream can show them otherwise. `own_at` is the index of a HIDDEN
    member in their own neighbourhood: they have the rank of where they would stand, and the
    visible members after them keep their own ranks (one less than their place in the list)."""
    standings = []
    for position in range(len(flat) // 2):
        element = _text(flat[2 * position])
        member_id = member_of(element)
        stored = profiles[position]
        rank = start + position + 1
        if own_at is not None and position > own_at:
            rank -= 1
        standing = Standing(
            rank=rank,
            score=int(float(_text(flat[2 * position + 1]))),
            member_id=member_id,
            element=element,
            profile=decode_profile(member_id, None if stored is None else _text(stored)),
        )
        standings.append(anonymised(standing))
    return standings


def _board_key_of(elements: str, prefix: str) -> BoardKey | None:
    """The live board and period whose elements hash is `elements` (None for a rebuild's
    staging keys or a name of another shape): `<prefix>lb:{<board>:<PERIOD>:<key>}:elements`."""
    head = f"{prefix}lb:{{"
    if not elements.startswith(head) or not elements.endswith("}:elements"):
        return None
    board_and_period, _, period_key = elements[len(head) : -len("}:elements")].rpartition(":")
    board, _, period = board_and_period.rpartition(":")
    if period not in BoardPeriod.__members__:
        return None
    return BoardKey(board, BoardPeriod(period), period_key)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


PAGE_TTL_S = 1.0
T = TypeVar("T")
_caches: weakref.WeakSet[MicroCache[Any]] = weakref.WeakSet()


class MicroCache(Generic[T]):
    """A per-process cache of values at most `ttl_s` old, computed once per burst.

    Single flight: concurrent calls for a key that is not cached await one computation (run as
    its own task, so a caller that goes away does not cancel it for the others). An entry
    expires `ttl_s` after its computation *started*, so what it serves was read from Redis at
    most `ttl_s` ago. A failed computation is not cached. `invalidate()` drops every entry and
    detaches computations under way (their callers still get their result; later ones
    compute afresh). `clock` is injectable for tests.
    """

    def __init__(
        self,
        ttl_s: float,
        max_entries: int = 4096,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self.clock = clock
        self._entries: dict[Hashable, tuple[float, T]] = {}
        self._flights: dict[Hashable, asyncio.Task[T]] = {}
        self._generation = 0
        _caches.add(self)

    async def get(
        self,
        key: Hashable,
        compute: Callable[[], Awaitable[T]],
        keep: Callable[[T], bool] | None = None,
    ) -> T:
        """The cached value of `key`, or the one computation under way, or a new one; with
        `keep`, a computed value that fails it is returned but not cached."""
        entry = self._entries.get(key)
        if entry is not None:
            if entry[0] > self.clock():
                return entry[1]
            del self._entries[key]
        flight = self._flights.get(key)
        if flight is None:
            flight = asyncio.ensure_future(self._compute(key, compute, keep, self._generation))
            self._flights[key] = flight
        return await asyncio.shield(flight)

    async def _compute(
        self,
        key: Hashable,
        compute: Callable[[], Awaitable[T]],
        keep: Callable[[T], bool] | None,
        generation: int,
    ) -> T:
        expires = self.clock() + self.ttl_s
        try:
            value = await compute()
        finally:
            if self._generation == generation:
                self._flights.pop(key, None)
        if self._generation == generation and (keep is None or keep(value)):
            if len(self._entries) >= self.max_entries:
                now = self.clock()
                self._entries = {k: e for k, e in self._entries.items() if e[0] > now}
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
            self._entries[key] = (expires, value)
        return value

    def fresh(self, key: Hashable) -> bool:
        """Whether `key` is cached and not expired (a value `get` would return at once)."""
        entry = self._entries.get(key)
        return entry is not None and entry[0] > self.clock()

    def invalidate(self) -> None:
        self._generation += 1
        self._entries.clear()
        self._flights.clear()


def invalidate_read_caches() -> None:
    """Drop every micro-cached page of this process (a profile changed, a test reset state)."""
    for cache in list(_caches):
        cache.invalidate()
