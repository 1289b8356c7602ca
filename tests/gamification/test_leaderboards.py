"""Specification of the pure leaderboard rules (`gamification.leaderboards`).

Only the pure names are under test here: which boards a credit moves, their Redis key names and
expiry, the element encoding that breaks ties, and cursors. The Redis I/O is tested elsewhere.

Redis orders a sorted set by (score, element bytes) and `ZREVRANGE` reads it in reverse, so the
`ranked` helper below sorts the same way to say who ranks first.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from redis.crc import key_slot

from gamification.leaderboards import (
    CALENDAR_PERIOD,
    POINTS_BOARD,
    RETENTION,
    BoardKey,
    BoardPeriod,
    BoardProfile,
    Standing,
    board_window,
    boards_moved_by,
    current_keys,
    decode_cursor,
    decode_profile,
    default_display_name,
    element_for,
    encode_cursor,
    encode_profile,
    expires_at,
    is_open,
    kept_keys,
    member_of,
    periods_of,
)
from gamification.periods import Period, period_window

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)

fast = settings(max_examples=100, deadline=None)
member_ids = st.text(max_size=40)
reach_times = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2285, 12, 31), timezones=st.just(UTC)
)
instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2060, 12, 31), timezones=st.just(UTC)
)
zones = st.sampled_from(
    ["UTC", "Europe/Paris", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago"]
).map(ZoneInfo)


def ranked(entries: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(score, element) pairs in ZREVRANGE order: highest score first, then largest element."""
    return sorted(entries, key=lambda entry: (entry[0], entry[1].encode()), reverse=True)


def utc(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment.astimezone(UTC)


# --- which boards a credit moves ------------------------------------------------------------------


def test_every_board_period_maps_to_the_calendar_period_of_the_same_length() -> None:
    assert CALENDAR_PERIOD == {
        BoardPeriod.DAILY: Period.DAY,
        BoardPeriod.WEEKLY: Period.WEEK,
        BoardPeriod.MONTHLY: Period.MONTH,
        BoardPeriod.ALL_TIME: Period.LIFETIME,
    }


def test_the_points_board_is_called_points() -> None:
    assert POINTS_BOARD == "points"


@fast
@given(moment=instants, tz=zones, period=st.sampled_from(list(BoardPeriod)))
def test_a_board_window_is_the_calendar_window_used_by_limits(
    moment: datetime, tz: ZoneInfo, period: BoardPeriod
) -> None:
    assert board_window(period, moment, tz) == period_window(CALENDAR_PERIOD[period], moment, tz)


def test_a_credit_moves_the_daily_weekly_monthly_and_all_time_boards() -> None:
    moved = boards_moved_by(POINTS_BOARD, NOW, PARIS, now=NOW)
    assert [key for key, _ in moved] == [
        BoardKey("points", BoardPeriod.DAILY, "2026-03-29"),
        BoardKey("points", BoardPeriod.WEEKLY, "2026-W13"),
        BoardKey("points", BoardPeriod.MONTHLY, "2026-03"),
        BoardKey("points", BoardPeriod.ALL_TIME, "lifetime"),
    ]


def test_the_boards_a_credit_moves_follow_the_program_zone_not_utc() -> None:
    late_sunday_utc = datetime(2026, 5, 31, 23, 30, tzinfo=UTC)  # Monday 1 June 01:30 in Paris
    keys = [key.period_key for key, _ in periods_of("points", late_sunday_utc, PARIS)]
    assert keys == ["2026-06-01", "2026-W23", "2026-06", "lifetime"]
    keys = [key.period_key for key, _ in periods_of("points", late_sunday_utc, ZoneInfo("UTC"))]
    assert keys == ["2026-05-31", "2026-W22", "2026-05", "lifetime"]


@fast
@given(moment=instants, tz=zones, board=st.sampled_from(["points", "reviews", "xp"]))
def test_each_moved_board_is_named_after_the_window_that_contains_the_credit(
    moment: datetime, tz: ZoneInfo, board: str
) -> None:
    moved = periods_of(board, moment, tz)
    assert [key.period for key, _ in moved] == list(BoardPeriod)
    for key, window in moved:
        assert key.board == board
        assert key.period_key == window.key
        assert window.contains(moment)
        assert window == board_window(key.period, moment, tz)


def test_a_late_credit_for_a_closed_day_lands_in_today_and_keeps_its_open_week() -> None:
    sunday_noon = datetime(2026, 3, 29, 10, 0, tzinfo=UTC)  # Paris, Sunday of ISO week 13
    credited = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # Monday: day and week 13 closed
    keys = [
        key.period_key for key, _ in boards_moved_by("points", sunday_noon, PARIS, now=credited)
    ]
    assert keys == ["2026-03-30", "2026-W14", "2026-03", "lifetime"]
    wednesday = datetime(2026, 3, 25, 10, 0, tzinfo=UTC)
    credited = datetime(2026, 3, 26, 10, 0, tzinfo=UTC)  # Thursday: only the day has closed
    keys = [key.period_key for key, _ in boards_moved_by("points", wednesday, PARIS, now=credited)]
    assert keys == ["2026-03-26", "2026-W13", "2026-03", "lifetime"]


@fast
@given(
    moment=instants,
    delay=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=90)),
    tz=zones,
)
def test_a_credit_never_moves_a_closed_period(
    moment: datetime, delay: timedelta, tz: ZoneInfo
) -> None:
    """Each period is the occurrence's while it is open, else the one the credit is made in."""
    now = moment + delay
    for (key, window), (_, occurred) in zip(
        boards_moved_by("points", moment, tz, now=now),
        periods_of("points", moment, tz),
        strict=True,
    ):
        assert is_open(window, now)
        assert key.period_key == window.key
        expected = occurred if is_open(occurred, now) else board_window(key.period, now, tz)
        assert window == expected


# --- Redis keys -----------------------------------------------------------------------------------


def test_a_board_keeps_its_scores_and_its_member_index_under_one_hash_tag() -> None:
    key = BoardKey("points", BoardPeriod.WEEKLY, "2026-W48")
    assert key.scores == "lb:{points:WEEKLY:2026-W48}:scores"
    assert key.elements == "lb:{points:WEEKLY:2026-W48}:elements"


board_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_.-", min_size=1, max_size=20)
period_keys = st.sampled_from(["2026-03-29", "2026-W13", "2026-03", "lifetime"]) | st.text(
    alphabet="0123456789-W", min_size=1, max_size=12
)


@fast
@given(board=board_names, period=st.sampled_from(list(BoardPeriod)), period_key=period_keys)
def test_all_keys_of_one_board_hash_to_the_same_redis_cluster_slot(
    board: str, period: BoardPeriod, period_key: str
) -> None:
    key = BoardKey(board, period, period_key)
    tag = f"{board}:{period.value}:{period_key}"
    assert key_slot(key.scores.encode()) == key_slot(key.elements.encode())
    assert key_slot(key.scores.encode()) == key_slot(tag.encode())
    staging = key.staging()
    assert {staging.scores, staging.elements}.isdisjoint({key.scores, key.elements})
    assert key_slot(staging.scores.encode()) == key_slot(staging.elements.encode())
    assert key_slot(staging.scores.encode()) == key_slot(tag.encode()), "RENAME stays in-slot"
    assert key_slot(key.profiles.encode()) == key_slot(tag.encode()), "profiles beside the board"
    assert key_slot(staging.profiles.encode()) == key_slot(tag.encode())
    assert staging.profiles != key.profiles


def test_board_keys_are_values_usable_as_dictionary_keys() -> None:
    first = BoardKey("points", BoardPeriod.DAILY, "2026-03-29")
    again = BoardKey("points", BoardPeriod.DAILY, "2026-03-29")
    assert first == again
    assert {first: 1}[again] == 1
    with pytest.raises(AttributeError):
        first.board = "other"  # type: ignore[misc]


# --- expiry ---------------------------------------------------------------------------------------


def test_finished_boards_are_retained_for_8_35_and_400_days() -> None:
    assert RETENTION[BoardPeriod.DAILY] == timedelta(days=8)
    assert RETENTION[BoardPeriod.WEEKLY] == timedelta(days=35)
    assert RETENTION[BoardPeriod.MONTHLY] == timedelta(days=400)
    assert BoardPeriod.ALL_TIME not in RETENTION


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (BoardPeriod.DAILY, datetime(2026, 4, 7, 0, 0)),  # day ends 30 March 00:00, + 8 days
        (BoardPeriod.WEEKLY, datetime(2026, 5, 4, 0, 0)),  # week ends 30 March 00:00, + 35 days
        (BoardPeriod.MONTHLY, datetime(2027, 5, 6, 0, 0)),  # month ends 1 April 00:00, + 400 days
    ],
)
def test_a_periodic_board_expires_its_retention_after_its_period_ends(
    period: BoardPeriod, expected: datetime
) -> None:
    moved = dict(periods_of("points", NOW, PARIS))
    key = BoardKey("points", period, board_window(period, NOW, PARIS).key)
    window = moved[key]
    expiry = expires_at(key, window)
    assert expiry == utc(window.end).astimezone(PARIS) + RETENTION[period]
    # Retention counts calendar days: the expiry is a local midnight even across the DST change.
    assert utc(expiry).astimezone(PARIS).replace(tzinfo=None) == expected


def test_the_all_time_board_never_expires() -> None:
    key = BoardKey("points", BoardPeriod.ALL_TIME, "lifetime")
    assert expires_at(key, board_window(BoardPeriod.ALL_TIME, NOW, PARIS)) is None


def test_a_board_whose_window_never_ends_never_expires() -> None:
    key = BoardKey("points", BoardPeriod.DAILY, "lifetime")
    assert expires_at(key, period_window(Period.LIFETIME, NOW, PARIS)) is None


@fast
@given(moment=instants, tz=zones)
def test_every_periodic_board_outlives_its_period(moment: datetime, tz: ZoneInfo) -> None:
    for key, window in periods_of("points", moment, tz):
        expiry = expires_at(key, window)
        if key.period is BoardPeriod.ALL_TIME:
            assert expiry is None
        else:
            assert utc(expiry) > utc(window.end)


# --- elements and ties ----------------------------------------------------------------------------


def test_an_element_is_a_16_digit_inverted_reach_time_then_the_member_id() -> None:
    element = element_for("member-42", datetime(2026, 1, 1, tzinfo=UTC))
    assert element == "8232774399999999:member-42"
    assert element_for("m", datetime(1970, 1, 1, tzinfo=UTC)) == "9999999999999999:m"


@fast
@given(member=member_ids, reached_at=reach_times)
def test_the_member_id_can_be_read_back_from_any_element(member: str, reached_at: datetime) -> None:
    element = element_for(member, reached_at)
    assert member_of(element) == member
    assert re.fullmatch(r"[0-9]{16}", element[:16])
    assert element[16] == ":"


@pytest.mark.parametrize("member", ["a:b", "::", "", "x|y", "user:42:admin", "名前"])
def test_member_ids_containing_colons_or_pipes_survive_the_round_trip(member: str) -> None:
    assert member_of(element_for(member, NOW)) == member


@fast
@given(reached_at=reach_times, zone=zones)
def test_the_element_depends_on_the_instant_not_the_zone_it_is_written_in(
    reached_at: datetime, zone: ZoneInfo
) -> None:
    assert element_for("m", reached_at.astimezone(zone)) == element_for("m", reached_at)


def test_among_equal_scores_whoever_reached_the_score_first_ranks_first() -> None:
    early = element_for("zoe", NOW)
    late = element_for("adam", NOW + timedelta(seconds=1))
    assert ranked([(50, late), (50, early)]) == [(50, early), (50, late)]


def test_a_higher_score_outranks_an_earlier_reach() -> None:
    early = element_for("early", NOW - timedelta(days=30))
    late = element_for("late", NOW)
    assert ranked([(10, early), (11, late)]) == [(11, late), (10, early)]


def test_members_reaching_a_score_at_the_same_microsecond_are_ordered_by_member_id() -> None:
    elements = [element_for(member, NOW) for member in ("b", "c", "a")]
    assert [member_of(e) for _, e in ranked([(5, e) for e in elements])] == ["c", "b", "a"]


@fast
@given(
    members=st.lists(member_ids, min_size=2, max_size=6, unique=True),
    first=reach_times,
    gaps=st.lists(st.integers(min_value=1, max_value=10**9), min_size=6, max_size=6),
)
def test_equal_scores_rank_in_order_of_reach_for_any_member_ids(
    members: list[str], first: datetime, gaps: list[int]
) -> None:
    # Reach times at least a millisecond apart, members in any (hypothesis-chosen) id order.
    reached = []
    moment = first
    for member, gap in zip(members, gaps, strict=False):
        reached.append((member, moment))
        moment += timedelta(milliseconds=gap)
    assume(moment < datetime(2286, 1, 1, tzinfo=UTC))
    board = [(7, element_for(member, at)) for member, at in reached]
    assert [member_of(e) for _, e in ranked(board)] == members


@fast
@given(a=reach_times, b=reach_times)
def test_an_earlier_reach_never_sorts_after_a_later_one(a: datetime, b: datetime) -> None:
    earlier, later = min(a, b), max(a, b)
    assert element_for("m", earlier)[:16] >= element_for("m", later)[:16]


def test_among_equal_scores_a_reach_one_microsecond_earlier_still_ranks_first() -> None:
    earlier = datetime(2039, 9, 27, 16, 58, 10, 91086, tzinfo=UTC)
    later = earlier + timedelta(microseconds=1)
    board = [(9, element_for("aa", earlier)), (9, element_for("zz", later))]
    assert [member_of(e) for _, e in ranked(board)] == ["aa", "zz"]


def test_reaches_after_the_year_2286_share_the_smallest_prefix() -> None:
    assert element_for("m", datetime(2300, 1, 1, tzinfo=UTC)) == "0000000000000000:m"


# --- cursors --------------------------------------------------------------------------------------


def standing(score: int, member: str, reached_at: datetime = NOW) -> Standing:
    return Standing(rank=1, score=score, member_id=member, element=element_for(member, reached_at))


@fast
@given(
    score=st.integers(min_value=-(10**15), max_value=10**15),
    member=member_ids,
    reached_at=reach_times,
)
def test_a_cursor_decodes_to_the_score_and_element_it_was_made_from(
    score: int, member: str, reached_at: datetime
) -> None:
    position = standing(score, member, reached_at)
    cursor = encode_cursor(position)
    assert decode_cursor(cursor) == (score, position.element)
    assert re.fullmatch(r"[A-Za-z0-9_-]*", cursor)  # URL-safe and unpadded


def test_a_cursor_ignores_the_rank_because_ranks_move() -> None:
    first = Standing(rank=1, score=10, member_id="m", element=element_for("m", NOW))
    later = Standing(rank=7, score=10, member_id="m", element=element_for("m", NOW))
    assert encode_cursor(first) == encode_cursor(later)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "A",
        "!!!",
        "not a cursor",
        "é",
        "💥",
        _b64(b"no pipe here"),
        _b64(b"12|no colon here"),
        _b64(b"twelve|0000000000000000:m"),
        _b64(b"|0000000000000000:m"),
        _b64(b"\xff\xfe|0000000000000000:m"),
        _b64(b"1.5|0000000000000000:m"),
    ],
)
def test_a_cursor_that_is_not_one_of_ours_decodes_to_none(cursor: str) -> None:
    assert decode_cursor(cursor) is None


def test_a_cursor_still_decodes_when_its_padding_is_left_on() -> None:
    position = standing(42, "m")
    padded = base64.urlsafe_b64encode(f"42|{position.element}".encode()).decode()
    assert decode_cursor(padded) == (42, position.element)


@fast
@given(cursor=st.text(max_size=60) | st.binary(max_size=45).map(_b64))
def test_decoding_any_string_never_raises(cursor: str) -> None:
    decoded = decode_cursor(cursor)
    assert decoded is None or (isinstance(decoded[0], int) and ":" in decoded[1])


# --- period bounds across a DST change ----------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "start", "end", "hours"),
    [
        # Paris leaves summer time on Sunday 25 October 2026 at 03:00 (back to 02:00).
        (BoardPeriod.DAILY, "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 25),
        (BoardPeriod.WEEKLY, "2026-10-19T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 7 * 24 + 1),
        (
            BoardPeriod.MONTHLY,
            "2026-10-01T00:00:00+02:00",
            "2026-11-01T00:00:00+01:00",
            31 * 24 + 1,
        ),
    ],
)
def test_period_bounds_are_local_midnights_across_the_autumn_dst_change(
    period: BoardPeriod, start: str, end: str, hours: int
) -> None:
    window = board_window(period, datetime(2026, 10, 25, 12, 0, tzinfo=UTC), PARIS)
    assert window.start is not None and window.end is not None
    assert window.start == datetime.fromisoformat(start)
    assert window.end == datetime.fromisoformat(end)
    assert window.start.utcoffset() == datetime.fromisoformat(start).utcoffset()
    assert (utc(window.end) - utc(window.start)) == timedelta(hours=hours)


# --- profiles kept beside a board -----------------------------------------------------------------

# Display names as the service stores them: whitespace collapsed to single spaces.
display_names = st.text(min_size=1, max_size=100).map(lambda text: " ".join(text.split()))
avatars = st.none() | st.text(max_size=300).map(lambda text: "https://cdn.example/" + text)


@fast
@given(member=member_ids, name=display_names, avatar=avatars)
def test_a_stored_profile_reads_back_as_the_member_set_it(
    member: str, name: str, avatar: str | None
) -> None:
    assume(name)
    assert decode_profile(member, encode_profile(member, name, avatar)) == BoardProfile(
        name, avatar
    )


def test_the_profile_every_member_starts_with_is_stored_as_nothing() -> None:
    name = default_display_name("ada")
    assert name.startswith("Member ") and "ada" not in name
    assert encode_profile("ada", name, None) == ""
    assert decode_profile("ada", None) == decode_profile("ada", "") == BoardProfile(name, None)
    # The default name with an avatar, or another member's default name, is a chosen profile.
    assert encode_profile("ada", name, "https://cdn.example/a.png") != ""
    assert encode_profile("bob", name, None) != ""


def test_an_avatar_url_holding_the_separator_reads_back_whole() -> None:
    stored = encode_profile("ada", "Ada", "https://cdn.example/a\x1fb.png")
    assert decode_profile("ada", stored) == BoardProfile("Ada", "https://cdn.example/a\x1fb.png")


def test_the_current_keys_of_a_board_are_the_periods_containing_now() -> None:
    keys = current_keys("points", tuple(BoardPeriod), NOW, PARIS)
    assert [(key.period, key.period_key) for key in keys] == [
        (BoardPeriod.DAILY, "2026-03-29"),
        (BoardPeriod.WEEKLY, "2026-W13"),
        (BoardPeriod.MONTHLY, "2026-03"),
        (BoardPeriod.ALL_TIME, "lifetime"),
    ]


@fast
@given(moment=instants, tz=zones)
def test_kept_keys_are_every_period_redis_may_still_hold(moment: datetime, tz: ZoneInfo) -> None:
    kept = list(kept_keys("points", tuple(BoardPeriod), moment, tz))
    assert len(kept) == len(set(kept))
    assert set(current_keys("points", tuple(BoardPeriod), moment, tz)) <= set(kept)
    assert [key for key in kept if key.period is BoardPeriod.ALL_TIME] == [
        BoardKey("points", BoardPeriod.ALL_TIME, "lifetime")
    ]
    for period in (BoardPeriod.DAILY, BoardPeriod.WEEKLY, BoardPeriod.MONTHLY):
        mine = [key for key in kept if key.period is period]
        oldest = board_window(period, moment, tz)
        for _ in mine[1:]:
            assert oldest.start is not None
            oldest = board_window(period, oldest.start - timedelta(microseconds=1), tz)
        expiry = expires_at(mine[-1], oldest)
        assert expiry is not None and expiry > moment, "each is still kept"
        assert oldest.start is not None
        before = board_window(period, oldest.start - timedelta(microseconds=1), tz)
        gone = expires_at(BoardKey("points", period, before.key), before)
        assert gone is not None and gone <= moment, "the one before has expired"


def test_kept_keys_span_the_retention_of_each_period() -> None:
    kept = list(kept_keys("points", tuple(BoardPeriod), NOW, PARIS))
    count = {period: sum(1 for key in kept if key.period is period) for period in BoardPeriod}
    assert count == {
        BoardPeriod.DAILY: 9,  # today and the 8 days before
        BoardPeriod.WEEKLY: 6,
        BoardPeriod.MONTHLY: 14,
        BoardPeriod.ALL_TIME: 1,
    }
