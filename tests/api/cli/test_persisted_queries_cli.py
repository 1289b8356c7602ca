"""`plaudit persisted-queries add|list|remove`, run as an operator runs it, on the test server's
database: `.graphql` files and Apollo manifests registered with the ids Apollo Client sends,
idempotent adds, one-line refusals that add nothing, and a running server in `only` mode that
sees an add within its check interval."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from domain.models import PersistedQuery
from tests.api.persisted_queries.conftest import apollo, persisted, sha256

__all__ = ["apollo", "persisted"]  # the fixtures of tests/api/persisted_queries, used here
from tests.helpers import cli_env, run_plaudit

APP = Path(__file__).resolve().parents[2] / "apollo_client" / "app.graphql"
# What Apollo Client 4.3.8 computes for app.graphql (tests/apollo_client/manifest.mjs; CI's
# tests/apollo_client/run.sh compares the two on every run).
APOLLO_IDS = {
    "Actions": "6409a8a244c19b07f5abf7e8162b611374e8c17d56e6558257d51f4e9816445e",
    "Progress": "411bef2a75e26e4b0da92c6635be92d23329036c3736785b330249b3c677c760",
    "Rename": "88a1933ad0542e5750f3a1582c247990807ad6c60de749e9a7fb3175a75c6267",
}


def lines(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines()]


async def test_add_registers_each_operation_with_apollo_s_id(settings, server):
    env = cli_env(settings)
    code, stdout, stderr = await run_plaudit("persisted-queries", "add", str(APP), env=env)

    assert code == 0, stderr
    assert sorted(lines(stdout)) == sorted(
        ["added", id_, "mutation" if name == "Rename" else "query", name]
        for name, id_ in APOLLO_IDS.items()
    )
    assert stderr.strip() == "3 operation(s) added, 0 already registered"
    stored = {row.name: row.hash for row in await PersistedQuery.all()}
    assert stored == APOLLO_IDS

    code, stdout, stderr = await run_plaudit("persisted-queries", "add", str(APP), env=env)
    assert code == 0
    assert {line[0] for line in lines(stdout)} == {"known"}
    assert stderr.strip() == "0 operation(s) added, 3 already registered"


async def test_dry_run_prints_the_ids_and_registers_nothing(settings, server):
    code, stdout, _ = await run_plaudit(
        "persisted-queries", "add", "--dry-run", str(APP), env=cli_env(settings)
    )
    assert code == 0
    assert {line[2]: line[0] for line in lines(stdout)} == APOLLO_IDS
    assert await PersistedQuery.all().count() == 0


async def test_a_manifest_is_registered_as_it_is(settings, server, tmp_path):
    body = "query Ping {\n  __typename\n}"
    path = tmp_path / "persisted-query-manifest.json"
    operation = {"id": sha256(body), "name": "Ping", "type": "query", "body": body}
    manifest = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [operation],
    }
    path.write_text(json.dumps(manifest))

    code, stdout, stderr = await run_plaudit(
        "persisted-queries", "add", str(path), env=cli_env(settings)
    )
    assert code == 0, stderr
    assert lines(stdout) == [["added", sha256(body), "query", "Ping"]]
    row = await PersistedQuery.get(hash=sha256(body))
    assert row.body == body


async def test_list_and_remove_by_name_or_id(settings, server):
    env = cli_env(settings)
    await run_plaudit("persisted-queries", "add", str(APP), env=env)

    code, stdout, _ = await run_plaudit("persisted-queries", "list", env=env)
    assert code == 0
    assert [line[2] for line in lines(stdout)] == ["Actions", "Progress", "Rename"]

    code, stdout, _ = await run_plaudit(
        "persisted-queries", "remove", "Rename", APOLLO_IDS["Actions"], env=env
    )
    assert code == 0
    assert sorted(line[3] for line in lines(stdout)) == ["Actions", "Rename"]
    assert [row.name for row in await PersistedQuery.all()] == ["Progress"]

    code, stdout, stderr = await run_plaudit("persisted-queries", "remove", "Rename", env=env)
    assert (code, stdout) == (1, "")
    assert stderr.strip() == "error: no entry has that id or operation name"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("anonymous.graphql", "{ __typename }", "anonymous query: name every operation"),
        ("broken.graphql", "query A {", "broken.graphql: Syntax Error"),
        ("schema.graphql", "type T { a: Int }", "only operations and fragments"),
        ("lying.json", "LYING", "not the SHA-256 of the body"),
        ("other.json", '{"format": "something else"}', "not a manifest"),
        ("latin1.graphql", b"query A { \xe9 }", "not UTF-8"),
        ("missing.graphql", None, "cannot read"),
    ],
)
async def test_a_file_that_cannot_be_registered_is_one_line_and_adds_nothing(
    settings, server, tmp_path, name, content, says
):
    path = tmp_path / name
    if content == "LYING":
        operation = {"id": "a" * 64, "name": "A", "type": "query", "body": "query A { a }"}
        content = json.dumps(
            {"format": "apollo-persisted-query-manifest", "version": 1, "operations": [operation]}
        )
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)

    code, stdout, stderr = await run_plaudit(
        "persisted-queries", "add", str(APP), str(path), env=cli_env(settings)
    )

    assert (code, stdout) == (1, "")
    [line] = stderr.splitlines()
    assert line.startswith("error: ") and says in line
    assert await PersistedQuery.all().count() == 0


async def test_an_add_reaches_a_running_server_in_only_mode(settings, server, persisted, apollo):
    persisted.mode = "only"
    clock = [0.0]
    persisted.safelist.clock = lambda: clock[0]
    persisted.safelist._snapshot = None
    try:
        sha = APOLLO_IDS["Actions"]
        assert (await apollo.get(sha)).json()["errors"][0]["message"] == "PersistedQueryNotFound"

        code, _, stderr = await run_plaudit(
            "persisted-queries", "add", str(APP), env=cli_env(settings)
        )
        assert code == 0, stderr
        clock[0] += persisted.safelist.check_every_s

        assert (await apollo.get(sha)).json() == {"data": {"actions": []}}
    finally:
        persisted.safelist.clock = time.monotonic
        persisted.safelist._snapshot = None
