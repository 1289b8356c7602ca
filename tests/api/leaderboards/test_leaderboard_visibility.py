"""Leaderboard privacy: a member shows on boards as PUBLIC (name and avatar), ANONYMOUS
("Member #<rank>", no id, name or avatar) or HIDDEN (absent for others, who are ranked among
the visible members only; the member still sees their own rank). The change shows at once on
every board, in every read path and in the live pushes; closed archives keep their display;
rebuilding the boards from the database keeps it, and verify agrees."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.leaderboards import archives as leaderboard_archives
from domain.leaderboards import scores as leaderboards
from gamification.leaderboards import BoardPeriod
from tests.api.leaderboards.test_leaderboard_fanout import following
from tests.api.leaderboards.test_leaderboard_live import updates
from tests.api.leaderboards.test_leaderboards import credit
from tests.conftest import SERVICE, member
from tests.helpers import LEADERBOARD, codes
from tests.websockets import bearer

SET = """
mutation Set($visibility: LeaderboardVisibility!) {
  setLeaderboardVisibility(visibility: $visibility) { id leaderboardVisibility }
}
"""
PROFILE = """
mutation Profile($name: String!, $avatar: String!) {
  updateProfile(input: {displayName: $name, avatarUrl: $avatar}) { errors { code } }
}
"""
# Answered without executing (`api/leaderboards/direct.py`): only neighbourhoods of a board.
DIRECT = """
query Near($memberId: ID, $period: LeaderboardPeriod!) {
  leaderboard(board: "points", period: $period) {
    around(memberId: $memberId, radius: 5) { rank score member { id displayName avatarUrl } }
    entry(memberId: $memberId) { rank score member { id displayName avatarUrl } }
  }
}
"""
# Executed through graphql-core: the same reads, and a page, and the size.
EXECUTED = """
query Mine($period: LeaderboardPeriod!) {
  leaderboard(board: "points", period: $period) {
    size
    entries(first: 10) { edges { cursor node { rank score member { id displayName avatarUrl } } } }
    around(radius: 5) { rank score member { id displayName avatarUrl } }
    entry { rank score member { id displayName avatarUrl } }
  }
  me { leaderboardVisibility standings { board period rank score } }
}
"""
ARCHIVES = """
query Archives {
  leaderboardArchives(board: "points", period: DAILY) {
    entries { rank score member { id displayName avatarUrl } }
  }
}
"""
LIVE = """
subscription Live {
  leaderboardChanged(board: "points", period: ALL_TIME, top: 5) {
    top { rank score member { id displayName avatarUrl } }
    me { rank score member { id displayName avatarUrl } }
  }
}
"""
EXPORT = "query Export($id: ID!) { memberExport(memberId: $id) { data } }"
SAM, SAM_NAME, SAM_AVATAR = "sam-secret", "Samantha Private", "https://cdn.example/sam.png"
ANONYMOUS_SAM = {"id": "anonymous:2", "displayName": "Member #2", "avatarUrl": None}


async def choose(gql, who: str, visibility: str) -> None:
    body = await gql(SET, {"visibility": visibility}, as_=member(who))
    assert body["data"]["setLeaderboardVisibility"] == {
        "id": who,
        "leaderboardVisibility": visibility,
    }, body


async def standings_with_sam(gql, drain) -> None:
    """ada 50, sam 40 (with a name and an avatar of their own), bob 30, cy 20."""
    body = await gql(PROFILE, {"name": SAM_NAME, "avatar": SAM_AVATAR}, as_=member(SAM))
    assert body["data"]["updateProfile"]["errors"] == []
    for who, points in (("ada", 50), (SAM, 40), ("bob", 30), ("cy", 20)):
        await credit(gql, who, points, f"{who}-1")
    await drain()


def leaks(body: Any) -> list[str]:
    """Whatever of sam a response shows: their id, name or avatar anywhere in its JSON, or in
    a cursor it carries (cursors are base64)."""
    raw = json.dumps(body)
    found = [secret for secret in (SAM, SAM_NAME, SAM_AVATAR) if secret in raw]
    for edge in _edges(body):
        cursor = edge["cursor"]
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        found += [f"cursor {decoded}" for secret in (SAM,) if secret in decoded]
    return found


def _edges(body: Any) -> list[dict[str, Any]]:
    board = (body.get("data") or {}).get("leaderboard") or {}
    return list((board.get("entries") or {}).get("edges") or [])


def shown(entries: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    return [(e["rank"], e["score"], e["member"]["id"]) for e in entries]


def page(body: Any) -> list[tuple[int, int, str]]:
    return shown([edge["node"] for edge in _edges(body)])


async def test_visibility_is_public_by_default_and_each_member_sets_their_own(gql):
    body = await gql("{ me { leaderboardVisibility } }", as_=member("ada"))
    assert body["data"]["me"]["leaderboardVisibility"] == "PUBLIC"
    await choose(gql, "ada", "HIDDEN")
    await choose(gql, "ada", "HIDDEN")  # the same again changes nothing
    body = await gql("{ me { leaderboardVisibility } }", as_=member("ada"))
    assert body["data"]["me"]["leaderboardVisibility"] == "HIDDEN"

    export = await gql(EXPORT, {"id": "ada"}, as_=member("ada"))
    assert export["data"]["memberExport"]["data"]["profile"]["leaderboardVisibility"] == "HIDDEN"

    body = await gql(SET, {"visibility": "ANONYMOUS"}, as_=SERVICE)
    assert codes(body) == ["FORBIDDEN"]
    assert codes(await gql(SET, {"visibility": "ANONYMOUS"})) == ["UNAUTHENTICATED"]
    assert codes(await gql(SET, {"visibility": "NOBODY"}, as_=member("ada")))


async def test_an_anonymous_entry_carries_no_id_name_or_avatar_in_any_read(gql, drain):
    await standings_with_sam(gql, drain)
    await choose(gql, SAM, "ANONYMOUS")

    for period in ("ALL_TIME", "WEEKLY"):
        # The top, a page after the anonymous entry's cursor, and a public member's neighbours.
        body = await gql(
            LEADERBOARD, {"period": period, "first": 2, "memberId": "bob"}, as_=member("bob")
        )
        assert "errors" not in body, body
        assert leaks(body) == []
        entries = [edge["node"] for edge in _edges(body)]
        assert entries[1] == {"rank": 2, "score": 40, "member": ANONYMOUS_SAM}
        assert page(body) == [(1, 50, "ada"), (2, 40, "anonymous:2")]
        board = body["data"]["leaderboard"]
        assert board["size"] == 4
        assert shown(board["around"]) == [
            (1, 50, "ada"),
            (2, 40, "anonymous:2"),
            (3, 30, "bob"),
            (4, 20, "cy"),
        ]
        after = board["entries"]["pageInfo"]["endCursor"]
        body = await gql(LEADERBOARD, {"period": period, "first": 5, "after": after})
        assert page(body) == [(3, 30, "bob"), (4, 20, "cy")]

        # Looked up by id, an anonymous member is not found by anybody else (the lookup
        # would name them); answered without executing, as the executed reads answer.
        near = await gql(DIRECT, {"period": period, "memberId": SAM}, as_=member("bob"))
        assert near == {"data": {"leaderboard": {"around": [], "entry": None}}}
        near = await gql(DIRECT, {"period": period, "memberId": "cy"}, as_=member("bob"))
        assert leaks(near) == []
        assert near["data"]["leaderboard"]["around"][1]["member"] == ANONYMOUS_SAM

        # Sam sees their own rank, shown as everybody sees it.
        mine = await gql(EXECUTED, {"period": period}, as_=member(SAM))
        assert mine["data"]["leaderboard"]["entry"] == {
            "rank": 2,
            "score": 40,
            "member": ANONYMOUS_SAM,
        }
        assert mine["data"]["me"]["leaderboardVisibility"] == "ANONYMOUS"
        own = await gql(DIRECT, {"period": period, "memberId": SAM}, as_=member(SAM))
        assert own["data"]["leaderboard"]["entry"]["rank"] == 2

    # Anybody without a token reads the same public page.
    body = await gql(LEADERBOARD, {"period": "ALL_TIME"})
    assert leaks(body) == [] and page(body)[1] == (2, 40, "anonymous:2")


async def test_a_hidden_member_is_absent_for_others_who_are_ranked_among_visible_members(
    gql, drain
):
    await standings_with_sam(gql, drain)
    await choose(gql, SAM, "HIDDEN")
    await credit(gql, SAM, 5, "sam-2")  # a hidden member's new points stay hidden
    await drain()

    for period in ("ALL_TIME", "DAILY", "MONTHLY"):
        body = await gql(LEADERBOARD, {"period": period, "memberId": "ada"}, as_=member("bob"))
        assert leaks(body) == []
        assert page(body) == [(1, 50, "ada"), (2, 30, "bob"), (3, 20, "cy")]
        assert body["data"]["leaderboard"]["size"] == 3
        assert shown(body["data"]["leaderboard"]["around"]) == page(body)
        near = await gql(DIRECT, {"period": period, "memberId": SAM}, as_=member("ada"))
        assert near == {"data": {"leaderboard": {"around": [], "entry": None}}}

        # Sam's own rank is where they would stand among the visible members: one ahead.
        mine = await gql(EXECUTED, {"period": period}, as_=member(SAM))
        assert "errors" not in mine, mine
        board = mine["data"]["leaderboard"]
        sam = {"id": SAM, "displayName": SAM_NAME, "avatarUrl": SAM_AVATAR}
        assert board["entry"] == {"rank": 2, "score": 45, "member": sam}
        # Their neighbours keep the ranks everybody sees (bob shares Sam's number).
        assert shown(board["around"]) == [
            (1, 50, "ada"),
            (2, 45, SAM),
            (2, 30, "bob"),
            (3, 20, "cy"),
        ]
        assert page(mine) == [(1, 50, "ada"), (2, 30, "bob"), (3, 20, "cy")]
        own = await gql(DIRECT, {"period": period, "memberId": SAM}, as_=member(SAM))
        assert shown(own["data"]["leaderboard"]["around"]) == shown(board["around"])
    standings = (await gql(EXECUTED, {"period": "ALL_TIME"}, as_=member(SAM)))["data"]["me"]
    points = {(s["period"], s["rank"], s["score"]) for s in standings["standings"]}
    assert points == {(p, 2, 45) for p in ("DAILY", "WEEKLY", "MONTHLY", "ALL_TIME")}

    # Ties count as they do on the board: whoever reached the score first ranks higher.
    await credit(gql, "bob", 15, "bob-2")  # bob reaches 45 after sam did
    await drain()
    board = (await gql(EXECUTED, {"period": "ALL_TIME"}, as_=member(SAM)))["data"]["leaderboard"]
    assert board["entry"]["rank"] == 2
    assert shown(board["around"])[:3] == [(1, 50, "ada"), (2, 45, SAM), (2, 45, "bob")]
    await credit(gql, "cy", 25, "cy-2")  # cy reaches 45 later still
    await drain()
    assert page(await gql(LEADERBOARD, {"period": "ALL_TIME"})) == [
        (1, 50, "ada"),
        (2, 45, "bob"),
        (3, 45, "cy"),
    ]

    # Back to PUBLIC: listed again at once, where the scores put them.
    await choose(gql, SAM, "PUBLIC")
    body = await gql(LEADERBOARD, {"period": "ALL_TIME"})
    assert page(body) == [(1, 50, "ada"), (2, 45, SAM), (3, 45, "bob"), (4, 45, "cy")]


async def test_a_live_subscription_shows_the_change_at_once_without_the_member(
    open_socket, server, hub, gql, drain, settings
):
    await standings_with_sam(gql, drain)
    async with open_socket() as other, open_socket() as own:
        await other.init(bearer(settings, "bob"))
        await own.init(bearer(settings, SAM))
        for socket in (other, own):
            await socket.send({"id": "1", "type": "subscribe", "payload": {"query": LIVE}})
        await following(server, hub, 2)

        await choose(gql, SAM, "ANONYMOUS")
        [(_, pushed)] = await updates(other, quiet=1.2)
        assert leaks(pushed) == []
        assert pushed["top"][1] == {"rank": 2, "score": 40, "member": ANONYMOUS_SAM}
        assert shown([pushed["me"]]) == [(3, 30, "bob")]
        [(_, mine)] = await updates(own, quiet=0.1)
        assert mine["me"] == {"rank": 2, "score": 40, "member": ANONYMOUS_SAM}

        await choose(gql, SAM, "HIDDEN")
        [(_, pushed)] = await updates(other, quiet=1.6)
        assert leaks(pushed) == []
        assert shown(pushed["top"]) == [(1, 50, "ada"), (2, 30, "bob"), (3, 20, "cy")]
        assert shown([pushed["me"]]) == [(2, 30, "bob")]
        [(_, mine)] = await updates(own, quiet=0.1)
        assert shown(mine["top"]) == shown(pushed["top"])
        assert shown([mine["me"]]) == [(2, 40, SAM)]
        assert mine["me"]["member"]["displayName"] == SAM_NAME


async def test_closed_archives_keep_the_display_they_closed_with(gql, drain, runtime):
    await standings_with_sam(gql, drain)
    await choose(gql, SAM, "ANONYMOUS")
    await choose(gql, "bob", "HIDDEN")
    later = datetime.now(UTC) + timedelta(days=40)
    assert await leaderboard_archives.archive_closed(later, runtime.settings.tz, 100) == 3

    def archived(body: Any) -> list[tuple[int, int, str]]:
        [day] = body["data"]["leaderboardArchives"]
        return shown(day["entries"])

    body = await gql(ARCHIVES)
    assert leaks(body) == []
    assert archived(body) == [(1, 50, "ada"), (2, 40, "anonymous:2"), (3, 20, "cy")]
    assert body["data"]["leaderboardArchives"][0]["entries"][1]["member"] == ANONYMOUS_SAM

    await choose(gql, SAM, "PUBLIC")
    await choose(gql, "bob", "PUBLIC")
    body = await gql(ARCHIVES)
    assert archived(body) == [(1, 50, "ada"), (2, 40, "anonymous:2"), (3, 20, "cy")]
    assert leaks(body) == []
    # The open boards show the change at once.
    assert page(await gql(LEADERBOARD, {"period": "ALL_TIME"})) == [
        (1, 50, "ada"),
        (2, 40, SAM),
        (3, 30, "bob"),
        (4, 20, "cy"),
    ]


async def test_rebuild_keeps_every_members_visibility_and_verify_agrees(gql, drain, runtime):
    await standings_with_sam(gql, drain)
    await choose(gql, SAM, "ANONYMOUS")
    await choose(gql, "bob", "HIDDEN")
    now, tz = datetime.now(UTC), runtime.settings.tz
    assert await leaderboards.verify(runtime.leaderboards, now, tz) == []

    async def everything() -> list[Any]:
        return [
            await gql(EXECUTED, {"period": period}, as_=member(who))
            for period in ("ALL_TIME", "WEEKLY")
            for who in ("ada", SAM, "bob")
        ]

    before = await everything()
    assert page(before[0]) == [(1, 50, "ada"), (2, 40, "anonymous:2"), (3, 20, "cy")]
    await runtime.redis.flushdb()
    await leaderboards.rebuild(runtime.leaderboards, now, tz)
    assert await everything() == before
    assert await leaderboards.verify(runtime.leaderboards, now, tz) == []

    # A board that lost a visibility change is found by verify, and repaired by a rebuild.
    all_time = leaderboards.current_board("points", BoardPeriod.ALL_TIME, now, tz)
    await runtime.leaderboards.set_profile([all_time], "bob", "")
    found = await leaderboards.verify(runtime.leaderboards, now, tz)
    assert {(d.member_id, d.kind) for d in found} == {("bob", "profile"), ("bob", "placement")}
    await leaderboards.rebuild(runtime.leaderboards, now, tz)
    assert await leaderboards.verify(runtime.leaderboards, now, tz) == []
