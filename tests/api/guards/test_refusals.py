"""Requests refused before any GraphQL runs still get a GraphQL response: JSON `errors` with a
stable code, no `data`, in the media type asked for, never a plain-text body."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

GRAPHQL_RESPONSE = "application/graphql-response+json"


def refused_with(response, status: int, code: str, media_type: str = GRAPHQL_RESPONSE) -> str:
    assert response.status_code == status
    assert response.headers["content-type"].startswith(media_type)
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == code
    message: str = error["message"]
    assert "Traceback" not in message
    return message


async def test_a_body_over_the_limit_is_a_413_with_a_graphql_error(client, settings):
    padding = "x" * (settings.max_body_bytes + 1)
    response = await client.post(
        "/graphql",
        json={"query": "{ __typename }", "pad": padding},
        headers={"accept": GRAPHQL_RESPONSE},
    )
    message = refused_with(response, 413, "BODY_TOO_LARGE")
    assert str(settings.max_body_bytes) in message


async def test_a_streamed_body_over_the_limit_is_cut_off_with_a_413(client, settings):
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ __typename }", "pad": "'
        for _ in range(settings.max_body_bytes // 65536 + 2):
            yield b"x" * 65536
        yield b'"}'

    response = await client.post(
        "/graphql",
        content=chunks(),
        headers={"content-type": "application/json", "accept": "application/json"},
    )
    refused_with(response, 413, "BODY_TOO_LARGE", "application/json")


async def test_a_method_graphql_does_not_take_is_a_405_with_a_graphql_error(client):
    response = await client.put(
        "/graphql", json={"query": "{ __typename }"}, headers={"accept": GRAPHQL_RESPONSE}
    )
    refused_with(response, 405, "METHOD_NOT_ALLOWED")
    assert "POST" in response.headers["allow"]


async def test_a_mutation_over_get_is_a_405_with_a_code(client):
    response = await client.get(
        "/graphql",
        params={"query": "mutation { updateProfile(input: {}) { errors { code } } }"},
        headers={"accept": "application/json"},
    )
    refused_with(response, 405, "METHOD_NOT_ALLOWED", "application/json")


async def test_an_unsupported_content_type_is_a_415_with_a_graphql_error(client):
    response = await client.post(
        "/graphql",
        content="{ __typename }",
        headers={"content-type": "text/plain", "accept": GRAPHQL_RESPONSE},
    )
    refused_with(response, 415, "UNSUPPORTED_MEDIA_TYPE")


@pytest.mark.parametrize(
    "body",
    [
        b'{ "not json',
        b"[]",
        b'"a string"',
        b"42",
        b"null",
        b"{}",
        b'{"query": "{ __typename }", "operationName": 5}',
        b'{"query": "{ __typename }", "variables": [1]}',
        b"\xff\xfe",
    ],
)
async def test_an_unparsable_request_is_a_400_with_a_graphql_error(client, body):
    response = await client.post(
        "/graphql",
        content=body,
        headers={"content-type": "application/json", "accept": GRAPHQL_RESPONSE},
    )
    refused_with(response, 400, "BAD_REQUEST")


async def test_an_unknown_path_is_a_404_with_a_graphql_error(client):
    response = await client.get("/graphq", headers={"accept": "application/json"})
    refused_with(response, 404, "NOT_FOUND", "application/json")
