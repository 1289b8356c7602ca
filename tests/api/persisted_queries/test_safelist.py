"""PLAUDIT_PERSISTED_QUERIES=only: the server runs the documents registered ahead (`plaudit
persisted-queries add`), by hash or by full text, and refuses everything else with
PERSISTED_QUERY_NOT_ALLOWED, changing nothing; a change to the safelist reaches a running
process within its check interval (an injectable clock here, never a sleep)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from graphql import get_introspection_query

from domain.models import PersistedQuery
from domain.persisted_queries import safelist
from domain.persisted_queries.documents import operations_from_graphql
from tests.api.persisted_queries.conftest import sha256
from tests.conftest import ADMIN, token
from tests.helpers import codes, define, table_sums, tables_changed

APP = """
query Actions { actions { key ...Scored } }
fragment Scored on Action { points }
mutation Rename($name: String!) { updateProfile(input: {displayName: $name}) { errors { code } } }
"""
NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"


@pytest.fixture
def only(persisted):
    """The server in `only` mode, its safelist copy on a clock moved by hand."""
    now = [0.0]
    list_ = persisted.safelist
    saved = list_.clock
    list_.clock = lambda: now[0]
    list_._snapshot = None
    persisted.mode = "only"

    def later() -> None:
        now[0] += list_.check_every_s

    persisted.later = later
    yield persisted
    list_.clock = saved
    list_._snapshot = None


async def define_in(only, gql) -> None:
    """Define an action (an admin mutation no safelist holds) with the server in `auto`."""
    only.mode = "auto"
    await define(gql, "app.daily_open", 10)
    only.mode = "only"


async def register(text: str = APP) -> dict[str, str]:
    """Registers each operation of `text`; returns their bodies (as Apollo sends them) by name."""
    operations = operations_from_graphql([("app.graphql", text)])
    await safelist.add(operations, datetime.now(UTC))
    return {operation.name: operation.body for operation in operations}


async def test_a_registered_document_runs_by_its_hash(only, apollo, gql):
    await define_in(only, gql)
    bodies = await register()

    response = await apollo.get(sha256(bodies["Actions"]))

    assert response.status_code == 200
    assert response.json() == {
        "data": {"actions": [{"key": "app.daily_open", "points": 10, "__typename": "Action"}]}
    }


async def test_a_registered_document_runs_by_its_full_text(only, apollo, gql):
    await define_in(only, gql)
    bodies = await register()
    response = await apollo.post(None, query=bodies["Actions"])
    assert response.json()["data"]["actions"][0]["key"] == "app.daily_open"


async def test_the_same_document_printed_another_way_runs_and_its_hash_is_remembered(
    only, apollo, gql
):
    """A client whose printer differs (graphql-js 17, fragments in another order, no
    `__typename`) sends another hash: NOT_FOUND, then its full text, which is allowed."""
    await define_in(only, gql)
    await register()
    text = "fragment Scored on Action { points }\nquery Actions {actions{key ...Scored}}"
    sha = sha256(text)

    assert codes((await apollo.get(sha)).json()) == [NOT_FOUND]
    allowed = await apollo.post(sha, query=text)
    assert allowed.json() == {"data": {"actions": [{"key": "app.daily_open", "points": 10}]}}
    assert (await apollo.get(sha)).json() == allowed.json()


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_an_unregistered_document_is_refused(only, apollo, method, caplog):
    await register()
    text = "query Other { actions { key name } }"
    response = (
        await apollo.http.get("/graphql", params={"query": text}, headers={"accept": "*/*"})
        if method == "GET"
        else await apollo.post(None, query=text)
    )

    assert response.status_code == 400
    body = response.json()
    assert codes(body) == [NOT_ALLOWED]
    assert "plaudit persisted-queries add" in body["errors"][0]["message"]
    assert "data" not in body
    assert response.headers["cache-control"] == "no-store"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_an_unregistered_mutation_changes_nothing(only, apollo, settings):
    await register()
    before = await table_sums()
    text = 'mutation { updateProfile(input: {displayName: "Mallory"}) { errors { code } } }'
    response = await apollo.post(
        None, query=text, headers={"authorization": f"Bearer {token(settings, 'ada')}"}
    )
    assert codes(response.json()) == [NOT_ALLOWED]
    assert tables_changed(before, await table_sums()) == []


async def test_a_registered_mutation_runs(only, apollo, settings):
    bodies = await register()
    response = await apollo.post(
        sha256(bodies["Rename"]),
        variables={"name": "Ada"},
        headers={"authorization": f"Bearer {token(settings, 'ada')}"},
    )
    assert response.json()["data"]["updateProfile"]["errors"] == []


async def test_clients_register_nothing(only, apollo, persisted):
    await register()
    text = "query Sneaky { actions { key name } }"
    sha = sha256(text)

    response = await apollo.post(sha, query=text)

    assert codes(response.json()) == [NOT_ALLOWED]
    assert await persisted.registry.redis.hlen(persisted.registry.documents_key) == 0
    assert codes((await apollo.get(sha)).json()) == [NOT_FOUND]


async def test_a_hash_and_a_query_that_disagree_are_refused_as_a_mismatch(only, apollo):
    bodies = await register()
    response = await apollo.post(sha256(bodies["Actions"]), query="{ __typename }")
    assert codes(response.json()) == ["PERSISTED_QUERY_HASH_MISMATCH"]


async def test_introspection_is_refused_like_any_unregistered_document(only, apollo):
    await register()
    response = await apollo.post(None, query=get_introspection_query())
    assert codes(response.json()) == [NOT_ALLOWED]


async def test_a_document_that_does_not_parse_is_refused_without_a_parse_error(only, apollo):
    await register()
    response = await apollo.post(None, query="{ actions { ")
    assert codes(response.json()) == [NOT_ALLOWED]


async def test_an_add_reaches_the_running_server_within_the_check_interval(only, apollo, gql):
    await define_in(only, gql)
    text = "query Later { actions { key } }"
    assert codes((await apollo.post(None, query=text)).json()) == [NOT_ALLOWED]

    bodies = await register(text)
    assert codes((await apollo.post(None, query=text)).json()) == [NOT_ALLOWED]  # its copy
    only.later()
    response = await apollo.get(sha256(bodies["Later"]))
    assert response.json() == {
        "data": {"actions": [{"key": "app.daily_open", "__typename": "Action"}]}
    }


async def test_a_removal_reaches_the_running_server_within_the_check_interval(only, apollo, gql):
    bodies = await register()
    sha = sha256(bodies["Actions"])
    assert (await apollo.get(sha)).status_code == 200

    removed = await safelist.remove(["Actions"])
    assert [entry.name for entry in removed] == ["Actions"]
    only.later()
    assert codes((await apollo.get(sha)).json()) == [NOT_FOUND]
    assert codes((await apollo.post(None, query=bodies["Actions"])).json()) == [NOT_ALLOWED]


async def test_a_removal_ends_the_hashes_remembered_for_other_printings(only, apollo):
    await register()
    text = "query Actions { actions { key ...Scored } } fragment Scored on Action { points }"
    sha = sha256(text)
    assert (await apollo.post(sha, query=text)).status_code == 200
    assert (await apollo.get(sha)).status_code == 200  # remembered

    await safelist.remove(["Actions"])
    only.later()
    assert codes((await apollo.get(sha)).json()) == [NOT_FOUND]


async def test_in_auto_mode_the_safelist_answers_hashes_too(persisted, apollo, gql):
    """An app built with a manifest (`generatePersistedQueryIdsFromManifest`) works before any
    registration, in either mode."""
    await define(gql, "app.daily_open", 10)
    bodies = await register()
    persisted.safelist._snapshot = None
    response = await apollo.get(sha256(bodies["Actions"]))
    assert response.json()["data"]["actions"][0]["points"] == 10


async def test_anonymous_and_admin_callers_are_held_to_the_list_alike(only, apollo, gql):
    await register()
    response = await apollo.post(
        None,
        query="query { actions { key } }",
        headers={"authorization": f"Bearer {token(gql.settings, *ADMIN)}"},
    )
    assert codes(response.json()) == [NOT_ALLOWED]


async def test_adding_twice_changes_nothing(only):
    await register()
    operations = operations_from_graphql([("app.graphql", APP)])
    added, known = await safelist.add(operations, datetime.now(UTC))
    assert (added, known) == ([], 2)
    assert await PersistedQuery.all().count() == 2
