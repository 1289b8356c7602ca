"""The Redis side of leaderboard visibility (`domain.leaderboards.store`, `.scripts`): HIDDEN
members kept in a sorted set of their own and ranked among the visible ones for themselves only,
ANONYMOUS ones anonymised by every ranked read, on boards whose scores rise and fall, moved with
the board's expiry, removed by erasure."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from domain.leaderboards.store import AroundRead, PageRead, SizeRead
from gamification.leaderboards import (
    BoardKey,
    BoardPeriod,
    Visibility,
    element_for,
    encode_profile,
)

KEY = BoardKey("content", BoardPeriod.WEEKLY, "2026-W49")
START = datetime(2026, 12, 1, tzinfo=UTC)


def profile(member_id: str, visibility: Visibility) -> str:
    return encode_profile(member_id, f"Name of {member_id}", None, visibility)


async def write(store, rows, visibility: dict[str, Visibility] | None = None) -> None:
    """(member, score, seconds after START) rows, replaced outright (the content board's way),
    with the members' profiles as the database would give them."""
    chosen = visibility or {}
    expiry = START + timedelta(days=60)
    await store.replace_scores(
        [(KEY, m, score, START + timedelta(seconds=s), expiry) for m, score, s in rows],
        profiles={m: profile(m, chosen.get(m, Visibility.PUBLIC)) for m, _, _ in rows},
    )


async def test_a_hidden_member_on_a_board_whose_scores_fall_stays_hidden(runtime):
    store = runtime.leaderboards
    await write(store, [("ada", 50, 1), ("sam", 40, 2), ("bob", 30, 3)], {"sam": Visibility.HIDDEN})
    await write(store, [("sam", 20, 4)], {"sam": Visibility.HIDDEN})  # a vote took points away

    size, page = await store.read(KEY, [SizeRead(), PageRead(10, None)])
    assert size == 2
    assert [(s.rank, s.member_id) for s in page.standings] == [(1, "ada"), (2, "bob")]
    assert await store.standings([KEY], "sam") == [(3, 20)]
    [others] = await store.read(KEY, [AroundRead("sam", 2)])
    assert others == []
    [own] = await store.read(KEY, [AroundRead("sam", 2, own=True)])
    assert [(s.rank, s.member_id, s.score) for s in own] == [
        (1, "ada", 50),
        (2, "bob", 30),
        (3, "sam", 20),
    ]

    await write(store, [("sam", 0, 5)], {"sam": Visibility.HIDDEN})  # back to nothing
    assert await store.standings([KEY], "sam") == [None]
    assert await store.scores_of(KEY) == {"ada": 50, "bob": 30}


async def test_a_visibility_change_moves_the_member_and_keeps_the_boards_expiry(runtime):
    store = runtime.leaderboards
    await write(store, [("ada", 50, 1), ("sam", 40, 2)])
    spaced = KEY.in_namespace(store.namespace)
    ttl = await runtime.redis.ttl(spaced.scores)
    assert ttl > 0

    assert await store.set_profile([KEY], "sam", profile("sam", Visibility.HIDDEN)) == 1
    assert await store.scores_of(KEY, hidden=True) == {"sam": 40}
    assert await store.scores_of(KEY, hidden=False) == {"ada": 50}
    assert abs(await runtime.redis.ttl(spaced.hidden) - ttl) <= 1

    await store.set_profile([KEY], "sam", profile("sam", Visibility.ANONYMOUS))
    [page] = await store.read(KEY, [PageRead(10, None)])
    anonymous = page.standings[1]
    assert (anonymous.rank, anonymous.member_id, anonymous.score) == (2, "anonymous:2", 40)
    assert anonymous.profile is not None and anonymous.profile.display_name == "Member #2"
    assert "sam" not in anonymous.element

    # Erasure takes a hidden member off too.
    await store.set_profile([KEY], "sam", profile("sam", Visibility.HIDDEN))
    assert await store.remove_member("sam") == 1
    assert await store.scores_of(KEY) == {"ada": 50}
    assert await store.standings([KEY], "sam") == [None]


async def test_a_hidden_members_own_rank_is_one_plus_the_visible_members_ahead(runtime):
    """Against a brute-force count, on random boards: many equal scores, reach times that tie
    to the microsecond and member ids that break the tie, any mix of hidden and visible."""
    store = runtime.leaderboards
    for seed in range(25):
        chance = random.Random(seed)
        await runtime.redis.delete(*_keys(store))
        rows = [
            (f"m{i:02d}", chance.randint(1, 4), chance.randint(0, 3))
            for i in range(chance.randint(1, 30))
        ]
        chosen = {m: Visibility.HIDDEN for m, _, _ in rows if chance.random() < 0.3}
        await write(store, rows, chosen)

        def order(row: tuple[str, int, int]) -> tuple[int, str]:
            member, score, seconds = row
            return score, element_for(member, START + timedelta(seconds=seconds))

        visible = sorted((r for r in rows if r[0] not in chosen), key=order, reverse=True)
        for row in rows:
            [standing] = await store.standings([KEY], row[0])
            ahead = sum(1 for other in visible if order(other) > order(row))
            assert standing == (ahead + 1, row[1]), (seed, row, visible)
        [page] = await store.read(KEY, [PageRead(30, None)])
        assert [s.member_id for s in page.standings] == [r[0] for r in visible]


def _keys(store) -> list[str]:
    spaced = KEY.in_namespace(store.namespace)
    return [spaced.scores, spaced.elements, spaced.profiles, spaced.hidden]
