"""The member read cache over HTTP: a member's repeat read is answered from Redis without SQL,
byte for byte what the executed answer sent; writes show at once; nothing is shared between
viewers; only members' error-free queries of the allowed roots are kept."""

from __future__ import annotations

import asyncio
import re

from api.graphiql import PROGRESS_QUERY
from api.read_cache.entries import Entry
from tests.api.badges.test_badges import badge, goal
from tests.api.challenges.test_challenges import challenge, enroll
from tests.api.read_cache.common import (
    ENTRY,
    EXECUTED,
    GRAPHQL_RESPONSE,
    cache_keys,
    data,
    entries_of,
    lookups,
    read,
)
from tests.conftest import ADMIN, SERVICE, member, token
from tests.helpers import INTERACTION, counting, define, record

POINTS = "query Points { me { id points { balance lifetime } } }"


async def program(gql, drain) -> None:
    """An action, a badge and a challenge; ada has two interactions awarded."""
    await define(gql, "app.open", 10, memberReportable=False)
    await badge(gql, "opener", [goal("ACTION_COUNT", 3, "app.open")])
    await challenge(gql, "sprint", goals=[goal("ACTION_COUNT", 5, "app.open")])
    await enroll(gql, "ada", "sprint")
    for key in ("k1", "k2"):
        await record(gql, SERVICE, action="app.open", memberId="ada", key=key)
    await drain()


async def test_a_repeat_read_is_the_same_bytes_without_sql(client, settings, gql, drain):
    await program(gql, drain)
    for accept in (GRAPHQL_RESPONSE, "application/json"):
        first = await read(client, settings, "ada", PROGRESS_QUERY, accept=accept)
        hits = lookups("hit")
        with counting() as sql:
            again = await read(client, settings, "ada", PROGRESS_QUERY, accept=accept)
        assert lookups("hit") == hits + 1
        assert sql.statements == []  # not executed: no statement at all
        assert again.content == first.content
        for header in ("content-type", "etag", "cache-control", "vary"):
            assert again.headers.get(header) == first.headers.get(header), header
    assert data(again)["me"]["points"]["balance"] == 20


async def test_an_award_shows_on_the_very_next_read(client, settings, gql, drain):
    await program(gql, drain)
    before = data(await read(client, settings, "ada", PROGRESS_QUERY))["me"]
    recorded = await record(gql, SERVICE, action="app.open", memberId="ada", key="k3")
    await drain()
    found = await gql(INTERACTION, {"id": recorded["interaction"]["id"]}, as_=ADMIN)
    assert found["data"]["interaction"]["status"] == "AWARDED"
    after = data(await read(client, settings, "ada", PROGRESS_QUERY))["me"]
    assert after["points"]["balance"] == before["points"]["balance"] + 10
    assert [b["earned"] for b in after["badges"]] == [True]  # the third interaction earns it
    assert after["challenges"][0]["progress"][0]["current"] == 3


async def test_a_definition_change_shows_on_the_next_read(client, settings, gql, drain):
    await program(gql, drain)
    await read(client, settings, "ada", PROGRESS_QUERY)
    await badge(gql, "opener", [goal("ACTION_COUNT", 3, "app.open")], name="Early bird")
    me = data(await read(client, settings, "ada", PROGRESS_QUERY))["me"]
    assert me["badges"][0]["badge"]["name"] == "Early bird"


async def test_nothing_is_shared_between_viewers(client, settings, gql, drain, runtime):
    await program(gql, drain)
    ada = data(await read(client, settings, "ada", POINTS))["me"]
    bob = data(await read(client, settings, "bob", POINTS))["me"]
    assert (ada["id"], ada["points"]["balance"]) == ("ada", 20)
    assert (bob["id"], bob["points"]["balance"]) == ("bob", 0)
    # Again, now from the cache: still each their own.
    assert data(await read(client, settings, "ada", POINTS))["me"] == ada
    assert data(await read(client, settings, "bob", POINTS))["me"] == bob
    assert len(await entries_of(runtime, "ada")) == len(await entries_of(runtime, "bob")) == 1


async def test_admins_and_services_are_never_answered_from_it(
    client, settings, gql, drain, runtime
):
    await program(gql, drain)
    query = "{ badges { key } tiers { key } }"
    await read(client, settings, "ada", query)  # ada's answer is kept...
    for who, role in (("ada", "admin"), ("root", "admin"), ("importer", "service")):
        await read(client, settings, who, query, role=role)
        with counting() as sql:
            await read(client, settings, who, query, role=role)
        assert sql.statements != [], role  # ...but other roles' are executed every time
    assert [key for key in await cache_keys(runtime) if ":e:" in key] == (
        await entries_of(runtime, "ada")
    )


async def test_only_queries_of_the_allowed_roots_are_kept(client, settings, gql, drain, runtime):
    await program(gql, drain)
    recorded = await record(gql, SERVICE, action="app.open", memberId="ada", key="k3")
    not_kept = [
        # Boards: their public pages have their own shared cache; around/entry stay fast.
        ('{ leaderboard(board: "points") { around { rank } } }', None),
        # Polled while PENDING, which recording does not touch.
        (INTERACTION, {"id": recorded["interaction"]["id"]}),
        # Other members' content.
        ("{ contents { edges { node { id } } } }", None),
        # A root beside `me` that is not allowed makes the whole document uncached.
        ('{ me { id } leaderboard(board: "points") { size } }', None),
        ("{ __schema { queryType { name } } }", None),
    ]
    for query, variables in not_kept:
        await read(client, settings, "ada", query, variables)
        await read(client, settings, "ada", query, variables)
    assert await entries_of(runtime, "ada") == []


async def test_answers_with_errors_are_never_kept(client, settings, gql, drain, runtime):
    await program(gql, drain)
    # Insight is for admins unless the program lets members see theirs: FORBIDDEN.
    query = "{ me { id insight { asOf } } }"
    for _ in range(2):
        body = (await read(client, settings, "ada", query)).json()
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await entries_of(runtime, "ada") == []


async def test_a_client_may_ask_for_a_fresh_answer(client, settings, gql, drain, runtime):
    await program(gql, drain)
    await read(client, settings, "ada", POINTS)
    with counting() as sql:
        await read(client, settings, "ada", POINTS, headers={"cache-control": "no-cache"})
    assert sql.statements != []  # computed again, and kept
    with counting() as sql:
        await read(client, settings, "ada", POINTS)
    assert sql.statements == []
    with counting() as sql:
        await read(client, settings, "ada", POINTS, headers=EXECUTED)
    assert sql.statements != []


async def test_keys_are_hash_tagged_per_member(client, settings, gql, drain, runtime):
    await program(gql, drain)
    for who in ("ada", "bob", "an id with spaces {and braces}"):
        await read(client, settings, who, POINTS)
    keys = await cache_keys(runtime)
    namespace = runtime.settings.redis_namespace
    tags = set()
    for key in keys:
        parsed = ENTRY.match(key)
        assert parsed is not None and parsed["ns"] == namespace, key
        tags.add(parsed["tag"])
    assert {"m:ada", "m:bob", "p"} <= tags
    # An id that cannot sit inside a hash tag is tagged by a digest of it.
    assert len(tags) == 4 and all(" " not in tag and "{" not in tag for tag in tags)


async def test_volatile_fields_are_kept_a_second_at_most(
    client, settings, gql, drain, runtime, clock
):
    await program(gql, drain)
    volatile = "{ me { challenges { challenge { key participants } } } }"
    steady = "{ me { challenges { challenge { key } } } }"
    for query in (volatile, steady):
        await read(client, settings, "ada", query)
    ttls = sorted([await runtime.redis.pttl(key) for key in await entries_of(runtime, "ada")])
    assert len(ttls) == 2
    assert 0 < ttls[0] <= 1000  # the volatile one
    assert ttls[1] > 60_000  # the other: until midnight (the clock says noon) or the TTL
    # The clock as well: a second later the volatile answer is computed again.
    clock.advance(seconds=1)
    with counting() as sql:
        await read(client, settings, "ada", volatile)
    assert sql.statements != []
    with counting() as sql:
        await read(client, settings, "ada", steady)
    assert sql.statements == []


async def test_a_member_is_touched_by_their_writes_only(client, settings, gql, drain):
    await program(gql, drain)
    await read(client, settings, "ada", POINTS)
    await read(client, settings, "bob", POINTS)
    await record(gql, SERVICE, action="app.open", memberId="bob", key="b1")
    await drain()
    with counting() as sql:
        assert data(await read(client, settings, "ada", POINTS))["me"]["points"]["balance"] == 20
    assert sql.statements == []  # bob's award left ada's answer alone
    assert data(await read(client, settings, "bob", POINTS))["me"]["points"]["balance"] == 10


async def test_a_member_token_reads_only_as_itself(client, settings, gql, drain):
    """The subject is part of the key: the same document, another member, another answer; and a
    member token with the admin's subject is still a member."""
    await program(gql, drain)
    ada = data(await read(client, settings, "ada", POINTS))
    assert data(await read(client, settings, "root", POINTS))["me"]["id"] == "root"
    assert data(await read(client, settings, "ada", POINTS)) == ada
    body = await gql(POINTS, as_=member("ada"))
    assert body["data"] == ada


async def test_no_command_spans_two_members(client, settings, gql, drain, runtime):
    """Every command the cache and its writers send, scripts' own calls included (Redis's
    MONITOR shows them), names keys of one member's slot, or of the program's: what Redis
    Cluster needs."""
    await program(gql, drain)
    slot = re.compile(re.escape(runtime.settings.redis_namespace) + r":rc:\{([^}]*)\}")
    seen: list[str] = []
    async with runtime.redis.monitor() as monitor:

        async def listen() -> None:
            async for command in monitor.listen():
                seen.append(command["command"])
                if command["command"] == "ECHO end-of-test":
                    return

        listening = asyncio.create_task(listen())
        for who in ("ada", "bob"):
            await read(client, settings, who, PROGRESS_QUERY)
        # One batch awards both: its marks and new versions go out in one pipeline.
        for who in ("ada", "bob"):
            await record(gql, SERVICE, action="app.open", memberId=who, key=f"{who}-9")
        await drain()
        await badge(gql, "opener", [goal("ACTION_COUNT", 3, "app.open")], name="Renamed")
        for who in ("ada", "bob"):
            await read(client, settings, who, PROGRESS_QUERY)
            await read(client, settings, who, PROGRESS_QUERY)
        await runtime.redis.echo("end-of-test")
        await asyncio.wait_for(listening, 30)
    spanning = [command for command in seen if len(set(slot.findall(command))) > 1]
    assert spanning == []
    touched = {tag for command in seen for tag in slot.findall(command)}
    assert {"m:ada", "m:bob", "p"} <= touched


async def test_clients_that_accept_gzip_get_the_stored_bytes_as_they_are(
    client, settings, gql, drain
):
    await program(gql, drain)
    identity = {"accept-encoding": "identity"}
    plain = await read(client, settings, "ada", POINTS, headers=identity)
    with counting() as sql:
        again = await read(client, settings, "ada", POINTS, headers=identity)
        zipped = await read(client, settings, "ada", POINTS, headers={"accept-encoding": "gzip"})
    assert sql.statements == []
    assert "content-encoding" not in plain.headers and "content-encoding" not in again.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == again.content == plain.content  # decoded by the client
    assert again.headers["etag"] == plain.headers["etag"] != zipped.headers["etag"]
    for response in (plain, again, zipped):
        assert "Accept-Encoding" in response.headers["vary"]
    # Revalidated over GET: the gzip representation's ETag names it.
    revalidated = await client.get(
        "/graphql",
        params={"query": POINTS},
        headers={
            "authorization": f"Bearer {token(settings, 'ada', 'member')}",
            "accept": GRAPHQL_RESPONSE,
            "accept-encoding": "gzip",
            "if-none-match": zipped.headers["etag"],
        },
    )
    assert revalidated.status_code == 304 and revalidated.content == b""


async def test_a_304_from_the_cache_does_not_unzip_the_answer(
    client, settings, gql, drain, monkeypatch
):
    await program(gql, drain)
    headers = {
        "authorization": f"Bearer {token(settings, 'ada', 'member')}",
        "accept": GRAPHQL_RESPONSE,
        "accept-encoding": "identity",
    }
    first = await client.get("/graphql", params={"query": POINTS}, headers=headers)
    assert first.status_code == 200
    unzipped: list[Entry] = []
    body = Entry.body

    def counted(entry: Entry) -> bytes:
        unzipped.append(entry)
        return body(entry)

    monkeypatch.setattr(Entry, "body", counted)
    hits = lookups("hit")
    revalidated = await client.get(
        "/graphql",
        params={"query": POINTS},
        headers=headers | {"if-none-match": first.headers["etag"]},
    )
    assert revalidated.status_code == 304 and revalidated.content == b""
    assert revalidated.headers["etag"] == first.headers["etag"]
    assert lookups("hit") == hits + 1 and unzipped == []
    # Another ETag: the answer is sent whole, unzipped for this client.
    stale = await client.get(
        "/graphql", params={"query": POINTS}, headers=headers | {"if-none-match": '"other"'}
    )
    assert stale.status_code == 200 and stale.content == first.content
    assert len(unzipped) == 1
