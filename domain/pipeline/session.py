"""A session: the award work of one transaction, for members it holds locked.

`Session.open` reads the program and, for the members, what `Demand` says the work can touch;
`chain(member_id)` hands out the award chain of one member; `write` stores every change with
one statement per table and arranges, once the transaction commits, the projection of the new
scores to Redis and the publication of the new events (invariant 3: commit first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.infra.db import after_commit, after_commit_batch, matching, touch_members
from domain.infra.settings import Settings
from domain.leaderboards import scores as leaderboards
from domain.leaderboards.store import LeaderboardStore
from domain.members import events
from domain.models import Action, Member
from domain.pipeline.chain import Chain
from domain.pipeline.changes import Changes
from domain.pipeline.state import Demand, Loaded, Program, load
from domain.program import definitions, tier_ladder

if TYPE_CHECKING:
    from domain.runtime import Runtime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


async def load_program(
    connection: BaseDBAsyncClient, settings: Settings, action_keys: Iterable[str] = ()
) -> Program:
    keys = sorted(set(action_keys))
    actions = (
        {a.key: a for a in await matching(Action, key__in=keys).using_db(connection)}
        if keys
        else {}
    )
    return Program(
        tz=settings.tz,
        policy=tier_ladder.TierPolicy.of(settings),
        ladder=await tier_ladder.load_ladder(connection),
        definitions=await definitions.cache.current(connection),
        actions=actions,
    )


@dataclass
class Session:
    connection: BaseDBAsyncClient
    program: Program
    loaded: Loaded
    store: LeaderboardStore | None
    clock: Clock
    changes: Changes

    @classmethod
    async def open(
        cls,
        connection: BaseDBAsyncClient,
        program: Program,
        store: LeaderboardStore | None,
        members: Iterable[Member],
        demand: Demand,
        *,
        clock: Clock = utc_now,
    ) -> Session:
        """Load what `demand` needs for `members`, which the caller has locked. The session
        reads the clock once: its loads and every chain see the same moment, so a batch that
        straddles midnight still adds to the very periods whose scores it loaded. The
        members' cached reads are dropped once the transaction commits (`touch_members`): a
        session is how every credit, badge, challenge, streak and tier change is written."""
        members = list(members)
        touch_members(member.id for member in members)
        now = clock()
        loaded = await load(connection, program, members, demand, now)
        return cls(connection, program, loaded, store, lambda: now, Changes())

    @classmethod
    async def for_member(
        cls, connection: BaseDBAsyncClient, runtime: Runtime, member: Member, now: datetime
    ) -> Session:
        """A session for one locked member whose credits at `now` may move goals (admin
        credits, hand-awarded and backfilled badges)."""
        program = await load_program(connection, runtime.settings)
        demand = Demand(moments={now})
        return await cls.open(
            connection, program, runtime.leaderboards, [member], demand, clock=lambda: now
        )

    def chain(self, member_id: str, now: datetime | None = None) -> Chain:
        state = self.loaded.states[member_id]
        return Chain(self.program, state, self.changes, self.loaded.places, now or self.clock())

    async def write(self) -> None:
        """Store the changes in the open transaction; project and publish once it commits."""
        from domain.pipeline.writes import write

        await write(self.connection, self.changes, self.program.definitions.webhook_events)
        for event in self.changes.events:
            after_commit_batch("member-events", event, events.publish)
        updates = list(self.changes.scores.values())
        store = self.store
        if updates and store is not None:
            after_commit(lambda: leaderboards.project(store, updates))
