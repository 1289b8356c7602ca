"""Leaderboards: which boards a credit moves, how standings sort, and their cursors.

The database holds every board's scores (the truth); Redis holds a projection for fast ranked reads.
Each write to Redis is absolute and monotonic (a member's score only moves up), so writes are
idempotent and may arrive in any order: a stale write is simply ignored.

Ties: equal scores rank whoever reached the score first higher. Scores stay exact integers in the
sorted-set score; the tie-break lives in the element name, because Redis orders equal scores by
element, and `ZREVRANGE` returns the larger element first. An element is
`<inverted reach time, 16 digits>:<member id>`, so an earlier reach sorts higher.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from gamification.periods import Period, Window, period_window

POINTS_BOARD = "points"
# The longest board name the leaderboard tables hold: a name made of a key (`challenge:<key>`)
# must leave room for its prefix.
MAX_BOARD_NAME = 100
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A cursor's score has at most this many digits (a 32-bit score and a tie-break time fit in 26).
MAX_CURSOR_DIGITS = 40
_TIME_SPAN_US = 10**16  # microseconds since the epoch fit in 16 digits until the year 2286


class BoardPeriod(StrEnum):
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"
    ALL_TIME = "ALL_TIME"


CALENDAR_PERIOD = {
    BoardPeriod.DAILY: Period.DAY,
    BoardPeriod.WEEKLY: Period.WEEK,
    BoardPeriod.MONTHLY: Period.MONTH,
    BoardPeriod.ALL_TIME: Period.LIFETIME,
}

# How long a finished period's board stays in Redis; the database keeps it for ever.
RETENTION = {
    BoardPeriod.DAILY: timedelta(days=8),
    BoardPeriod.WEEKLY: timedelta(days=35),
    BoardPeriod.MONTHLY: timedelta(days=400),
}


@dataclass(frozen=True)
class BoardKey:
    """One board in one period, e.g. ("points", WEEKLY, "2026-W48")."""

    board: str
    period: BoardPeriod
    period_key: str
    # The program's Redis namespace, which the key names start with (set by the store).
    namespace: str = ""

    @property
    def _tag(self) -> str:
        # One hash tag for every key of a board, so scripts and RENAME work in Redis Cluster.
        prefix = f"{self.namespace}:" if self.namespace else ""
        return f"{prefix}lb:{{{self.board}:{self.period.value}:{self.period_key}}}"

    def in_namespace(self, namespace: str) -> BoardKey:
        return self if namespace == self.namespace else replace(self, namespace=namespace)

    @property
    def scores(self) -> str:
        return f"{self._tag}:scores"

    @property
    def elements(self) -> str:
        return f"{self._tag}:elements"

    @property
    def profiles(self) -> str:
        """member -> public profile (`encode_profile`), kept beside the board: a ranked read
        returns its entries' names and avatars in the same script, from the board's own slot."""
        return f"{self._tag}:profiles"

    @property
    def hidden(self) -> str:
        """The sorted set of HIDDEN members' elements (same scores and tie-breaks as `scores`):
        kept out of `scores`, so every rank, page and size others read counts visible members
        only, and a hidden member's own rank is found among them (`scripts.AHEAD`)."""
        return f"{self._tag}:hidden"

    def staging(self) -> BoardKey:
        """Where a rebuild writes before swapping in: same hash tag, so RENAME stays in-slot."""
        return _StagingKey(self.board, self.period, self.period_key, self.namespace)


@dataclass(frozen=True)
class _StagingKey(BoardKey):
    @property
    def scores(self) -> str:
        return f"{self._tag}:rebuild:scores"

    @property
    def elements(self) -> str:
        return f"{self._tag}:rebuild:elements"

    @property
    def profiles(self) -> str:
        return f"{self._tag}:rebuild:profiles"

    @property
    def hidden(self) -> str:
        return f"{self._tag}:rebuild:hidden"


def board_window(period: BoardPeriod, moment: datetime, tz: ZoneInfo) -> Window:
    return period_window(CALENDAR_PERIOD[period], moment, tz)


def periods_of(board: str, moment: datetime, tz: ZoneInfo) -> list[tuple[BoardKey, Window]]:
    """The period of each kind (day, week, month, all time) of `board` containing `moment`."""
    moved = []
    for period in BoardPeriod:
        window = board_window(period, moment, tz)
        moved.append((BoardKey(board, period, window.key), window))
    return moved


def is_open(window: Window, now: datetime) -> bool:
    return window.end is None or window.end > now


def boards_moved_by(
    board: str, moment: datetime, tz: ZoneInfo, *, now: datetime
) -> list[tuple[BoardKey, Window]]:
    """Every period of `board` that a credit for `moment` (the interaction's `occurredAt`),
    made at `now`, counts toward: the period containing `moment`, unless that period has
    closed by `now` (a late or backdated interaction); then the current period instead.

    So a closed period never changes: its standings are final when it ends, which is what
    its archive records, and the ledger agrees with the boards entry by entry (an entry
    counts where its occurrence falls, or where its crediting falls when that came later).
    """
    return [
        (key, window) if is_open(window, now) else _current(board, key.period, now, tz)
        for key, window in periods_of(board, moment, tz)
    ]


def _current(
    board: str, period: BoardPeriod, now: datetime, tz: ZoneInfo
) -> tuple[BoardKey, Window]:
    window = board_window(period, now, tz)
    return BoardKey(board, period, window.key), window


def expires_at(key: BoardKey, window: Window) -> datetime | None:
    if key.period is BoardPeriod.ALL_TIME or window.end is None:
        return None
    return window.end + RETENTION[key.period]


def current_keys(
    board: str, periods: tuple[BoardPeriod, ...], now: datetime, tz: ZoneInfo
) -> list[BoardKey]:
    """The current period of each of `periods` of `board` (what `me.standings` reads)."""
    return [BoardKey(board, period, board_window(period, now, tz).key) for period in periods]


def kept_keys(
    board: str, periods: tuple[BoardPeriod, ...], now: datetime, tz: ZoneInfo
) -> Iterator[BoardKey]:
    """Every period of `board` that Redis may still hold at `now`: the current one and the
    closed ones whose retention has not ended (a profile change rewrites the member's profile
    on each of them that lists the member)."""
    for period in periods:
        window = board_window(period, now, tz)
        while True:
            key = BoardKey(board, period, window.key)
            expiry = expires_at(key, window)
            if expiry is not None and expiry <= now:
                break
            yield key
            if window.start is None:
                break
            window = board_window(period, window.start - timedelta(microseconds=1), tz)


def change_channel(board: str, period: BoardPeriod, namespace: str = "") -> str:
    """The pub/sub channel that hears of every write to `board` in `period` (any period key:
    a subscriber reads whichever period is current when it looks)."""
    prefix = f"{namespace}:" if namespace else ""
    return f"{prefix}leaderboard-changed:{board}:{period.value}"


def element_for(member_id: str, reached_at: datetime) -> str:
    # Integer arithmetic: a float timestamp loses the last microsecond from about 2034 on.
    micros = (reached_at - _EPOCH) // timedelta(microseconds=1)
    inverted = max(0, _TIME_SPAN_US - 1 - micros)
    return f"{inverted:016d}:{member_id}"


def member_of(element: str) -> str:
    return element.split(":", 1)[1]


def default_display_name(member_id: str) -> str:
    """A neutral public name: the brand's user id must not appear on public leaderboards."""
    return "Member " + hashlib.sha256(member_id.encode()).hexdigest()[:8]


class Visibility(StrEnum):
    """How a member appears on boards to others (their own choice, `member.leaderboard_visibility`).

    PUBLIC: name and avatar. ANONYMOUS: listed and ranked, as "Member #<rank>" with no id, name
    or avatar. HIDDEN: not listed to anybody else, and not counted in the ranks others see; the
    member still sees their own rank, where they would stand among the visible members."""

    PUBLIC = "PUBLIC"
    ANONYMOUS = "ANONYMOUS"
    HIDDEN = "HIDDEN"


# The id an anonymous entry shows in place of the member's: made of its rank only, so it names
# the place, not the member (the same on every board, never the same member twice, and stable
# for a client cache that keys entries by id: "anonymous:3" is always shown as "Member #3").
ANONYMOUS_ID_PREFIX = "anonymous:"


def anonymous_id(rank: int) -> str:
    return f"{ANONYMOUS_ID_PREFIX}{rank}"


def anonymous_name(rank: int) -> str:
    return f"Member #{rank}"


@dataclass(frozen=True)
class BoardProfile:
    """A member as a board shows them: their public name and avatar, and how they chose to be
    shown (`visibility`)."""

    display_name: str
    avatar_url: str | None
    visibility: Visibility = Visibility.PUBLIC


# Between the name and the avatar URL in a stored profile. Names never hold it: a display
# name's whitespace is collapsed to single spaces on the way in, and Python counts U+001F as
# whitespace; the URL comes last, so whatever it holds is read back whole.
_PROFILE_SEPARATOR = "\x1f"
# The first character of a stored profile of a member who is not PUBLIC. Names never start
# with them (U+001E and U+001D are whitespace too, and names are stripped). An ANONYMOUS
# profile is the mark alone: the board never needs the name of a member it shows as a number.
# A HIDDEN one is the mark followed by the PUBLIC encoding: only the member themselves are
# shown it, with their own name. The board's scripts read the HIDDEN mark to keep the member
# out of the ranked sorted set (`BoardKey.hidden`); `scripts.py` spells them as byte values.
ANONYMOUS_MARK = "\x1e"
HIDDEN_MARK = "\x1d"


def encode_profile(
    member_id: str,
    display_name: str,
    avatar_url: str | None,
    visibility: Visibility = Visibility.PUBLIC,
) -> str:
    """What a board's profiles hash holds for the member: `<name>U+001F<avatar url>`, or ''
    for the profile every member starts with (their default name, no avatar), which is
    stored as nothing at all: most members never set one, and a million of them would
    otherwise cost tens of MiB per board and period. A member who is not PUBLIC has their
    visibility's mark first (see `ANONYMOUS_MARK`)."""
    if visibility is Visibility.ANONYMOUS:
        return ANONYMOUS_MARK
    if avatar_url is None and display_name == default_display_name(member_id):
        public = ""
    else:
        public = f"{display_name}{_PROFILE_SEPARATOR}{avatar_url or ''}"
    return HIDDEN_MARK + public if visibility is Visibility.HIDDEN else public


def decode_profile(member_id: str, stored: str | None) -> BoardProfile:
    """The profile a board holds for the member (None or '': the default one). An ANONYMOUS
    member's comes back with their default name: whoever shows it replaces it by their rank
    (`anonymous_name`), as the store does for every ranked read."""
    if stored and stored.startswith(ANONYMOUS_MARK):
        return BoardProfile(default_display_name(member_id), None, Visibility.ANONYMOUS)
    visibility = Visibility.PUBLIC
    if stored and stored.startswith(HIDDEN_MARK):
        stored, visibility = stored[len(HIDDEN_MARK) :], Visibility.HIDDEN
    if not stored:
        return BoardProfile(default_display_name(member_id), None, visibility)
    name, _, avatar = stored.partition(_PROFILE_SEPARATOR)
    return BoardProfile(name, avatar or None, visibility)


def is_hidden_profile(stored: str | None) -> bool:
    """Whether a stored profile is a HIDDEN member's (kept in the board's hidden set)."""
    return bool(stored) and stored is not None and stored.startswith(HIDDEN_MARK)


def anonymised(standing: Standing) -> Standing:
    """The standing as anybody is shown it when its member is ANONYMOUS: no member id (an id
    made of the rank, `anonymous_id`), a name made of the rank, no avatar, and a tie-break
    element without the member id (its cursor carries the score and the reach time only; see
    `is_anonymous_element`). Others are left as they are."""
    profile = standing.profile
    if profile is None or profile.visibility is not Visibility.ANONYMOUS:
        return standing
    return Standing(
        rank=standing.rank,
        score=standing.score,
        member_id=anonymous_id(standing.rank),
        element=standing.element[: _ELEMENT_TIME_DIGITS + 1],
        profile=BoardProfile(anonymous_name(standing.rank), None, Visibility.ANONYMOUS),
    )


# An element is `<16 digits>:<member id>`; an anonymous entry's cursor keeps `<16 digits>:`.
_ELEMENT_TIME_DIGITS = 16


def is_anonymous_element(element: str) -> bool:
    """Whether a cursor's element is an anonymous entry's (the reach time without a member id:
    the board resumes after every member that reached the same score at that microsecond)."""
    return len(element) == _ELEMENT_TIME_DIGITS + 1 and element.endswith(":")


@dataclass(frozen=True)
class Standing:
    rank: int
    score: int
    member_id: str
    element: str
    # The member's public profile as the board holds it, when the read returned it (a ranked
    # read of the board does; an archive's entries do not).
    profile: BoardProfile | None = None

    @property
    def anonymous(self) -> bool:
        """Shown as "Member #<rank>": its `member_id` is the rank's opaque id, not the member's."""
        return self.profile is not None and self.profile.visibility is Visibility.ANONYMOUS


@dataclass(frozen=True)
class Page:
    standings: list[Standing]
    has_next: bool
    has_previous: bool


def encode_cursor(standing: Standing) -> str:
    raw = f"{standing.score}|{standing.element}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, str] | None:
    """(score, element) from a cursor, or None when it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        score, element = base64.urlsafe_b64decode(padded).decode().split("|", 1)
        member_of(element)
        # ASCII digits only: int() also reads "٣", " 3" and "1_0", which no cursor of ours has.
        digits = score.removeprefix("-")
        if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_CURSOR_DIGITS:
            return None
        return int(score), element
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
