"""GraphQL over HTTP: media types and status codes of /graphql (the spec graphql-http audits)."""

from __future__ import annotations

import json

from tests.conftest import ADMIN, token
from tests.helpers import UPSERT_ACTION, action_input

GRAPHQL_RESPONSE = "application/graphql-response+json"


async def post(client, body, accept):
    return await client.post(
        "/graphql",
        content=body if isinstance(body, str) else json.dumps(body),
        headers={"content-type": "application/json", "accept": accept},
    )


async def test_a_syntax_error_is_a_400_in_graphql_response_json(client):
    response = await post(client, {"query": "{"}, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    body = response.json()
    assert body["errors"]
    assert "data" not in body


async def test_a_validation_error_is_a_400_in_graphql_response_json(client):
    response = await post(client, {"query": "{ noSuchField }"}, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json()["errors"]


async def test_bad_json_is_a_400_with_errors_in_graphql_response_json(client):
    response = await post(client, '{ "not json', GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json()["errors"]


async def test_a_valid_query_is_a_200_in_graphql_response_json(client):
    response = await post(client, {"query": "{ __typename }"}, GRAPHQL_RESPONSE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_a_validation_error_stays_a_200_in_application_json(client):
    response = await post(client, {"query": "{ noSuchField }"}, "application/json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"]


async def test_a_mutation_over_get_is_a_405(client):
    response = await client.get(
        "/graphql",
        params={"query": "mutation { updateProfile(input: {}) { errors { code } } }"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"]


async def test_a_browser_gets_graphiql(client):
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_a_batch_is_refused_and_not_executed(client, gql, settings):
    batch = [{"query": UPSERT_ACTION, "variables": {"input": action_input()}}]
    response = await client.post(
        "/graphql",
        json=batch,
        headers={
            "accept": GRAPHQL_RESPONSE,
            "authorization": f"Bearer {token(settings, *ADMIN)}",
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"]
    actions = await gql("{ actions { key } }", as_=ADMIN)
    assert actions["data"]["actions"] == []
