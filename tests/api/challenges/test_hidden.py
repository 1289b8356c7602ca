"""Hidden challenges over GraphQL: invisible to members until they complete one.

A hidden challenge counts progress like any other, but no member-facing field names it before
the member completes it: not the challenge list, not their progress, not a reward badge, not a
board (its board is the admins' only, even after), not events, not live pushes, not their export,
not an anonymous read. Once completed it shows to that member (and only them) as completed,
with its CHALLENGE_COMPLETED event. Admins see everything all along.
"""

from __future__ import annotations

import json

from domain.models import ChallengeParticipant
from tests.api.badges.test_badges import badge, goal
from tests.api.challenges.test_challenges import (
    ENROLL,
    challenge,
    errors,
    mine,
    review,
    upsert,
)
from tests.api.events.test_member_events import subscribed
from tests.api.webhooks.common import allow_local_webhooks, create_endpoint, deliver
from tests.conftest import ADMIN, member, token
from tests.websockets import bearer

SECRET = "secret.sleuth"  # the hidden challenge's key
BADGE = "sleuth"  # its reward badge (a plain, listed badge: the reward must not tell)

# Every member-facing field that can name a challenge, a challenge's board or its reward badge,
# in one document; the key and the badge's reward link must appear in none of it.
EVERYTHING = f"""
query Everything {{
  challenges {{ key name rewardBadge {{ key }} }}
  active: challenges(status: ACTIVE) {{ key }}
  boards {{ board name periods }}
  archives: leaderboardArchives(board: "challenge:{SECRET}", period: ALL_TIME, last: 5) {{
    board entries {{ rank score }}
  }}
  badges {{ key name }}
  me {{
    challenges {{ challenge {{ key name rewardBadge {{ key }} }} completed }}
    standings {{ board period rank score }}
    badges {{ badge {{ key }} earned }}
    events(first: 50) {{ edges {{ node {{ kind message subject }} }} }}
    history(first: 50) {{ edges {{ node {{ reason description }} }} }}
  }}
}}
"""
BOARD = f'{{ leaderboard(board: "challenge:{SECRET}") {{ board size }} }}'
EXPORT = "query Export($id: ID!) { memberExport(memberId: $id) { data } }"
ANONYMOUS = f"""
{{ challenges {{ key }} boards {{ board }} badges {{ key }}
   archives: leaderboardArchives(board: "challenge:{SECRET}", period: ALL_TIME) {{ board }} }}
"""


async def define(gql) -> None:
    await badge(gql, BADGE)
    created = await challenge(
        gql,
        SECRET,
        goals=[goal("ACTION_COUNT", 2, "review.posted")],
        rewardPoints=40,
        rewardBadgeKey=BADGE,
        hidden=True,
    )
    assert created["hidden"] is True
    await challenge(gql, "open.sprint", goals=[goal("ACTION_COUNT", 5, "review.posted")])


def leaks(body: object) -> bool:
    return SECRET in json.dumps(body).lower()  # its key, or its name ("Secret.Sleuth")


async def test_a_hidden_challenge_shows_nowhere_until_the_member_completes_it(
    gql, drain, open_socket, settings
):
    await define(gql)
    await review(gql, "ada", "k1")
    await drain()
    # Progress is counted all the same.
    assert await ChallengeParticipant.filter(member_id="ada", challenge_id=SECRET).count() == 1
    before = await gql(EVERYTHING, as_=member("ada"))
    assert "errors" not in before, before
    assert not leaks(before)
    assert [c["key"] for c in before["data"]["challenges"]] == ["open.sprint"]
    assert [p["challenge"]["key"] for p in before["data"]["me"]["challenges"]] == ["open.sprint"]
    # Its board, its enrolment and its live board: no such thing, for a member or anybody.
    for who in (member("ada"), None):
        body = await gql(BOARD, as_=who)
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND" and not body.get("data")
        assert not leaks(await gql(ANONYMOUS, as_=who))
    body = await gql(ENROLL, {"key": SECRET}, as_=member("ada"))
    assert errors(body["data"]["enrollInChallenge"]) == [("NOT_FOUND", ["challengeKey"])]
    async with open_socket() as socket:
        await socket.init(bearer(settings, "ada"))
        await socket.subscribe(
            query=f'subscription {{ leaderboardChanged(board: "challenge:{SECRET}") {{ board }} }}'
        )
        refused = await socket.receive()
        assert refused["type"] == "error" and "NOT_FOUND" in json.dumps(refused)
    # The member's own export holds the progress, without naming the challenge or its board.
    export = await gql(EXPORT, {"id": "ada"}, as_=member("ada"))
    assert "errors" not in export and not leaks(export)
    rows = export["data"]["memberExport"]["data"]["challenges"]
    assert sorted(str(row["challenge"]) for row in rows) == ["None", "open.sprint"]

    # The second review completes it: now ada (and only ada) sees it, completed.
    await review(gql, "ada", "k2")
    await drain()
    after = await gql(EVERYTHING, as_=member("ada"))
    assert "errors" not in after, after
    data = after["data"]
    assert [c["key"] for c in data["challenges"]] == ["open.sprint", SECRET] or [
        c["key"] for c in data["challenges"]
    ] == [SECRET, "open.sprint"]
    shown = {p["challenge"]["key"]: p for p in data["me"]["challenges"]}
    assert shown[SECRET]["completed"] is True
    assert shown[SECRET]["challenge"]["rewardBadge"] == {"key": BADGE}
    events = [e["node"] for e in data["me"]["events"]["edges"]]
    assert {"kind": "CHALLENGE_COMPLETED", "subject": SECRET} in [
        {"kind": e["kind"], "subject": e["subject"]} for e in events
    ]
    # Its board stays the admins' (it would list members who have not found it yet).
    assert f"challenge:{SECRET}" not in json.dumps(data["boards"] + data["me"]["standings"])
    body = await gql(BOARD, as_=member("ada"))
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    export = await gql(EXPORT, {"id": "ada"}, as_=member("ada"))
    assert leaks(export)  # completed: named in the export too
    # bob has not completed it: nothing for him, nor for anybody anonymous.
    await review(gql, "bob", "b1")
    await drain()
    assert not leaks(await gql(EVERYTHING, as_=member("bob")))
    assert not leaks(await gql(ANONYMOUS))


async def test_admins_see_hidden_challenges_their_boards_and_everyones_progress(gql, drain):
    await define(gql)
    await review(gql, "ada", "k1")
    await drain()
    body = await gql(
        '{ challenges { key hidden } member(id: "ada") { challenges { challenge { key } } } '
        "boards { board } }",
        as_=ADMIN,
    )
    assert "errors" not in body, body
    data = body["data"]
    assert {"key": SECRET, "hidden": True} in data["challenges"]
    assert SECRET in [p["challenge"]["key"] for p in data["member"]["challenges"]]
    assert f"challenge:{SECRET}" in [b["board"] for b in data["boards"]]
    board = await gql(BOARD, as_=ADMIN)
    assert board["data"]["leaderboard"] == {"board": f"challenge:{SECRET}", "size": 1}
    # An admin's answer is never shared with anybody else's (the shared board pages).
    anonymous = await gql(BOARD)
    assert anonymous["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_hidden_challenge_cannot_require_enrolment(gql):
    payload = await upsert(gql, "surprise", hidden=True, requiresEnrollment=True)
    assert errors(payload) == [("INVALID_INPUT", ["input", "hidden"])]
    assert await mine(gql) == []


async def test_a_token_for_the_wrong_member_sees_nothing_of_anothers_hidden_completion(
    gql, drain, settings
):
    await define(gql)
    await review(gql, "ada", "k1")
    await review(gql, "ada", "k2")
    await drain()
    assert leaks(await gql("{ challenges { key } }", as_=member("ada")))
    assert not leaks(await gql("{ challenges { key } }", as_=member("bob")))
    assert not leaks(
        await gql("{ challenges { key } }", token_value=token(settings, "svc", "service"))
    )


async def test_live_events_and_webhooks_tell_of_it_only_at_completion(
    gql, drain, open_socket, server, hub, settings, runtime, receiver, monkeypatch
):
    allow_local_webhooks(monkeypatch, runtime)
    await create_endpoint(gql, receiver.url)  # every event
    await define(gql)
    async with open_socket() as phone:
        await phone.init(bearer(settings, "ada"))
        await phone.subscribe("live")
        await subscribed(server, hub, "ada")
        await review(gql, "ada", "k1")
        await drain()
        await deliver(runtime)
        before = [await phone.receive(within=2.0)]  # the review's points
        await phone.nothing_more()
        assert not leaks(before) and not leaks([r.document for r in receiver.received])
        await review(gql, "ada", "k2")
        await drain()
        await deliver(runtime)
        kinds = set()
        for _ in range(4):  # points, the challenge, its points, its badge
            kinds.add((await phone.receive(within=2.0))["payload"]["data"]["memberEvents"]["kind"])
        assert {"CHALLENGE_COMPLETED", "BADGE_EARNED"} <= kinds
    completed = [r.document["data"] for r in receiver.of("CHALLENGE_COMPLETED")]
    assert completed == [{"memberId": "ada", "challengeKey": SECRET}]
