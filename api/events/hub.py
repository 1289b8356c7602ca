"""Process-wide fan-out of pub/sub channels: one Redis pub/sub connection per API process.

Every API process receives only the channels its open subscriptions need: a member's events
(`<namespace>:member-events:<member id>`) or a board's changes
(`<namespace>:leaderboard-changed:<board>:<period>`). The hub subscribes to a channel when its
first local listener arrives and unsubscribes when the last one leaves. Each listener gets a
bounded queue; a listener that falls behind loses its oldest messages (logged, unless it only
wants the latest), never blocks the others.

One reader task owns the reads. On any Redis failure it logs, backs off (0.1 s doubling to 5 s),
opens a fresh pub/sub connection and subscribes again to every channel still wanted. Events
published while it was disconnected are not replayed (pub/sub keeps nothing): clients catch up
with `Member.events`. It pings Redis when the connection has been idle, so a silently dead
connection is noticed too.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from domain.infra.cancel import cancel_and_wait

log = logging.getLogger("plaudit.events.hub")

QUEUE_SIZE = 100
READ_TIMEOUT = 1.0  # seconds one read waits, so the loop notices failed commands promptly
PING_AFTER = 15.0  # idle seconds before the reader pings Redis
DEAD_AFTER = 45.0  # seconds without any reply (pings included) before it reconnects
BACKOFF_MIN = 0.1
BACKOFF_MAX = 5.0
STOP_WITHIN_S = 2.0  # the reader's own stop at close

Payload = dict[str, Any]
# A listener's queue: events as published (`domain.members.events.payload`), then None once
# the hub closes.
Listener = asyncio.Queue[Payload | None]


class EventHub:
    def __init__(self, redis: Redis, *, queue_size: int = QUEUE_SIZE) -> None:
        self._redis = redis
        self._queue_size = queue_size
        # Channel name -> its local listeners, and which of those only want the latest message.
        self._listeners: dict[str, set[Listener]] = {}
        self._latest_only: set[Listener] = set()
        self._pubsub: PubSub | None = None
        # Channels the current connection is subscribed to (or asked to be).
        self._subscribed: set[str] = set()
        # A SUBSCRIBE/UNSUBSCRIBE failed: the reader starts over on a fresh connection.
        self._stale = False
        # Serialises subscription commands, pings and (re)connections; reads do not take it.
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._backoff = BACKOFF_MIN
        self._closed = False

    @contextlib.asynccontextmanager
    async def listen(self, name: str, *, latest_only: bool = False) -> AsyncIterator[Listener]:
        """The channel's messages, as they are published, for as long as this is open.
        `latest_only`: the queue holds one message, the newest (a listener that coalesces
        bursts loses nothing it wants, so nothing is logged)."""
        if self._closed:
            raise RuntimeError("the event hub is closed")
        queue: Listener = asyncio.Queue(1 if latest_only else self._queue_size)
        if latest_only:
            self._latest_only.add(queue)
        listeners = self._listeners.setdefault(name, set())
        listeners.add(queue)
        self._start()
        try:
            if len(listeners) == 1:
                await self._sync(name)
            yield queue
        finally:
            listeners.discard(queue)
            self._latest_only.discard(queue)
            if not listeners and self._listeners.get(name) is listeners:
                del self._listeners[name]
                # If this is interrupted, the reader unsubscribes at the channel's next message.
                await self._sync(name)

    def listening(self, name: str) -> int:
        """How many local listeners the channel has (for tests and diagnostics)."""
        return len(self._listeners.get(name, ()))

    async def close(self) -> None:
        """Stop the reader, drop the connection, and end every listener's stream."""
        self._closed = True
        if self._task is not None:
            await cancel_and_wait(self._task, within_s=STOP_WITHIN_S)  # one cancel can be lost
            self._task = None
        await self._disconnect()
        for listeners in self._listeners.values():
            for queue in listeners:
                _offer(queue, None, "", quiet=True)

    def _start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="plaudit-event-hub")

    async def _sync(self, name: str) -> None:
        """Subscribe to, or unsubscribe from, the channel as local listeners require."""
        async with self._lock:
            pubsub = self._pubsub
            if pubsub is None or self._stale:
                return  # (re)connecting: the reader subscribes to what is wanted then
            wanted = name in self._listeners
            if wanted == (name in self._subscribed):
                return
            try:
                if wanted:
                    await pubsub.subscribe(name)
                    self._subscribed.add(name)
                else:
                    self._subscribed.discard(name)
                    await pubsub.unsubscribe(name)
            except Exception as exc:
                log.warning("live events: pub/sub command failed (%s); reconnecting", exc)
                self._stale = True

    async def _run(self) -> None:
        while not self._closed:
            try:
                pubsub = await self._connect()
                await self._read(pubsub)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning(
                    "live events: Redis pub/sub failed (%s: %s); reconnecting in %.1fs",
                    type(exc).__name__,
                    exc,
                    self._backoff,
                )
            await self._disconnect()
            await asyncio.sleep(self._backoff)
            self._backoff = min(BACKOFF_MAX, self._backoff * 2)

    async def _connect(self) -> PubSub:
        async with self._lock:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.connect()  # type: ignore[no-untyped-call]
                wanted = set(self._listeners)
                if wanted:
                    await pubsub.subscribe(*wanted)
            except BaseException:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
                raise
            self._pubsub, self._subscribed, self._stale = pubsub, wanted, False
            return pubsub

    async def _disconnect(self) -> None:
        async with self._lock:
            pubsub, self._pubsub = self._pubsub, None
            self._subscribed = set()
        if pubsub is not None:
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def _read(self, pubsub: PubSub) -> None:
        """Dispatch messages until the connection fails (this only returns by raising)."""
        loop = asyncio.get_running_loop()
        heard = loop.time()
        pinged = False
        while True:
            if self._stale:
                raise ConnectionError("a subscription command failed")
            message = await pubsub.get_message(timeout=READ_TIMEOUT)
            self._backoff = BACKOFF_MIN  # the connection works
            now = loop.time()
            if message is None:
                if now - heard > DEAD_AFTER:
                    raise ConnectionError(f"no reply from Redis in {DEAD_AFTER:.0f}s")
                if now - heard > PING_AFTER and not pinged:
                    async with self._lock:
                        await pubsub.ping()
                    pinged = True
                continue
            heard, pinged = now, False
            if message["type"] == "message":
                await self._dispatch(message["channel"], message["data"])

    async def _dispatch(self, raw_channel: bytes | str, data: bytes | str) -> None:
        name = raw_channel.decode() if isinstance(raw_channel, bytes) else raw_channel
        listeners = self._listeners.get(name)
        if not listeners:
            await self._sync(name)  # nobody listens here any more: a missed unsubscribe
            return
        try:
            payload = json.loads(data)
        except ValueError:
            log.warning("live events: ignoring a malformed message on %s", name)
            return
        for queue in list(listeners):
            _offer(queue, payload, name, quiet=queue in self._latest_only)


def _offer(queue: Listener, item: Payload | None, name: str, *, quiet: bool = False) -> None:
    """Queue `item`; a full queue (a subscriber too slow to keep up) loses its oldest message."""
    if queue.full():
        queue.get_nowait()
        if item is not None and not quiet:
            log.warning("live events: a slow subscriber of %s lost its oldest event", name)
    queue.put_nowait(item)
