"""Specification of the pure rules of leaderboard visibility (`gamification.leaderboards`): a
member's visibility travels with the profile a board keeps, and an ANONYMOUS member's standing is
shown with nothing of theirs."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st
from redis.crc import key_slot

from gamification.leaderboards import (
    BoardKey,
    BoardPeriod,
    BoardProfile,
    Standing,
    Visibility,
    anonymised,
    decode_cursor,
    decode_profile,
    element_for,
    encode_cursor,
    encode_profile,
    is_anonymous_element,
    is_hidden_profile,
)
from tests.gamification.test_leaderboards import (
    avatars,
    board_names,
    display_names,
    fast,
    member_ids,
    period_keys,
    reach_times,
)


@fast
@given(
    member=member_ids,
    name=display_names,
    avatar=avatars,
    visibility=st.sampled_from(list(Visibility)),
)
def test_a_stored_profile_reads_back_with_the_members_visibility(
    member: str, name: str, avatar: str | None, visibility: Visibility
) -> None:
    assume(name)
    stored = encode_profile(member, name, avatar, visibility)
    found = decode_profile(member, stored)
    assert found.visibility is visibility
    assert is_hidden_profile(stored) == (visibility is Visibility.HIDDEN)
    if visibility is Visibility.ANONYMOUS:
        # Nothing of the member is kept: the board never shows it.
        assert name not in stored and (avatar is None or avatar not in stored)
    else:
        assert (found.display_name, found.avatar_url) == (name, avatar)


@fast
@given(
    member=member_ids,
    name=display_names,
    rank=st.integers(1, 10**6),
    score=st.integers(1, 2**53),
    reached=reach_times,
)
def test_an_anonymous_standing_shows_nothing_of_the_member(
    member: str, name: str, rank: int, score: int, reached
) -> None:
    assume(name and member)  # member ids are 1 to 128 characters
    element = element_for(member, reached)
    stored = encode_profile(member, name, None, Visibility.ANONYMOUS)
    standing = Standing(rank, score, member, element, decode_profile(member, stored))
    shown = anonymised(standing)
    assert shown.member_id == f"anonymous:{rank}"
    assert shown.profile == BoardProfile(f"Member #{rank}", None, Visibility.ANONYMOUS)
    assert (shown.rank, shown.score) == (rank, score)
    # The cursor holds the score and the reach time, not the member.
    cursor = encode_cursor(shown)
    assert decode_cursor(cursor) == (score, element[:17])
    assert is_anonymous_element(element[:17]) and not is_anonymous_element(element)
    # A PUBLIC or HIDDEN member's standing is left as it is.
    public = Standing(rank, score, member, element, BoardProfile(name, None))
    assert anonymised(public) == public


@given(board=board_names, period=st.sampled_from(list(BoardPeriod)), period_key=period_keys)
def test_the_hidden_set_lives_in_the_boards_cluster_slot(
    board: str, period: BoardPeriod, period_key: str
) -> None:
    key = BoardKey(board, period, period_key)
    tag = f"{board}:{period.value}:{period_key}"
    assert key_slot(key.hidden.encode()) == key_slot(tag.encode())
    assert key_slot(key.staging().hidden.encode()) == key_slot(tag.encode())
    assert key.staging().hidden != key.hidden
