"""Read versions: what tells a cached answer (`api.read_cache`) that it is still the truth.

A member's answers depend on their own rows, the program's definitions and the clock. Every
write that changes what a member sees says so in its transaction (`domain.infra.db.touch_member`,
`touch_program`); this module turns that into two things in Redis, per member and for the
program as a whole:

- a **version**: an opaque random token, replaced by every such write. A cached answer records
  the tokens it was computed under and is served only while they are still the current ones.
  Tokens are random, never counters: a version key that expires or is lost (Redis restarted
  empty, a key evicted) comes back as a token no stored answer holds, so nothing can match by
  accident;
- a **writing** mark: how many writers are between "about to commit" and "committed and told".
  Readers that see one execute the query and store nothing.

The protocol, read-your-writes included:

1. before its commit a writer marks each member it touched: `writing += 1` and a new version
   (`MARK`); the mark expires after `WRITING_TTL_MS` should the writer die before step 3;
2. it commits;
3. it replaces the version again and takes its mark back (`DONE`), before any after-commit hook
   (so before a live event or a webhook can tell anybody about the change).

A reader reads the versions and the marks before it executes, and stores its answer under those
versions only when nobody was writing. An answer computed before a commit therefore carries a
version that step 1 or 3 replaced; an answer computed between steps 1 and 3 is never stored; one
computed after step 3 saw the commit. A writer whose transaction rolls back runs `DONE` too.

Keys live in the program's namespace, hash-tagged per member (`<namespace>:rc:{m:<tag>}:...`; the
program's under `{p}`), and no command or script touches two members' keys, so all of it runs
unchanged on a Redis Cluster. Version keys expire a while after the answers that may refer to them.

Redis outages: every operation here fails open. A writer that cannot mark still commits (the
database is the truth), readers execute uncached, and one WARNING is logged per outage
(`domain.infra.outages`). Whoever saw Redis fail owes a new program version, paid with its first
command once Redis answers again: every answer stored before or during the outage is then dead,
whatever writes could not say so meanwhile.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import NoScriptError, RedisError

from domain.infra import outages
from domain.infra.redis import literal_pattern

log = logging.getLogger("plaudit.read_cache")

# A writer that dies between its mark and its commit's end stops holding the member's reads off
# the cache after this (they are executed meanwhile, never served stale).
WRITING_TTL_MS = 120_000
# A version key outlives the longest-lived answer that may refer to it by this much.
VERSION_MARGIN_MS = 60_000
# How long a Redis command of the cache may take before it counts as an outage.
TIMEOUT_S = 2.0

# Member ids used as they are inside the hash tag: no braces (they delimit the tag), no colon or
# space (they delimit key parts), at most 64 characters. Any other id is tagged by a digest,
# prefixed with `#`, which no id used as it is can start with.
_PLAIN_TAG = re.compile(r"[A-Za-z0-9._@+=-]{1,64}")

# KEYS: version, writing. ARGV: new version token, version TTL in ms (0: none), writing TTL ms.
MARK = """
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
if tonumber(ARGV[2]) > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
return 1
"""
# KEYS: version, writing. ARGV: new version token, version TTL in ms (0: none). The count of
# writers never goes below zero: a mark that expired is not taken back twice.
DONE = """
if tonumber(ARGV[2]) > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
local writing = tonumber(redis.call('GET', KEYS[2]) or '0')
if writing <= 1 then
  redis.call('DEL', KEYS[2])
else
  redis.call('DECR', KEYS[2])
end
return 1
"""
# KEYS: entry, version. ARGV: the version the answer was computed under, the answer, its TTL
# in ms, the version's TTL in ms. Stored only while that version is still the member's: an
# answer a write overtook is never kept (nor left behind by an erasure).
STORE = """
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1
"""


def member_tag(member_id: str) -> str:
    """The member's part of their keys' hash tag: the id itself when it is safe there, else a
    digest of it."""
    if _PLAIN_TAG.fullmatch(member_id):
        return member_id
    return "#" + hashlib.sha256(member_id.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Keys:
    """One hash slot's keys: a member's (`{m:<tag>}`) or the program's (`{p}`)."""

    slot: str  # `<namespace>:rc:{m:<tag>}` or `<namespace>:rc:{p}`

    @property
    def version(self) -> str:
        return f"{self.slot}:v"

    @property
    def writing(self) -> str:
        return f"{self.slot}:w"

    def entry(self, digest: str) -> str:
        """A cached answer of this member (the caller's digest names it)."""
        return f"{self.slot}:e:{digest}"


def member_keys(namespace: str, member_id: str) -> Keys:
    return Keys(f"{namespace}:rc:{{m:{member_tag(member_id)}}}")


def program_keys(namespace: str) -> Keys:
    return Keys(f"{namespace}:rc:{{p}}")


def new_token() -> bytes:
    return secrets.token_hex(8).encode()


@dataclass(frozen=True)
class Snapshot:
    """What a reader found before executing: the stored answer (if any) and the versions."""

    entry: bytes | None
    member: bytes | None  # the member's version token; None when it does not exist yet
    program: bytes | None
    writing: bool  # a writer of this member or of the program is between mark and done

    @property
    def storable(self) -> bool:
        """Whether an answer computed now may be stored under these versions."""
        return not self.writing and self.member is not None and self.program is not None


class ReadVersions:
    """This process's side of the versions: writers' marks, readers' snapshots and stores."""

    def __init__(self, redis: Redis, namespace: str, *, entry_ttl_ms: int) -> None:
        self.redis = redis
        self.namespace = namespace
        self.entry_ttl_ms = entry_ttl_ms
        self.version_ttl_ms = entry_ttl_ms + VERSION_MARGIN_MS
        self.program = program_keys(namespace)
        # Redis failures seen, and how many of them a new program version has paid for: while
        # some are unpaid, the next round trip that reaches Redis first replaces the program's
        # version (every stored answer is then dead).
        self._failures = 0
        self._paid_for = 0
        self._mark = _Script(MARK)
        self._done = _Script(DONE)
        self._store = _Script(STORE)

    @property
    def owed(self) -> bool:
        return self._failures > self._paid_for

    def keys_of(self, member_id: str) -> Keys:
        return member_keys(self.namespace, member_id)

    # --- writers ------------------------------------------------------------------------

    async def mark(self, members: Collection[str], program: bool) -> None:
        """Before a commit: these members (and the program) are being written."""
        await self._run(self._mark, members, program, [str(WRITING_TTL_MS)])

    async def done(self, members: Collection[str], program: bool) -> None:
        """After the commit (or its rollback): new versions, and the marks taken back."""
        await self._run(self._done, members, program, [])

    async def _run(
        self, script: _Script, members: Collection[str], program: bool, extra: list[str]
    ) -> None:
        calls: list[tuple[list[str], list[str]]] = []
        for member_id in sorted(set(members)):
            keys = self.keys_of(member_id)
            args = [new_token().decode(), str(self.version_ttl_ms), *extra]
            calls.append(([keys.version, keys.writing], args))
        if program:
            args = [new_token().decode(), "0", *extra]
            calls.append(([self.program.version, self.program.writing], args))
        if calls:
            await self._round_trip(lambda debt: script.run(self.redis, calls, debt))

    # --- readers ------------------------------------------------------------------------

    async def snapshot(self, member_id: str, digest: str | None) -> Snapshot | None:
        """The stored answer `digest` (None: do not read one), the versions and the writing
        marks of the member and the program, in one round trip; None when Redis fails."""
        keys = self.keys_of(member_id)
        member_keys = [keys.version, keys.writing]
        if digest is not None:
            member_keys.append(keys.entry(digest))

        async def send(debt: list[tuple[Any, ...]]) -> list[Any]:
            async with self.redis.pipeline(transaction=False) as pipe:
                for command in debt:
                    pipe.execute_command(*command)
                pipe.mget(member_keys)
                pipe.mget([self.program.version, self.program.writing])
                return await pipe.execute()

        results = await self._round_trip(send)
        if results is None:
            return None
        member, program = results[-2], results[-1]
        return Snapshot(
            entry=member[2] if digest is not None else None,
            member=member[0],
            program=program[0],
            writing=_writing(member[1]) or _writing(program[1]),
        )

    async def versions(self, member_id: str) -> Snapshot | None:
        """Like `snapshot` without an answer, creating the versions that do not exist yet (a
        member's first read, or a version key that expired): a second round trip, on the
        path that executes anyway."""
        keys = self.keys_of(member_id)

        async def send(debt: list[tuple[Any, ...]]) -> list[Any]:
            async with self.redis.pipeline(transaction=False) as pipe:
                for command in debt:
                    pipe.execute_command(*command)
                pipe.set(keys.version, new_token(), nx=True, px=self.version_ttl_ms)
                pipe.mget([keys.version, keys.writing])
                pipe.set(self.program.version, new_token(), nx=True)
                pipe.mget([self.program.version, self.program.writing])
                return await pipe.execute()

        results = await self._round_trip(send)
        if results is None:
            return None
        member, program = results[-3], results[-1]
        return Snapshot(
            entry=None,
            member=member[0],
            program=program[0],
            writing=_writing(member[1]) or _writing(program[1]),
        )

    async def store(
        self, member_id: str, digest: str, version: bytes, value: bytes, ttl_ms: int
    ) -> bool:
        """Keep an answer computed under the member's `version` for `ttl_ms`, if that is still
        their version; the version key then lives at least as long. Whether it was kept."""
        keys = self.keys_of(member_id)
        args: list[str | bytes] = [version, value, str(max(1, ttl_ms)), str(self.version_ttl_ms)]
        call = ([keys.entry(digest), keys.version], args)
        results = await self._round_trip(lambda debt: self._store.run(self.redis, [call], debt))
        return results is not None and bool(results[0])

    async def forget(self, member_id: str) -> int:
        """Delete every key of the member's slot (their answers hold their data): an erasure's.
        A scan of the keyspace, as erasures are rare. Raises Redis's errors (the caller's hook
        is logged as an outage)."""
        pattern = literal_pattern(self.keys_of(member_id).slot) + ":*"
        doomed = [key async for key in self.redis.scan_iter(match=pattern, count=1000)]
        if doomed:
            await self.redis.delete(*doomed)
        return len(doomed)

    # --- outages ------------------------------------------------------------------------

    async def settle(self) -> None:
        """Pay what an outage left owing now, if Redis answers (a worker does it as soon as it
        reconnects and with every heartbeat, so that it does not wait for its next write)."""
        if self.owed:
            await self._round_trip(self._pay_only)

    async def _pay_only(self, debt: list[tuple[Any, ...]]) -> list[Any]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for command in debt:
                pipe.execute_command(*command)
            return await pipe.execute()

    async def _round_trip(
        self, send: Callable[[list[tuple[Any, ...]]], Awaitable[list[Any]]]
    ) -> list[Any] | None:
        """`send(debt)`: one round trip that runs the outage's debt first (`_debt`), within
        `TIMEOUT_S`. Its results, or None when Redis failed (counted, and logged once per
        outage); a success pays the debt."""
        failures, debt = self._debt()
        try:
            async with asyncio.timeout(TIMEOUT_S):
                results = await send(debt)
        except (RedisError, OSError, TimeoutError) as exc:
            self.failed(exc)
            return None
        self._paid(failures)
        return results

    def failed(self, exc: BaseException) -> None:
        """Redis failed: one WARNING per outage, and a new program version owed."""
        self._failures += 1
        outages.redis.failed(exc)

    def _debt(self) -> tuple[int, list[tuple[Any, ...]]]:
        """The failures seen so far, and the command that pays for them (a new program
        version), to run first in the next round trip; none when nothing is owed."""
        if not self.owed:
            return self._failures, []
        return self._failures, [("SET", self.program.version, new_token())]

    def _paid(self, failures: int) -> None:
        """A round trip that carried the debt of `failures` failures succeeded."""
        if failures > self._paid_for:
            self._paid_for = failures
            log.info("Redis answers again: the answers cached before were dropped")
        if outages.redis.down:
            outages.redis.ok()


def _writing(raw: bytes | None) -> bool:
    if raw is None:
        return False
    try:
        return int(raw) > 0
    except ValueError:
        return True  # not a count we wrote: stay off the cache


class _Script:
    """A Lua script run by EVALSHA in a pipeline, once per (keys, args): one round trip. The
    script is loaded only when Redis answers NOSCRIPT (a restarted or flushed server)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode()).hexdigest()

    async def run(
        self,
        redis: Redis,
        calls: Sequence[tuple[list[str], Sequence[str | bytes]]],
        first: list[tuple[Any, ...]],
    ) -> list[Any]:
        """The calls' results, in order (what `first` returned is left out)."""
        for attempt in range(2):
            async with redis.pipeline(transaction=False) as pipe:
                for command in first:
                    pipe.execute_command(*command)
                for keys, args in calls:
                    pipe.evalsha(self.sha, len(keys), *keys, *args)  # type: ignore[arg-type]
                results = await pipe.execute(raise_on_error=False)
            missing = any(isinstance(result, NoScriptError) for result in results)
            if not missing or attempt:
                break
            await redis.script_load(self.source)
        for result in results:
            if isinstance(result, Exception):
                raise result
        return list(results[len(first) :])
