"""The Redis side of a board's reads (`domain.leaderboards.store`, `.profiles`, `.scores`): the
members' profiles kept beside each board, written with the scores and on a profile change,
removed on erasure, rebuilt and verified from the database; a ranked read and a member's
standings in one round trip each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.leaderboards import profiles as board_profiles
from domain.leaderboards import scores as leaderboards
from domain.leaderboards.store import AroundRead, LeaderboardStore, PageRead, SizeRead
from domain.models import Member
from gamification.leaderboards import (
    BoardKey,
    BoardPeriod,
    BoardProfile,
    current_keys,
    default_display_name,
)
from tests.conftest import SERVICE
from tests.domain.leaderboards.round_trips import counting, counting_client
from tests.helpers import define, record

ALL_TIME = BoardKey("points", BoardPeriod.ALL_TIME, "lifetime")


async def earn(gql, drain, who: str, times: int = 1, key: str = "k") -> None:
    for index in range(times):
        await record(gql, SERVICE, action="grant", memberId=who, key=f"{key}-{who}-{index}")
    await drain()


async def name(who: str, display_name: str, avatar_url: str | None = None) -> None:
    await Member.filter(id=who).update(display_name=display_name, avatar_url=avatar_url)


def current(runtime) -> list[BoardKey]:
    return current_keys("points", tuple(BoardPeriod), datetime.now(UTC), runtime.settings.tz)


async def test_a_ranked_read_returns_the_profiles_kept_beside_the_board(gql, drain, runtime):
    await define(gql, "grant", 10, memberReportable=False)
    await earn(gql, drain, "ada")
    await earn(gql, drain, "bob", 2)
    await name("ada", "Ada Lovelace", "https://cdn.example/ada.png")
    await leaderboards.rebuild(runtime.leaderboards, datetime.now(UTC), runtime.settings.tz)

    [page, around] = await runtime.leaderboards.read(
        ALL_TIME, [PageRead(10, None), AroundRead("ada", 1)]
    )

    assert [(s.member_id, s.profile) for s in page.standings] == [
        ("bob", BoardProfile(default_display_name("bob"), None)),
        ("ada", BoardProfile("Ada Lovelace", "https://cdn.example/ada.png")),
    ]
    assert [s.member_id for s in around] == ["bob", "ada"]
    # Only the chosen profile is stored: the default one is nothing at all.
    assert await runtime.leaderboards.profiles_of(ALL_TIME) == {
        "ada": "Ada Lovelace\x1fhttps://cdn.example/ada.png"
    }


async def test_scores_projected_by_the_worker_carry_the_profile_as_the_database_has_it(
    gql, drain, runtime
):
    await define(gql, "grant", 10, memberReportable=False)
    await earn(gql, drain, "ada")
    await name("ada", "Ada")
    await earn(gql, drain, "ada", key="again")  # the next credit's projection stores it

    for key in current(runtime):
        assert await runtime.leaderboards.profiles_of(key) == {"ada": "Ada\x1f"}


async def test_a_profile_change_reaches_every_board_and_period_that_lists_the_member(
    gql, drain, runtime
):
    await define(gql, "grant", 10, memberReportable=False)
    await earn(gql, drain, "ada")
    await earn(gql, drain, "bob")
    store, tz, now = runtime.leaderboards, runtime.settings.tz, datetime.now(UTC)

    written = await board_profiles.changed(store, "ada", "Countess", None, now, tz)

    assert written == 4  # the points board's four periods; nowhere else lists her
    for key in current(runtime):
        assert await store.profiles_of(key) == {"ada": "Countess\x1f"}
    # Back to the default profile: nothing is stored again.
    await board_profiles.changed(store, "ada", default_display_name("ada"), None, now, tz)
    for key in current(runtime):
        assert await store.profiles_of(key) == {}


async def test_an_erased_member_leaves_every_board_profile_and_all(gql, drain, runtime):
    await define(gql, "grant", 10, memberReportable=False)
    await earn(gql, drain, "ada")
    store = runtime.leaderboards
    await board_profiles.changed(store, "ada", "Ada", None, datetime.now(UTC), runtime.settings.tz)

    assert await store.remove_member("ada") == 4

    for key in current(runtime):
        assert await store.scores_of(key) == {} and await store.profiles_of(key) == {}


async def test_verify_reports_a_missing_wrong_or_stray_profile_and_rebuild_restores_them(
    gql, drain, runtime
):
    await define(gql, "grant", 10, memberReportable=False)
    for who in ("ada", "bob", "cy"):
        await earn(gql, drain, who)
    await name("ada", "Ada")
    await name("bob", "Bob", "https://cdn.example/bob.png")
    store, tz, now = runtime.leaderboards, runtime.settings.tz, datetime.now(UTC)
    await leaderboards.rebuild(store, now, tz)
    assert await leaderboards.verify(store, now, tz) == []
    key = ALL_TIME.in_namespace(store.namespace)

    await runtime.redis.hdel(key.profiles, "ada")  # missing
    await runtime.redis.hset(key.profiles, "bob", "Robert\x1f")  # wrong
    await runtime.redis.hset(key.profiles, "cy", "Cy\x1f")  # stray: cy has the default profile

    found = {
        (d.member_id, d.expected, d.found)
        for d in await leaderboards.verify(store, now, tz)
        if d.kind == "profile"
    }
    assert found == {
        ("ada", "Ada\x1f", None),
        ("bob", "Bob\x1fhttps://cdn.example/bob.png", "Robert\x1f"),
        ("cy", None, "Cy\x1f"),
    }
    await leaderboards.rebuild(store, now, tz)
    assert await leaderboards.verify(store, now, tz) == []


async def test_a_board_rebuilt_with_no_chosen_profile_keeps_none(gql, drain, runtime):
    await define(gql, "grant", 10, memberReportable=False)
    await earn(gql, drain, "ada")
    store, tz, now = runtime.leaderboards, runtime.settings.tz, datetime.now(UTC)
    key = ALL_TIME.in_namespace(store.namespace)
    await runtime.redis.hset(key.profiles, "ghost", "Ghost\x1f")

    await leaderboards.rebuild(store, now, tz)

    assert await store.profiles_of(ALL_TIME) == {}
    assert await leaderboards.verify(store, now, tz) == []


async def test_every_read_of_a_board_in_a_request_is_one_round_trip(gql, drain, runtime):
    await define(gql, "grant", 10, memberReportable=False)
    for who in ("ada", "bob", "cy"):
        await earn(gql, drain, who)
    client, sent = counting_client(runtime.endpoint)
    store = LeaderboardStore(client, namespace=runtime.leaderboards.namespace)
    reads = [SizeRead(), PageRead(2, None), AroundRead("bob", 5), AroundRead("nobody", 0)]
    try:
        await store.read(ALL_TIME, reads)  # loads the script if this Redis has not seen it
        with counting(sent):
            size, page, around, nobody = await store.read(ALL_TIME, reads)
        assert sent.round_trips == 1
    finally:
        await client.aclose()
    assert size == 3 and len(page.standings) == 2 and page.has_next
    assert [s.rank for s in around] == [1, 2, 3] and nobody == []


async def test_a_members_standings_on_every_board_are_one_round_trip(gql, drain, runtime):
    await define(gql, "grant", 10, memberReportable=False)
    await earn(gql, drain, "ada")
    await earn(gql, drain, "bob", 2)
    client, sent = counting_client(runtime.endpoint)
    store = LeaderboardStore(client, namespace=runtime.leaderboards.namespace)
    keys = [*current(runtime), BoardKey("challenge:none", BoardPeriod.ALL_TIME, "lifetime")]
    try:
        await store.standings(keys, "ada")
        with counting(sent):
            standings = await store.standings(keys, "ada")
        assert sent.round_trips == 1
        await runtime.redis.script_flush()  # a restarted Redis has forgotten the script
        with counting(sent):
            again = await store.standings(keys, "ada")
        assert again == standings
        assert sent.round_trips == 3  # NOSCRIPT, the script loaded, the pipeline again
    finally:
        await client.aclose()
    assert standings == [(2, 10)] * 4 + [None]


async def test_a_closed_period_no_longer_has_the_members_standing(gql, drain, runtime):
    await define(gql, "grant", 10, memberReportable=False)
    await earn(gql, drain, "ada")
    later = datetime.now(UTC) + timedelta(days=40)
    keys = current_keys("points", tuple(BoardPeriod), later, runtime.settings.tz)

    standings = await runtime.leaderboards.standings(keys, "ada")

    assert standings == [None, None, None, (1, 10)]  # a new day, week and month; all time stays
