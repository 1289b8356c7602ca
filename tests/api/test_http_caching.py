"""HTTP caching of GraphQL answers (`api.http_caching`): a strong ETag on every answer without
errors, 304 with an empty body to a GET whose If-None-Match names it, `private, no-cache` for
anything sent with credentials (never `public`), `public, no-cache` for anonymous GETs,
`no-store` for errors and refusals, and Vary: Accept, Authorization."""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response

from api import http_caching
from tests.conftest import ADMIN, token
from tests.helpers import codes, define

ACTIONS = "{ actions { key points } }"
ACCEPT = {"accept": "application/graphql-response+json, application/json"}
# A strong tag; `-gzip` marks the gzip representation of the same answer (`api.read_cache`).
STRONG = re.compile(r'"[0-9a-f]{32}(-gzip)?"')


async def get(client: httpx.AsyncClient, query: str = ACTIONS, **headers: str) -> httpx.Response:
    return await client.get("/graphql", params={"query": query}, headers=ACCEPT | headers)


def bearer(settings, subject: str = "ada", role: str = "member") -> str:
    return f"Bearer {token(settings, subject, role)}"


def vary(response: httpx.Response) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("vary", "").split(",") if v.strip()}


async def test_an_anonymous_get_has_a_strong_etag_and_may_be_shared_but_revalidated(client, gql):
    await define(gql)
    response = await get(client)

    assert response.status_code == 200
    assert STRONG.fullmatch(response.headers["etag"])
    assert response.headers["cache-control"] == "public, no-cache"
    assert {"accept", "authorization"} <= vary(response)


async def test_an_unchanged_answer_is_304_with_an_empty_body_and_the_same_headers(client, gql):
    await define(gql)
    first = await get(client)

    again = await get(client, **{"if-none-match": first.headers["etag"]})

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"] == first.headers["cache-control"]
    assert vary(again) == vary(first)
    assert "content-type" not in again.headers


@pytest.mark.parametrize(
    "if_none_match",
    [
        '"0000", {etag}',
        '{etag}, W/"1111"',
        "W/{etag}",  # a proxy that compresses marks tags weak: If-None-Match compares weakly
        "*",
    ],
)
async def test_if_none_match_takes_lists_weak_tags_and_star(client, gql, if_none_match):
    await define(gql)
    etag = (await get(client)).headers["etag"]
    response = await get(client, **{"if-none-match": if_none_match.format(etag=etag)})
    assert response.status_code == 304


@pytest.mark.parametrize("if_none_match", ['"0000"', 'W/"0000", "1111"', "", "garbage"])
async def test_a_tag_that_is_not_the_answer_s_gets_the_answer(client, gql, if_none_match):
    await define(gql)
    response = await get(client, **{"if-none-match": if_none_match})
    assert response.status_code == 200
    assert response.json()["data"]["actions"]


async def test_a_changed_answer_gets_a_new_etag_and_a_200(client, gql):
    await define(gql, "app.daily_open", 10)
    first = await get(client)
    await define(gql, "app.daily_open", 20)

    again = await get(client, **{"if-none-match": first.headers["etag"]})

    assert again.status_code == 200
    assert again.json()["data"]["actions"] == [{"key": "app.daily_open", "points": 20}]
    assert again.headers["etag"] != first.headers["etag"]


async def test_an_answer_sent_with_a_token_is_private_never_public(client, gql, settings):
    await define(gql)
    response = await get(client, authorization=bearer(settings))
    assert response.headers["cache-control"] == "private, no-cache"
    assert STRONG.fullmatch(response.headers["etag"])
    not_modified = await get(
        client, authorization=bearer(settings), **{"if-none-match": response.headers["etag"]}
    )
    assert not_modified.status_code == 304
    assert not_modified.headers["cache-control"] == "private, no-cache"


async def test_a_cookie_counts_as_credentials(client, gql):
    await define(gql)
    response = await get(client, cookie="session=abc")
    assert response.headers["cache-control"] == "private, no-cache"


async def test_a_viewer_s_read_is_private_and_304_when_unchanged(client, gql, settings):
    me = "{ me { id points { balance } } }"
    response = await get(client, me, authorization=bearer(settings))
    assert response.json() == {"data": {"me": {"id": "ada", "points": {"balance": 0}}}}
    assert response.headers["cache-control"] == "private, no-cache"
    again = await get(
        client, me, authorization=bearer(settings), **{"if-none-match": response.headers["etag"]}
    )
    assert again.status_code == 304


async def test_post_answers_carry_an_etag_but_are_never_304(client, gql, settings):
    await define(gql)
    headers = ACCEPT | {"authorization": bearer(settings)}
    first = await client.post("/graphql", json={"query": ACTIONS}, headers=headers)
    assert STRONG.fullmatch(first.headers["etag"])
    assert first.headers["cache-control"] == "private, no-cache"

    again = await client.post(
        "/graphql",
        json={"query": ACTIONS},
        headers=headers | {"if-none-match": first.headers["etag"]},
    )
    assert again.status_code == 200
    assert again.json() == first.json()


async def test_an_anonymous_post_is_not_public(client, gql):
    await define(gql)
    response = await client.post("/graphql", json={"query": ACTIONS}, headers=ACCEPT)
    assert response.headers["cache-control"] == "no-cache"


async def test_the_two_media_types_of_one_answer_have_different_etags(client, gql):
    await define(gql)
    json_answer = await get(client, accept="application/json")
    graphql_answer = await get(client)
    assert json_answer.content == graphql_answer.content
    assert json_answer.headers["etag"] != graphql_answer.headers["etag"]


async def test_an_answer_with_errors_is_not_stored_nor_ever_304(client):
    response = await get(client, "{ me { id } }")  # no token: UNAUTHENTICATED
    assert codes(response.json()) == ["UNAUTHENTICATED"]
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers

    again = await get(client, "{ me { id } }", **{"if-none-match": "*"})
    assert again.status_code == 200
    assert codes(again.json()) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize(
    ("request_args", "status"),
    [
        pytest.param({"params": {"query": "{ me { "}}, 400, id="unparsable"),
        pytest.param({"params": {"query": "{ nope }"}}, 400, id="invalid"),
        pytest.param(
            {"params": {"query": "mutation { updateProfile(input: {}) { errors { code } } }"}},
            405,
            id="mutation over GET",
        ),
        pytest.param({"params": {"query": "{ __typename }", "variables": "[1]"}}, 400, id="vars"),
    ],
)
async def test_refusals_are_never_stored(client, request_args, status):
    response = await client.get("/graphql", headers=ACCEPT | {"if-none-match": "*"}, **request_args)
    assert response.status_code == status
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


async def test_a_mutation_over_get_stays_405(client, settings):
    response = await client.get(
        "/graphql",
        params={
            "query": 'mutation { updateProfile(input: {displayName: "x"}) { errors { code } } }'
        },
        headers=ACCEPT | {"authorization": bearer(settings)},
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


async def test_a_rate_limited_request_is_not_stored(client, gql, server, monkeypatch):
    from api.http import RateLimited

    async def over(*args, **kwargs):
        raise RateLimited("1/second", 1)

    view = _view(server)
    monkeypatch.setattr(view, "_within_rate_limits", over)
    response = await get(client, "{ __typename }")
    assert response.status_code == 429
    assert response.headers["cache-control"] == "no-store"


def _view(server):
    from tests.api.persisted_queries.conftest import graphql_view

    return graphql_view(server)


async def test_graphiql_s_page_is_left_alone(client):
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html")
    assert "etag" not in response.headers


async def test_an_admin_s_answer_differs_from_the_anonymous_one_under_the_same_url(
    client, gql, settings
):
    """Why `Vary: Authorization`: the same URL answers each caller as who they are."""
    await define(gql, "app.daily_open")
    await gql(
        'mutation { upsertAction(input: {key: "old", name: "Old", points: 1, active: false})'
        " { errors { code } } }",
        as_=ADMIN,
    )
    anonymous = await get(client)
    admin = await get(client, authorization=bearer(settings, "root", "admin"))
    assert anonymous.headers["etag"] != admin.headers["etag"]
    assert "authorization" in vary(anonymous)


# --- `finish` on answers it did not compute (the member read cache's hits) ---------------------


def _request(method: str = "GET", **headers: str) -> Request:
    raw = [(name.encode(), value.encode()) for name, value in headers.items()]
    return Request({"type": "http", "method": method, "headers": raw, "query_string": b""})


def test_an_etag_the_read_cache_stored_is_kept_and_answers_304():
    cached = Response(b'{"data":{}}', media_type="application/json", headers={"etag": '"abc"'})
    response = http_caching.finish(_request(**{"if-none-match": '"abc"'}), cached)
    assert response.status_code == 304
    assert response.headers["etag"] == '"abc"'

    response = http_caching.finish(_request(), cached)
    assert response.status_code == 200
    assert response.headers["etag"] == '"abc"'


def test_etag_of_is_what_finish_computes_for_an_executed_answer():
    body = b'{"data":{"__typename":"Query"}}'
    response = http_caching.finish(_request(), Response(body, media_type="application/json"))
    assert response.headers["etag"] == http_caching.etag_of(body, "application/json")


def test_vary_keeps_what_was_there():
    response = Response(b"{}", media_type="application/json", headers={"vary": "Origin"})
    http_caching.finish(_request(), response)
    assert response.headers["vary"] == "Origin, Accept, Authorization"


async def test_a_web_front_end_may_send_if_none_match_and_read_the_etag(client, gql):
    from tests.conftest import FRONTEND_ORIGIN

    preflight = await client.options(
        "/graphql",
        headers={
            "origin": FRONTEND_ORIGIN,
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization, if-none-match",
        },
    )
    assert preflight.status_code == 200
    await define(gql)
    response = await get(client, origin=FRONTEND_ORIGIN)
    assert "etag" in response.headers["access-control-expose-headers"].lower()
    assert "origin" in vary(response)  # CORS's own Vary is kept beside ours


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/json", "application/json"),
        ("application/graphql-response+json", "application/graphql-response+json; charset=utf-8"),
    ],
)
async def test_an_executed_answer_s_etag_is_etag_of_its_body_and_content_type(
    client, gql, settings, accept, content_type
):
    """The member read cache stores `etag_of` with each entry: a hit and a miss of one answer
    must carry the same tag, or a client's 304 would be lost on every other request."""
    response = await get(
        client,
        "{ me { id } }",
        accept=accept,
        authorization=bearer(settings),
        **{"accept-encoding": "identity"},
    )
    assert response.headers["content-type"] == content_type
    assert response.headers["etag"] == http_caching.etag_of(response.content, content_type)
