from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.errors import ClientError
from api.int_bounds import as_graphql_int
from api.leaderboards.lookahead import viewer_id_of
from api.members.public import PublicMember
from api.pagination import PageInfo, clamp_first, clamp_radius
from api.plain_values import plain
from domain.leaderboards.store import AroundRead, PageRead, SizeRead
from domain.members.profiles import public_profiles
from domain.models import LeaderboardArchive as LeaderboardArchiveModel
from gamification import boards
from gamification.leaderboards import (
    BoardKey,
    BoardPeriod,
    BoardProfile,
    Page,
    Standing,
    Visibility,
    anonymised,
    decode_cursor,
    decode_profile,
    encode_cursor,
)
from gamification.periods import Window

LeaderboardPeriod = strawberry.enum(BoardPeriod, name="LeaderboardPeriod")
# What `anonymised` recognises an archived ANONYMOUS entry by (the name is replaced by its rank).
ANONYMOUS_PROFILE = BoardProfile("", None, Visibility.ANONYMOUS)


@plain
@strawberry.type(
    description="Rank 1 is the highest score. "
    "Equal scores: whoever reached the score first ranks higher."
)
class LeaderboardEntry:
    rank: int
    score: int
    member: PublicMember


@plain
@strawberry.type
class LeaderboardEntryEdge:
    cursor: str
    node: LeaderboardEntry


@plain
@strawberry.type
class LeaderboardEntryConnection:
    edges: list[LeaderboardEntryEdge]
    page_info: PageInfo


async def entries_of(info: Info, standings: list[Standing]) -> list[LeaderboardEntry]:
    """The standings as entries. A ranked read of a board returns its members' profiles with
    the standings (`LeaderboardStore.read`); only standings without one (an archive's) are
    looked up, in one call (cached briefly per process, one query for the misses)."""
    missing = [s.member_id for s in standings if s.profile is None]
    looked_up = dict(zip(missing, await public_profiles(missing), strict=True)) if missing else {}
    entries = []
    for standing in standings:
        profile = standing.profile
        if profile is None:
            found = looked_up.get(standing.member_id)
            profile = (
                BoardProfile(found.display_name, found.avatar_url)
                if found
                else decode_profile(standing.member_id, None)
            )
        public = PublicMember(
            id=strawberry.ID(standing.member_id),
            display_name=profile.display_name,
            avatar_url=profile.avatar_url,
        )
        # A score stored before totals were bounded must not break the page for everybody.
        score = as_graphql_int(standing.score, "board score")
        entries.append(LeaderboardEntry(rank=standing.rank, score=score, member=public))
    return entries


@strawberry.type
class Leaderboard:
    board: str = strawberry.field(
        description='Which score: "points" = points credited in the period '
        "(spending does not lower it)."
    )
    period: LeaderboardPeriod  # type: ignore[valid-type]
    _key: strawberry.Private[BoardKey]
    _window: strawberry.Private[Window | None] = None  # the current period; None for ALL_TIME

    @strawberry.field(
        description="Start of the current period (program time zone); null for ALL_TIME."
    )
    def period_start(self) -> datetime | None:
        return self._window.start if self._window is not None else None

    @strawberry.field(description="End (exclusive) of the current period; null for ALL_TIME.")
    def period_end(self) -> datetime | None:
        return self._window.end if self._window is not None else None

    @strawberry.field(description="Members with a score in this board and period.")
    async def size(self, info: Info) -> int:
        size: int = await info.context.boards.reads.load((self._key, SizeRead()))
        return size

    @strawberry.field(
        description="A page of the board: public, so the same page may be served to everybody "
        "for up to a second (it is at most that stale)."
    )
    async def entries(
        self, info: Info, first: int | None = 10, after: str | None = None
    ) -> LeaderboardEntryConnection:
        if after is not None and decode_cursor(after) is None:
            raise ClientError("INVALID_CURSOR", "the cursor is not valid for this list")
        read = PageRead(clamp_first(first, 10), after)
        key = self._key
        pages = info.context.runtime.leaderboards.pages
        connection: LeaderboardEntryConnection = await pages.get(
            (key, read), lambda: _connection(info, key, read)
        )
        return connection

    @strawberry.field(
        description="The entry of `memberId` (default: the viewer) with up to `radius` entries "
        "above and below it. Empty when that member has no score."
    )
    async def around(
        self, info: Info, member_id: strawberry.ID | None = None, radius: int | None = 5
    ) -> list[LeaderboardEntry]:
        if member_id is None:
            viewer = info.context.viewer()
            if viewer is None:
                return []
            member_id = strawberry.ID(viewer.subject)
        # Only the member themselves find a member who is not PUBLIC (`AroundRead.own`).
        own = viewer_id_of(info) == str(member_id)
        read = AroundRead(str(member_id), clamp_radius(radius), own)
        standings: list[Standing] = await info.context.boards.reads.load((self._key, read))
        return await entries_of(info, standings)

    @strawberry.field(
        description="The entry of `memberId` (default: the viewer); null when they have no score."
    )
    async def entry(
        self, info: Info, member_id: strawberry.ID | None = None
    ) -> LeaderboardEntry | None:
        entries = await self.around(info, member_id, radius=0)
        return entries[0] if entries else None


async def _connection(info: Info, key: BoardKey, read: PageRead) -> LeaderboardEntryConnection:
    """A page as the API renders it (profiles included): what the page cache shares."""
    page: Page = await info.context.boards.reads.load((key, read))
    entries = await entries_of(info, page.standings)
    edges = [
        LeaderboardEntryEdge(cursor=encode_cursor(standing), node=entry)
        for standing, entry in zip(page.standings, entries, strict=True)
    ]
    return LeaderboardEntryConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


@strawberry.type(
    description='A leaderboard\'s definition. Built in: "points" (points credited), '
    '"referrals" (converted referrals), "content" (sum of approved content scores, rounded), '
    'and "challenge:<key>" for each challenge (goal progress, in the challenge window).'
)
class BoardDefinition:
    board: str
    name: str
    periods: list[LeaderboardPeriod] = strawberry.field(  # type: ignore[valid-type]
        description="Periods kept for this board."
    )

    @classmethod
    def of(cls, definition: boards.BoardDefinition) -> BoardDefinition:
        return cls(board=definition.board, name=definition.name, periods=list(definition.periods))


@strawberry.type(
    description="One closed period's final standings, kept after the period rolls over."
)
class LeaderboardArchive:
    board: str
    period: LeaderboardPeriod  # type: ignore[valid-type]
    period_start: datetime
    period_end: datetime
    _standings: strawberry.Private[list[Standing]]

    @classmethod
    def from_model(cls, row: LeaderboardArchiveModel) -> LeaderboardArchive:
        # An entry archived as ANONYMOUS stays anonymous (the display of the period when it
        # closed), whatever the member chooses later; the others show the member's profile now.
        standings = [
            anonymised(
                Standing(
                    rank=int(e["rank"]),
                    score=int(e["score"]),
                    member_id=str(e["memberId"]),
                    element="",
                    profile=ANONYMOUS_PROFILE if e.get("anonymous") else None,
                )
            )
            for e in row.entries or []
        ]
        return cls(
            board=row.board,
            period=BoardPeriod(row.period),
            period_start=row.period_start,
            period_end=row.period_end,
            _standings=standings,
        )

    @strawberry.field(
        description="Final top entries (up to the program's archive depth, 100 unless configured)."
    )
    async def entries(self, info: Info) -> list[LeaderboardEntry]:
        return await entries_of(info, self._standings)


@strawberry.type
class LeaderboardUpdate:
    board: str
    period: LeaderboardPeriod  # type: ignore[valid-type]
    top: list[LeaderboardEntry] = strawberry.field(
        description="Current top entries after the change (up to `top`)."
    )
    me: LeaderboardEntry | None = strawberry.field(
        description="The viewer's own entry after the change, when they have one."
    )


@plain
@strawberry.type(
    description="A member's standing on one board in its current period. Rank 1 is the "
    "highest score; equal scores: whoever reached the score first ranks higher."
)
class LeaderboardStanding:
    board: str
    period: LeaderboardPeriod  # type: ignore[valid-type]
    rank: int
    score: int
