"""Automatic persisted queries as Apollo Client's persisted-query link speaks them: a hash
alone, PERSISTED_QUERY_NOT_FOUND (HTTP 200, so that the link retries), registration by the
query sent with its hash, and refusals of hashes that are not the query's or not well formed;
over GET (extensions as a JSON parameter) and POST, never a 500 or an ERROR log line."""

from __future__ import annotations

import json
import logging

import pytest

from tests.api.persisted_queries.conftest import LEGACY, extensions, sha256
from tests.conftest import ADMIN, token
from tests.helpers import codes, define

ACTIONS = "query Actions { actions { key points } }"
NOT_FOUND = {
    "errors": [
        {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
    ]
}


def no_errors_logged(caplog: pytest.LogCaptureFixture) -> None:
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_hash_nobody_registered_is_not_found_with_http_200(apollo, persisted, method):
    send = apollo.get if method == "GET" else apollo.post
    response = await send(sha256(ACTIONS))

    assert response.status_code == 200  # Apollo Server's status: Apollo Client 3 gives up on 400
    assert response.json() == NOT_FOUND
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


async def test_not_found_is_200_in_the_legacy_media_type_too(apollo, persisted):
    response = await apollo.get(sha256(ACTIONS), headers=LEGACY)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == NOT_FOUND


async def test_the_retry_with_the_query_registers_it_for_every_client(apollo, persisted, gql):
    await define(gql, "app.daily_open", 10)
    sha = sha256(ACTIONS)
    assert (await apollo.get(sha)).json() == NOT_FOUND

    retry = await apollo.post(sha, query=ACTIONS)  # what the link sends after NOT_FOUND
    assert retry.status_code == 200
    assert retry.json() == {"data": {"actions": [{"key": "app.daily_open", "points": 10}]}}

    persisted.registry.local.clear()  # another API process: only Redis knows it
    hit = await apollo.get(sha)
    assert hit.status_code == 200
    assert hit.json() == retry.json()
    assert await persisted.registry.redis.hexists(persisted.registry.documents_key, sha)


async def test_a_hash_alone_carries_its_variables_and_operation_name(apollo, persisted, gql):
    await define(gql, "app.daily_open", 10)
    document = "query A { actions { key } } query B($f: Boolean!) { a: __typename @skip(if: $f) }"
    sha = sha256(document)
    body = {"query": document, "operationName": "A", "extensions": extensions(sha)}
    assert (await apollo.post(None, body=body)).status_code == 200

    response = await apollo.get(sha, operation_name="A", variables={})
    assert response.json() == {"data": {"actions": [{"key": "app.daily_open"}]}}
    response = await apollo.get(sha, operation_name="B", variables={"f": False})
    assert response.json() == {"data": {"a": "Query"}}
    response = await apollo.get(sha, operation_name="B", variables={"f": True})
    assert response.json() == {"data": {}}


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_hash_that_is_not_the_query_s_is_refused_and_registers_nothing(
    apollo, persisted, method, caplog
):
    other = sha256("{ __typename }")
    if method == "GET":
        response = await apollo.get(other, query=ACTIONS)
    else:
        response = await apollo.post(other, query=ACTIONS)

    assert response.status_code == 400
    assert codes(response.json()) == ["PERSISTED_QUERY_HASH_MISMATCH"]
    assert "data" not in response.json()
    assert response.headers["cache-control"] == "no-store"
    assert (await apollo.get(other)).json() == NOT_FOUND
    assert (await apollo.get(sha256(ACTIONS))).json() == NOT_FOUND
    no_errors_logged(caplog)


async def test_a_document_that_does_not_validate_is_not_registered(apollo, persisted):
    document = "query Broken { noSuchField }"
    sha = sha256(document)

    response = await apollo.post(sha, query=document)
    assert codes(response.json()) == ["GRAPHQL_VALIDATION_FAILED"]
    persisted.registry.local.clear()
    assert (await apollo.get(sha)).json() == NOT_FOUND


async def test_a_mutation_registered_by_post_stays_405_over_get(apollo, persisted):
    document = 'mutation Touch { updateProfile(input: {displayName: "x"}) { errors { code } } }'
    sha = sha256(document)
    headers = {"authorization": f"Bearer {token_for_member()}"}
    registered = await apollo.post(sha, query=document, headers=headers)
    assert registered.status_code == 200, registered.text

    response = await apollo.get(sha, headers=headers)
    assert response.status_code == 405
    assert codes(response.json()) == ["METHOD_NOT_ALLOWED"]
    assert response.headers["allow"] == "POST"


def token_for_member() -> str:
    from domain.infra.settings import Settings
    from tests.conftest import SECRET

    return token(Settings(jwt_secret=SECRET), "ada")


@pytest.mark.parametrize("accept", ["*/*", "text/html,application/json"])
async def test_a_hash_alone_over_get_is_answered_not_graphiql(client, persisted, accept):
    """Strawberry shows GraphiQL to a GET without `query`; Apollo Client 3 sends `*/*`."""
    params = {"extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": "a" * 64}})}
    response = await client.get("/graphql", params=params, headers={"accept": accept})
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == NOT_FOUND


BAD_PERSISTED = [
    pytest.param([1], "must be an object", id="persistedQuery a list"),
    pytest.param("abc", "must be an object", id="persistedQuery a string"),
    pytest.param({"sha256Hash": "a" * 64}, "version must be 1", id="no version"),
    pytest.param({"version": 2, "sha256Hash": "a" * 64}, "version must be 1", id="version 2"),
    pytest.param({"version": "1", "sha256Hash": "a" * 64}, "version must be 1", id="version '1'"),
    pytest.param({"version": True, "sha256Hash": "a" * 64}, "version must be 1", id="version true"),
    pytest.param({"version": 1.0, "sha256Hash": "a" * 64}, "version must be 1", id="version 1.0"),
    pytest.param({"version": 1}, "64 lowercase", id="no hash"),
    pytest.param({"version": 1, "sha256Hash": 12}, "64 lowercase", id="hash a number"),
    pytest.param({"version": 1, "sha256Hash": None}, "64 lowercase", id="hash null"),
    pytest.param({"version": 1, "sha256Hash": ["a" * 64]}, "64 lowercase", id="hash a list"),
    pytest.param({"version": 1, "sha256Hash": "a" * 63}, "64 lowercase", id="hash too short"),
    pytest.param({"version": 1, "sha256Hash": "a" * 65}, "64 lowercase", id="hash too long"),
    pytest.param({"version": 1, "sha256Hash": "A" * 64}, "64 lowercase", id="hash upper case"),
    pytest.param({"version": 1, "sha256Hash": "g" * 64}, "64 lowercase", id="hash not hex"),
    pytest.param({"version": 1, "sha256Hash": "a" * 10_000}, "64 lowercase", id="hash huge"),
]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(("persisted_query", "says"), BAD_PERSISTED)
async def test_a_malformed_persisted_query_is_a_400_that_says_what_is_wrong(
    apollo, persisted, method, persisted_query, says, caplog
):
    extensions = {"persistedQuery": persisted_query}
    if method == "GET":
        response = await apollo.get("", raw_extensions=json.dumps(extensions))
    else:
        response = await apollo.post(None, body={"extensions": extensions})

    assert response.status_code == 400
    body = response.json()
    assert codes(body) == ["BAD_REQUEST"]
    assert says in body["errors"][0]["message"]
    assert "data" not in body
    no_errors_logged(caplog)


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("[1]", "must be a JSON object"),
        ("5", "must be a JSON object"),
        ('"x"', "must be a JSON object"),
        ("true", "must be a JSON object"),
        ("{", "is not JSON"),
        ("\ufffd", "is not JSON"),
    ],
)
async def test_get_extensions_that_are_not_an_object_are_a_400_naming_them(
    apollo, persisted, raw, says, caplog
):
    response = await apollo.get("", query=ACTIONS, raw_extensions=raw)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["message"] == f"the `extensions` parameter {says}"
    assert codes(response.json()) == ["BAD_REQUEST"]
    no_errors_logged(caplog)


async def test_get_extensions_in_bytes_that_are_not_utf8_are_a_400(client, persisted):
    response = await client.get("/graphql?query=%7B__typename%7D&extensions=%FF%FE")
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_REQUEST"]


async def test_get_extensions_null_are_no_extensions(apollo, persisted):
    response = await apollo.get("", query="{ __typename }", raw_extensions="null")
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_post_extensions_that_are_not_an_object_are_a_400(apollo, persisted):
    response = await apollo.post(None, body={"query": ACTIONS, "extensions": [1]})
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_REQUEST"]
    assert "`extensions` must be an object" in response.json()["errors"][0]["message"]


async def test_plain_documents_and_other_extensions_run_as_before(apollo, persisted, gql):
    await define(gql, "app.daily_open", 10)
    body = {"query": ACTIONS, "extensions": {"tracing": True}}
    response = await apollo.post(None, body=body)
    assert response.json() == {"data": {"actions": [{"key": "app.daily_open", "points": 10}]}}


async def test_with_persisted_queries_off_a_hash_is_not_supported(apollo, persisted, gql):
    """Apollo Client then turns its persisted-query link off and sends full documents."""
    persisted.mode = "off"
    sha = sha256(ACTIONS)

    for response in (await apollo.get(sha), await apollo.post(sha, query=ACTIONS)):
        assert response.status_code == 200
        assert response.json() == {
            "errors": [
                {
                    "message": "PersistedQueryNotSupported",
                    "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"},
                }
            ]
        }
    assert (await apollo.post(None, query=ACTIONS)).json() == {"data": {"actions": []}}


@pytest.fixture
def registry(persisted):
    """The server's registry with a clock of its own (seconds, moved by hand)."""
    registry = persisted.registry
    saved = registry.clock, registry.max_documents
    now = [1_000_000.0]
    registry.clock = lambda: now[0]
    registry.now = now
    yield registry
    registry.clock, registry.max_documents = saved


async def test_registrations_are_bounded_and_the_least_recently_used_go_first(registry):
    registry.max_documents = 3
    documents = [f"query Q{n} {{ __typename }}" for n in range(5)]
    for document in documents[:3]:
        await registry.put(sha256(document), document)
        registry.now[0] += 1
    registry.local.clear()
    assert await registry.get(sha256(documents[0])) == documents[0]  # used: now the newest
    for document in documents[3:]:
        registry.now[0] += 1
        await registry.put(sha256(document), document)
    registry.local.clear()

    kept = [await registry.get(sha256(document)) is not None for document in documents]
    assert kept == [True, False, False, True, True]
    assert await registry.redis.hlen(registry.documents_key) == 3


async def test_a_registration_nobody_fetched_for_the_ttl_is_forgotten(registry):
    old, new = "query Old { __typename }", "query New { __typename }"
    await registry.put(sha256(old), old)
    registry.now[0] += registry.ttl_s + 1
    await registry.put(sha256(new), new)
    registry.local.clear()

    assert await registry.get(sha256(old)) is None
    assert await registry.get(sha256(new)) == new
    assert 0 < await registry.redis.ttl(registry.documents_key) <= registry.ttl_s


async def test_a_document_over_the_size_limit_runs_but_is_not_registered(apollo, persisted):
    from domain.persisted_queries.registry import MAX_DOCUMENT_BYTES

    document = "query Big { __typename } # " + "x" * MAX_DOCUMENT_BYTES
    sha = sha256(document)
    response = await apollo.post(sha, query=document)
    assert response.json() == {"data": {"__typename": "Query"}}
    assert (await apollo.get(sha)).json() == NOT_FOUND


async def test_admin_reads_by_hash_are_the_admin_s(apollo, persisted, gql, settings):
    """A registration is a document, not an answer: each caller's hash-only request runs as
    that caller."""
    await define(gql, "app.daily_open", 10)
    await gql(
        'mutation { upsertAction(input: {key: "old", name: "Old", points: 1, active: false})'
        " { errors { code } } }",
        as_=ADMIN,
    )
    sha = sha256(ACTIONS)
    await apollo.post(sha, query=ACTIONS)
    admin = {"authorization": f"Bearer {token(settings, 'root', 'admin')}"}

    anonymous = (await apollo.get(sha)).json()["data"]["actions"]
    as_admin = (await apollo.get(sha, headers=admin)).json()["data"]["actions"]
    assert [a["key"] for a in anonymous] == ["app.daily_open"]
    assert sorted(a["key"] for a in as_admin) == ["app.daily_open", "old"]


def test_a_public_board_page_sent_by_hash_is_still_shared_between_callers():
    """The 1-second shared page cache (`api.http._public_board_key`) takes a persisted query
    like a plain one; other extensions still keep a request out of it."""
    from strawberry.http import GraphQLRequestData

    from api.http import _public_board_key

    page = (
        '{ leaderboard(board: "points", period: WEEK) { entries(first: 10) { edges { cursor } } } }'
    )

    def request(extensions):
        return GraphQLRequestData(
            query=page, variables={}, operation_name=None, extensions=extensions
        )

    assert _public_board_key(request(extensions(sha256(page)))) is not None
    assert _public_board_key(request({"persistedQuery": {}, "tracing": True})) is None
