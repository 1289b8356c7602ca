"""Members: enrolment on first contact, profiles."""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from redis.exceptions import RedisError
from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from domain.errors import DomainError, ErrorCode, invalid_input
from domain.infra.db import after_commit, insert_rows, raw_timestamp, touch_member, transaction
from domain.leaderboards import profiles as board_profiles
from domain.leaderboards.store import LeaderboardStore
from domain.members import events, profiles
from domain.models import Member
from domain.models.members import ERASED_PREFIX

# Re-exported: the API and the features name it from here.
from gamification.leaderboards import Visibility
from gamification.leaderboards import default_display_name as default_display_name
from gamification.referrals import new_code

MAX_MEMBER_ID = 128
REFRESH_TIMEOUT_S = 0.25


class _RecentlyEnrolled:
    """Member ids known to exist, so a busy member's requests skip the enrolment insert.

    An erased member's row is gone, and a process that still remembered the id would skip
    enrolling the subject when it returns. The erasing process forgets the id at once
    (`discard`); every erasure also bumps a counter in Redis (`erasures_key`), which the others
    read at most once every `check_every_s` (`refresh`) and which makes them forget every id.
    Should Redis not answer, no id is trusted for longer than `ttl_s`.
    """

    def __init__(
        self,
        capacity: int = 100_000,
        ttl_s: float = 60.0,
        check_every_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = capacity
        self.ttl_s = ttl_s
        self.check_every_s = check_every_s
        self.clock = clock
        self._ids: OrderedDict[str, float] = OrderedDict()
        self._erasures: int | None = None  # the counter when last read
        self._checked_until = -math.inf

    async def refresh(self) -> None:
        """Forget every id when an erasure happened since the last look (at most one Redis
        read every `check_every_s`; nothing without Redis: then `ttl_s` bounds the trust)."""
        now = self.clock()
        if now < self._checked_until:
            return
        self._checked_until = now + self.check_every_s
        redis = events.publisher.redis
        if redis is None:
            return
        try:
            # A slow Redis must not slow a request down: the TTL covers a missed look.
            async with asyncio.timeout(REFRESH_TIMEOUT_S):
                raw = await redis.get(erasures_key(events.publisher.namespace))
        except (RedisError, OSError, TimeoutError):
            return
        seen = int(raw or 0)
        if self._erasures is not None and seen != self._erasures:
            self._ids.clear()
        self._erasures = seen

    def __contains__(self, member_id: str) -> bool:
        until = self._ids.get(member_id)
        if until is None:
            return False
        if until <= self.clock():
            del self._ids[member_id]
            return False
        self._ids.move_to_end(member_id)
        return True

    def add(self, member_id: str) -> None:
        self._ids[member_id] = self.clock() + self.ttl_s
        self._ids.move_to_end(member_id)
        if len(self._ids) > self.capacity:
            self._ids.popitem(last=False)

    def discard(self, member_id: str) -> None:
        self._ids.pop(member_id, None)

    def clear(self) -> None:
        self._ids.clear()
        self._erasures = None
        self._checked_until = -math.inf


def erasures_key(namespace: str) -> str:
    """The Redis counter every erasure bumps (it holds no member id)."""
    return f"{namespace}:erasures" if namespace else "erasures"


recently_enrolled = _RecentlyEnrolled()


def is_erased(member_id: str) -> bool:
    """Whether `member_id` names the anonymous rows of an erased member."""
    return member_id.startswith(ERASED_PREFIX)


def check_member_id(member_id: str, *field: str) -> str:
    if not member_id or len(member_id) > MAX_MEMBER_ID or not member_id.isprintable():
        raise invalid_input(
            f"a member id is 1 to {MAX_MEMBER_ID} printable characters", *(field or ("memberId",))
        )
    if is_erased(member_id):
        # No token, import or admin may reach (or enrol) an erased member's anonymous rows.
        raise invalid_input(
            f"member ids beginning with {ERASED_PREFIX!r} are reserved for erased members",
            *(field or ("memberId",)),
        )
    return member_id


async def enrol(member_id: str) -> None:
    """Make sure the member exists (idempotent, race-free: INSERT … ON CONFLICT DO NOTHING)."""
    await recently_enrolled.refresh()
    if member_id in recently_enrolled:
        return
    check_member_id(member_id)
    # One autocommit statement: the ORM's bulk_create wraps even one row in a transaction.
    for attempt in range(CODE_ATTEMPTS):
        try:
            await enrol_all(connections.get("default"), [member_id], datetime.now(UTC))
            break
        except IntegrityError:
            # The fresh referral code (about 50 bits) collided with another member's: draw again.
            if attempt == CODE_ATTEMPTS - 1:
                raise
    recently_enrolled.add(member_id)


MEMBER_COLUMNS = {
    "id": "",
    "display_name": "",
    "joined_at": "",
    "balance": "",
    "lifetime": "",
    "referral_code": "",
}
CODE_ATTEMPTS = 3


async def enrol_all(connection: BaseDBAsyncClient, member_ids: list[str], now: datetime) -> None:
    """Enrol every member not enrolled yet, each with a fresh referral code, in one INSERT …
    ON CONFLICT DO NOTHING (the caller has checked the ids)."""
    joined = raw_timestamp(now)
    rows: list[list[object]] = [
        [member_id, default_display_name(member_id), joined, 0, 0, new_code()]
        for member_id in member_ids
    ]
    await insert_rows(
        connection, "member", MEMBER_COLUMNS, rows, on_conflict="ON CONFLICT (id) DO NOTHING"
    )


def could_exist(member_id: str) -> bool:
    """Whether `member_id` can name a member at all (lookups skip those that cannot)."""
    return 0 < len(member_id) <= MAX_MEMBER_ID


async def get_member(member_id: str) -> Member | None:
    if not could_exist(member_id):
        return None
    return await Member.get_or_none(id=member_id)


async def update_profile(
    member_id: str,
    display_name: str | None,
    avatar_url: str | None,
    *,
    boards: LeaderboardStore,
    tz: ZoneInfo,
) -> Member:
    """Change the member's public name and avatar; once committed, every board that lists
    them shows the new ones (`domain.leaderboards.profiles.changed`)."""
    updates: dict[str, str | None] = {}
    if display_name is not None:
        name = " ".join(display_name.split())
        if not 1 <= len(name) <= 100:
            raise invalid_input("displayName must be 1 to 100 characters", "input", "displayName")
        updates["display_name"] = name
    if avatar_url is not None:
        if avatar_url == "":
            updates["avatar_url"] = None
        elif len(avatar_url) > 2048 or not avatar_url.startswith(("https://", "http://")):
            raise invalid_input(
                "avatarUrl must be an http(s) URL of at most 2048 characters",
                "input",
                "avatarUrl",
            )
        else:
            updates["avatar_url"] = avatar_url
    await enrol(member_id)
    async with transaction() as connection:
        if updates:
            touch_member(member_id)
            await Member.filter(id=member_id).using_db(connection).update(**updates)
        member = await Member.filter(id=member_id).using_db(connection).first()
        if member is not None and updates:
            found = member
            after_commit(
                lambda: board_profiles.changed(
                    boards,
                    member_id,
                    found.display_name,
                    found.avatar_url,
                    datetime.now(UTC),
                    tz,
                    Visibility(found.leaderboard_visibility),
                )
            )
    if member is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such member")
    profiles.cache.forget(member_id)
    return member


async def lock_member(connection: BaseDBAsyncClient, member_id: str) -> Member:
    """Load the member and lock their row until commit (SQLite: the transaction holds the lock).

    Whoever locks a member writes what the member reads: the member's cached reads are dropped
    once the transaction commits (`touch_member`), so every service that changes a member under
    the lock is covered without saying so."""
    if not could_exist(member_id):
        raise DomainError(ErrorCode.NOT_FOUND, f"no member {member_id[:100]!r}")
    touch_member(member_id)
    member = await Member.select_for_update().using_db(connection).get_or_none(id=member_id)
    if member is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no member {member_id!r}")
    return member
