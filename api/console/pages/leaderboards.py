"""/admin/leaderboards: every board and period, one of them in full, and its archives. Reads only.

`?board=points&period=WEEKLY` picks the board and period shown (default: points, all time);
a board there is not, or a period the board does not keep, is a 404 page that says so, as
the API's NOT_FOUND and INVALID_INPUT do. The current period's standings come from Redis in
one round trip (`LeaderboardStore.read`), the closed periods from their archives, and every
name on the page from one read of the members' profiles: at most three SQL statements.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.console import charts, figures
from api.console.paths import member_path
from api.console.rendering import gettext_for, locale_of, render
from api.console.session import require_admin
from api.console.state import console_of, runtime_of
from domain.leaderboards import archives, boards
from domain.leaderboards.scores import current_board
from domain.leaderboards.store import PageRead, SizeRead
from domain.members.profiles import public_profiles
from domain.runtime import Runtime
from gamification.boards import BoardDefinition
from gamification.leaderboards import (
    POINTS_BOARD,
    BoardPeriod,
    Page,
    anonymous_name,
    board_window,
)

TOP = 25  # standings listed; the chart draws the first CHARTED
CHARTED = 10
ARCHIVES = 12  # closed periods listed
ARCHIVE_TOP = 5  # entries shown per closed period


@dataclass(frozen=True)
class Entry:
    rank: int
    # None for an ANONYMOUS member's entry: the console shows the board as members see it.
    member_id: str | None
    name: str
    score: int


@dataclass(frozen=True)
class Closed:
    period_key: str
    start: datetime
    end: datetime
    entries: list[Entry]


@dataclass(frozen=True)
class BoardPage:
    boards: list[BoardDefinition]
    board: BoardDefinition
    period: BoardPeriod
    period_key: str
    window_start: datetime | None
    window_end: datetime | None
    size: int
    entries: list[Entry]
    archives: list[Closed]


async def board_page(runtime: Runtime, board: str, period: str, now: datetime) -> BoardPage:
    """The page's data; 404 for a board there is not or a period it does not keep."""
    every = await boards.every_board()
    definition = next((d for d in every if d.board == board), None)
    if definition is None:
        raise HTTPException(404, f"no leaderboard named {board[:100]!r}")
    if period not in BoardPeriod.__members__ or not definition.keeps(BoardPeriod(period)):
        kept = ", ".join(p.value for p in definition.periods)
        raise HTTPException(404, f"board {board[:100]!r} keeps only {kept}")
    chosen = BoardPeriod(period)
    tz = runtime.settings.tz
    key = current_board(definition.board, chosen, now, tz)
    size, found = await runtime.leaderboards.read(key, [SizeRead(), PageRead(TOP, None)])
    standings = cast(Page, found).standings
    closed = (
        await archives.recent(definition.board, chosen, ARCHIVES)
        if chosen is not BoardPeriod.ALL_TIME
        else []
    )
    kept_entries = [(row, list(row.entries or [])[:ARCHIVE_TOP]) for row in closed]
    ids = [s.member_id for s in standings if not s.anonymous] + [
        str(e["memberId"]) for _, entries in kept_entries for e in entries
    ]
    names = {
        member_id: profile.display_name
        for member_id, profile in zip(ids, await public_profiles(ids), strict=True)
        if profile is not None
    }
    window = None if chosen is BoardPeriod.ALL_TIME else board_window(chosen, now, tz)
    return BoardPage(
        boards=every,
        board=definition,
        period=chosen,
        period_key=key.period_key,
        window_start=window.start if window else None,
        window_end=window.end if window else None,
        size=int(size),
        entries=[
            Entry(s.rank, None, anonymous_name(s.rank), s.score)
            if s.anonymous
            else Entry(s.rank, s.member_id, names.get(s.member_id, s.member_id), s.score)
            for s in standings
        ],
        archives=[
            Closed(
                row.period_key,
                row.period_start,
                row.period_end,
                [
                    Entry(int(e["rank"]), None, anonymous_name(int(e["rank"])), int(e["score"]))
                    if e.get("anonymous")
                    else Entry(
                        int(e["rank"]),
                        str(e["memberId"]),
                        names.get(str(e["memberId"]), str(e["memberId"])),
                        int(e["score"]),
                    )
                    for e in entries
                ],
            )
            for row, entries in kept_entries
        ],
    )


def period_names(_: Callable[[str], str]) -> dict[BoardPeriod, str]:
    return {
        BoardPeriod.DAILY: _("Today"),
        BoardPeriod.WEEKLY: _("This week"),
        BoardPeriod.MONTHLY: _("This month"),
        BoardPeriod.ALL_TIME: _("All time"),
    }


def board_name(_: Callable[[str], str], definition: BoardDefinition) -> str:
    """A built-in board's name in the page's language; a challenge's board is its name."""
    built_in = {"points": _("Points"), "referrals": _("Referrals"), "content": _("Content")}
    return built_in.get(definition.board, definition.name)


async def leaderboards(request: Request) -> Response:
    await require_admin(request)
    console = console_of(request)
    board = request.query_params.get("board") or POINTS_BOARD
    period = request.query_params.get("period") or BoardPeriod.ALL_TIME.value
    data = await board_page(runtime_of(request), board, period, console.now())
    _ = gettext_for(request).gettext
    periods = period_names(_)
    title = f"{board_name(_, data.board)}: {periods[data.period]}"
    chart = charts.bar_chart(
        "chart-board",
        title,
        _("The first members of the board in the current period, best first, with their scores."),
        [charts.Bar(f"{e.rank}. {e.name}", e.score) for e in data.entries[:CHARTED]],
        fmt=figures.numbers(locale_of(request)),
        empty=_("Nobody is on this board yet."),
    )
    return render(
        request,
        "leaderboards.html",
        data=data,
        title=title,
        chart=chart,
        periods=periods,
        all_periods=list(BoardPeriod),
        board_name=lambda definition: board_name(_, definition),
        member_path=member_path,
    )


routes = [Route("/leaderboards", leaderboards, name="leaderboards")]
