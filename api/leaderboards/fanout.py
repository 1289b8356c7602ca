"""Live boards at scale: one feed per board and period in each API process, shared by every
subscriber of that board and period.

A feed owns one listener on the board's change channel (`EventHub`: one Redis pub/sub
connection per process). When a write is announced, the feed ticks: at most once a second, it
reads the top (as deep as its deepest subscriber's `top`) and the entry of every subscriber
with a token, in one batch of script calls sent together, chunked so that no script holds
Redis up for long (`READ_CHUNK`); the names and avatars come with the standings (the board keeps
its members' profiles beside it, `domain.leaderboards.profiles`). Each
subscriber whose top or own entry differs from what it was last sent is offered the tick;
what the tick renders is kept in it, once per (top, selection set): `Tick.template` for the
pre-rendered path (`api.leaderboards.live.Prerendered`), `Tick.update` (shared entry objects)
for subscriptions executed as usual. Per subscriber there is only the comparison, its own
entry, and its send.

A subscriber's mailbox holds one delivery, the newest: a subscriber whose socket is slow skips
the standings it had no time for and gets the latest when it catches up; nobody waits for it
(the feed never awaits a send). A socket that stops reading altogether is closed by the
WebSocket keepalive (uvicorn pings every 20 s).

The standings as a subscription opens are its baseline (not pushed): read on its own as it
joins; a tick during that read is repeated for it. Writes announced while the hub reconnects
are lost (pub/sub keeps nothing), so a feed also re-reads every `RESYNC_S`; a tick that fails
(Redis or the database away) is logged once per outage (`domain.infra.outages`) and retried
with backoff. The feed ends with its last subscriber (its listener and task go with it), or
when the hub closes (every subscription then completes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

import strawberry

from api.events.hub import EventHub, Listener
from api.int_bounds import as_graphql_int
from api.leaderboards.fanout_plan import Row, Selection, Template, template
from api.leaderboards.types import LeaderboardEntry, LeaderboardUpdate
from api.members.public import PublicMember
from domain.infra import outages
from domain.leaderboards.scores import current_board
from domain.leaderboards.store import AroundRead, LeaderboardStore, PageRead
from domain.members.profiles import PublicProfile, public_profiles
from domain.runtime import Runtime
from gamification.leaderboards import (
    BoardKey,
    BoardPeriod,
    BoardProfile,
    Standing,
    change_channel,
    decode_profile,
)

log = logging.getLogger("plaudit.leaderboards.live")

# At most one tick (so one push per subscriber) per board and period per this many seconds.
PUSH_INTERVAL_S = 1.0
# A feed re-reads its board this often without an announcement (announcements lost while the
# hub reconnected); a change found that way is pushed like any other.
RESYNC_S = 15.0
RETRY_MIN_S, RETRY_MAX_S = 0.5, 5.0
# Subscribers' entries read per script call (about 6 ms of Redis at a million members), and
# profiles per query (for standings read without one).
READ_CHUNK = 1_000
PROFILE_CHUNK = 1_000

Entry = tuple[int, int, str]  # rank, score, member id
Snapshot = tuple[tuple[Entry, ...], Entry | None]


class Delivery(NamedTuple):
    """A tick, as offered to one subscriber: the shared part and its own entry."""

    tick: Tick
    me: Row | None


class Follower:
    """One subscription in a feed: what it follows, what it was last sent, and its mailbox
    (one delivery, the newest)."""

    __slots__ = (
        "_closed",
        "_item",
        "_waiter",
        "dropped",
        "missed",
        "pending",
        "sent",
        "top",
        "viewer_id",
    )

    def __init__(self, top: int, viewer_id: str | None) -> None:
        self.top = top
        self.viewer_id = viewer_id
        self.sent: Snapshot | None = None  # None: unknown (the baseline read failed)
        self.pending = True  # the baseline is being read
        self.missed = False  # a tick passed while it was
        self.dropped = 0  # deliveries replaced by a newer one before they were taken
        self._item: Delivery | None = None
        self._closed = False
        self._waiter: asyncio.Future[None] | None = None

    def offer(self, delivery: Delivery) -> None:
        if self._item is not None:
            self.dropped += 1
        self._item = delivery
        self._wake()

    def close(self) -> None:
        self._closed = True
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def next(self) -> Delivery | None:
        """The newest delivery not yet taken (waiting for one); None once the feed ended."""
        while self._item is None:
            if self._closed:
                return None
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        item, self._item = self._item, None
        return item


class Tick:
    """One read of a board, shared by every subscriber it reaches; each rendering of it is
    made once and kept here."""

    def __init__(self, feed: Feed, top: tuple[Row, ...]) -> None:
        self.board = feed.board
        self.period = feed.period
        self.top = top
        self._renders = feed.fanout.renders
        self._templates: dict[tuple[int, int], Template] = {}
        self._entries: list[LeaderboardEntry] | None = None
        self._selections: list[Selection] = []  # keeps the ids of `_templates` unique

    def template(self, top: int, selection: Selection) -> Template:
        """The update's JSON for `top` entries as `selection` selects them (`fill` adds `me`).
        Kept by the selection's identity (a nested tuple hashes anew each time; equal ones are
        one object, `Recogniser`), which this tick's entry keeps alive."""
        key = (top, id(selection))
        found = self._templates.get(key)
        if found is None:
            found = template(selection, self.board, self.period, self.top[:top])
            self._templates[key] = found
            self._selections.append(selection)
            self._renders[(self.board, self.period)] += 1
        return found

    def update(self, top: int, me: Row | None) -> LeaderboardUpdate:
        """The update as objects, for a subscription executed as usual (the entries are
        built once per tick)."""
        if self._entries is None:
            self._entries = [_entry(row) for row in self.top]
        return LeaderboardUpdate(
            board=self.board,
            period=self.period,
            top=self._entries[:top],
            me=None if me is None else _entry(me),
        )


class Feed:
    """One board and period's tick loop and subscribers, in this process."""

    def __init__(self, fanout: Fanout, board: str, period: BoardPeriod) -> None:
        self.fanout = fanout
        self.board = board
        self.period = period
        self.followers: set[Follower] = set()
        self.ended = False
        self.ready = asyncio.Event()
        self._queue: Listener | None = None
        self.task = asyncio.create_task(self._run(), name=f"plaudit-live-{board}-{period.value}")

    @property
    def channel(self) -> str:
        return change_channel(self.board, self.period, self.fanout.store.namespace)

    async def join(self, follower: Follower) -> None:
        """Read the follower's baseline (after the feed listens, so no change falls between)."""
        await self.ready.wait()
        if self.ended:
            follower.close()
            return
        try:
            key = self._key()
            top, mine = await _read(self.fanout.store, key, follower.top, _ids([follower]))
            follower.sent = _snapshot(top, mine.get(follower.viewer_id or ""), follower.top)
        except Exception as exc:
            if not outages.is_outage(exc):
                raise
            outages.of(exc).failed(exc)  # the first tick that reads pushes it its standings
            follower.missed = True
        finally:
            follower.pending = False
        if follower.missed:
            self.poke()

    def leave(self, follower: Follower) -> None:
        self.followers.discard(follower)
        if not self.followers and not self.ended:
            self.stop()

    def stop(self) -> None:
        self.ended = True
        self.task.cancel()
        self.fanout.forget(self)

    def poke(self) -> None:
        """Tick soon (paced as usual), as an announcement would."""
        queue = self._queue
        if queue is not None and queue.empty():
            queue.put_nowait({})

    def _key(self) -> BoardKey:
        now = datetime.now(UTC)
        return current_board(self.board, self.period, now, self.fanout.runtime.settings.tz)

    async def _run(self) -> None:
        try:
            async with contextlib.AsyncExitStack() as stack:
                listening = self.fanout.hub.listen(self.channel, latest_only=True)
                try:
                    queue = await stack.enter_async_context(listening)
                except RuntimeError:
                    return  # the hub is closed: the app is stopping
                self._queue = queue
                self.ready.set()
                await self._serve(queue)
        except Exception:
            # A fault of ours (outages are retried in `_serve`): its subscriptions complete.
            log.exception("live boards: the feed of %s %s failed", self.board, self.period.value)
        finally:
            self.ended = True
            self.ready.set()
            for follower in list(self.followers):
                follower.close()
            self.fanout.forget(self)

    async def _serve(self, queue: Listener) -> None:
        loop = asyncio.get_running_loop()
        ticked_at = float("-inf")
        retry_s: float | None = None  # after a failed tick: when to try again
        failed: outages.Outage | None = None
        while True:
            try:
                item = await asyncio.wait_for(queue.get(), retry_s or RESYNC_S)
            except TimeoutError:
                item = {}
            if item is None:
                return  # the hub closed
            wait = ticked_at + PUSH_INTERVAL_S - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if _closed(queue):
                return
            ticked_at = loop.time()
            try:
                await self._tick()
            except Exception as exc:
                if not outages.is_outage(exc):
                    raise
                failed = outages.of(exc)
                failed.failed(exc)
                retry_s = RETRY_MIN_S if retry_s is None else min(RETRY_MAX_S, retry_s * 2)
                continue
            if failed is not None:
                failed.ok()
                failed = None
            retry_s = None

    async def _tick(self) -> None:
        ready: list[Follower] = []
        for follower in self.followers:
            if follower.pending:
                follower.missed = True  # its baseline may predate this read: tick again
            else:
                ready.append(follower)
        if not ready:
            return
        depth = max(follower.top for follower in ready)
        top, mine = await _read(self.fanout.store, self._key(), depth, _ids(ready))
        self.fanout.ticks += 1
        tops: dict[int, tuple[Entry, ...]] = {}
        changed: list[tuple[Follower, Standing | None, Snapshot]] = []
        for follower in ready:
            shown = tops.get(follower.top)
            if shown is None:
                shown = tops[follower.top] = tuple(_entry_of(s) for s in top[: follower.top])
            me = mine.get(follower.viewer_id) if follower.viewer_id is not None else None
            snapshot = (shown, None if me is None else _entry_of(me))
            if snapshot != follower.sent:
                changed.append((follower, me, snapshot))
        if not changed:
            return
        profiles = await _profiles([*top, *(me for _, me, _ in changed if me is not None)])
        tick = Tick(self, tuple(_row(s, profiles) for s in top))
        rows: dict[str, Row] = {}
        for follower, me, snapshot in changed:
            row = None
            if me is not None:
                row = rows.get(me.member_id)
                if row is None:
                    row = rows[me.member_id] = _row(me, profiles)
            follower.sent = snapshot
            follower.offer(Delivery(tick, row))
        self.fanout.deliveries += len(changed)


class Fanout:
    """This process's feeds, by board and period, and counters for tests and diagnostics."""

    def __init__(self, hub: EventHub, runtime: Runtime) -> None:
        self.hub = hub
        self.runtime = runtime
        self.feeds: dict[tuple[str, BoardPeriod], Feed] = {}
        # Renderings made per board and period: one per tick, `top` and selection set.
        self.renders: Counter[tuple[str, BoardPeriod]] = Counter()
        self.ticks = 0
        self.deliveries = 0

    @property
    def store(self) -> LeaderboardStore:
        return self.runtime.leaderboards

    @contextlib.asynccontextmanager
    async def follow(
        self,
        board: str,
        period: BoardPeriod,
        top: int,
        viewer_id: str | None,
    ) -> AsyncIterator[Follower]:
        """A subscriber of `board` in `period`, for as long as this is open: its `next()`
        gives each change of its top `top` or its own entry (`viewer_id`: None for none)."""
        feed = self.feeds.get((board, period))
        if feed is None or feed.ended:
            feed = self.feeds[(board, period)] = Feed(self, board, period)
        follower = Follower(top, viewer_id)
        feed.followers.add(follower)  # at once: the feed does not stop under a joining follower
        try:
            await feed.join(follower)
            yield follower
        finally:
            feed.leave(follower)

    def forget(self, feed: Feed) -> None:
        if self.feeds.get((feed.board, feed.period)) is feed:
            del self.feeds[(feed.board, feed.period)]

    def following(self, board: str, period: BoardPeriod) -> int:
        """How many subscribers of the board and period hear of its changes here (their
        baseline read)."""
        feed = self.feeds.get((board, period))
        return 0 if feed is None else sum(not f.pending for f in feed.followers)


_fanouts: weakref.WeakKeyDictionary[EventHub, Fanout] = weakref.WeakKeyDictionary()


def fanout_of(hub: EventHub, runtime: Runtime) -> Fanout:
    """The process's fan-out over `hub` (one per hub: the app's, or a test's own)."""
    found = _fanouts.get(hub)
    if found is None:
        found = _fanouts[hub] = Fanout(hub, runtime)
    return found


def _ids(followers: Sequence[Follower]) -> list[str]:
    return list(dict.fromkeys(f.viewer_id for f in followers if f.viewer_id is not None))


async def _read(
    store: LeaderboardStore, key: BoardKey, depth: int, viewers: list[str]
) -> tuple[list[Standing], dict[str, Standing]]:
    """The top `depth` standings and each viewer's own (absent: no score), in one batch of
    script calls sent together, `READ_CHUNK` viewers each."""
    chunks = [viewers[i : i + READ_CHUNK] for i in range(0, len(viewers), READ_CHUNK)] or [[]]
    results = await asyncio.gather(
        *(
            store.read(
                key,
                [*([PageRead(depth, None)] if index == 0 else []), *map(_around, chunk)],
            )
            for index, chunk in enumerate(chunks)
        )
    )
    top: list[Standing] = results[0][0].standings
    mine: dict[str, Standing] = {}
    for index, (chunk, found) in enumerate(zip(chunks, results, strict=True)):
        for viewer, standings in zip(chunk, found[1:] if index == 0 else found, strict=True):
            if standings:
                mine[viewer] = standings[0]
    return top, mine


def _around(member_id: str) -> AroundRead:
    # The subscriber's own entry: they find themselves whatever their visibility.
    return AroundRead(member_id, 0, own=True)


async def _profiles(standings: list[Standing]) -> dict[str, PublicProfile]:
    """The profiles of the standings read without one (none, from a store that keeps profiles
    beside its boards), looked up as `entries_of` does."""
    member_ids = sorted({s.member_id for s in standings if s.profile is None})
    found: dict[str, PublicProfile] = {}
    for first in range(0, len(member_ids), PROFILE_CHUNK):
        for profile in await public_profiles(member_ids[first : first + PROFILE_CHUNK]):
            if profile is not None:
                found[profile.member_id] = profile
    return found


def _entry_of(standing: Standing) -> Entry:
    return (standing.rank, standing.score, standing.member_id)


def _snapshot(top: list[Standing], me: Standing | None, depth: int) -> Snapshot:
    return tuple(_entry_of(s) for s in top[:depth]), None if me is None else _entry_of(me)


def _row(standing: Standing, looked_up: dict[str, PublicProfile]) -> Row:
    """The entry as the API shows it (`entries_of`): the profile read with it, else the one
    looked up, else the default."""
    profile = standing.profile
    if profile is None:
        found = looked_up.get(standing.member_id)
        profile = (
            BoardProfile(found.display_name, found.avatar_url)
            if found
            else decode_profile(standing.member_id, None)
        )
    return Row(
        rank=standing.rank,
        score=as_graphql_int(standing.score, "board score"),
        member_id=standing.member_id,
        display_name=profile.display_name,
        avatar_url=profile.avatar_url,
    )


def _entry(row: Row) -> LeaderboardEntry:
    member = PublicMember(
        id=strawberry.ID(row.member_id), display_name=row.display_name, avatar_url=row.avatar_url
    )
    return LeaderboardEntry(rank=row.rank, score=row.score, member=member)


def _closed(queue: Listener) -> bool:
    """Take what arrived while waiting (the read that follows covers it); True when the hub
    closed meanwhile."""
    with contextlib.suppress(asyncio.QueueEmpty):
        while True:
            if queue.get_nowait() is None:
                return True
    return False
