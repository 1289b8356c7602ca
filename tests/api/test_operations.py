"""Operations: probes, request logs, and the GraphQL protections that are on by default."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from tortoise import connections

from api.schema import MAX_ALIASES, build_schema
from domain.infra import outages
from domain.infra.redis import RedisEndpoint
from domain.leaderboards.store import LeaderboardStore, invalidate_read_caches
from gamification.leaderboards import POINTS_BOARD, BoardKey, BoardPeriod, board_window
from tests.conftest import member
from tests.helpers import LEADERBOARD, codes


async def test_healthz_answers_while_the_process_is_up(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_reports_database_and_redis(client):
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "redis": "ok", "schema": "ok"},
    }


async def test_readyz_is_503_and_says_run_migrate_when_the_schema_is_behind_the_code(
    client, settings
):
    """The database forgets its latest migration: the schema is one version behind the code."""
    connection = connections.get("default")
    _, rows = await connection.execute_query("SELECT id, version, app, content FROM aerich")
    latest = max(rows, key=lambda row: int(row["version"].split("_", 1)[0]))
    await connection.execute_query(f"DELETE FROM aerich WHERE id = {int(latest['id'])}")
    try:
        response = await client.get("/readyz")
    finally:
        await connection.execute_query(
            "INSERT INTO aerich (id, version, app, content) VALUES ("
            + ", ".join(["$1", "$2", "$3", "$4"] if not settings.uses_sqlite else ["?"] * 4)
            + ")",
            [latest["id"], latest["version"], latest["app"], latest["content"]],
        )
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": "ok", "redis": "ok", "schema": "failed"}
    assert "run `plaudit migrate`" in body["message"]
    assert body["pending_migrations"] == [latest["version"]]
    assert (await client.get("/readyz")).status_code == 200  # the record restored: ready


async def test_readyz_is_503_and_names_redis_when_it_is_unreachable(client, runtime, spare_redis):
    dead = RedisEndpoint(url=spare_redis.url, unix_socket_path=None).client()  # never started
    healthy, runtime.redis = runtime.redis, dead
    try:
        response = await client.get("/readyz")
    finally:
        runtime.redis = healthy
        await dead.aclose()
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "failed", "schema": "ok"},
    }


async def test_an_unexpected_failure_is_masked_with_a_reference_that_the_log_carries(
    gql, runtime, caplog
):
    # A board key holding the wrong type: Redis answers WRONGTYPE, which no client can act on.
    now = datetime.now(UTC)
    window = board_window(BoardPeriod.ALL_TIME, now, runtime.settings.tz)
    key = BoardKey(POINTS_BOARD, BoardPeriod.ALL_TIME, window.key)
    await runtime.redis.set(key.in_namespace(runtime.settings.redis_namespace).scores, b"x")
    invalidate_read_caches()
    with caplog.at_level(logging.ERROR, logger="plaudit.errors"):
        body = await gql(LEADERBOARD, {"period": "ALL_TIME"}, as_=member("ada"))
    [error] = body["errors"]
    reference = error["extensions"]["reference"]
    assert error["message"] == f"Unexpected error. Reference: {reference}"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "WRONGTYPE" not in str(body) and "Traceback" not in str(body)
    assert any(reference in record.getMessage() and record.exc_info for record in caplog.records)


async def test_an_outage_is_unavailable_and_logged_once_without_a_traceback(
    gql, runtime, spare_redis, caplog
):
    dead = RedisEndpoint(url=spare_redis.url, unix_socket_path=None).client()  # never started
    healthy = runtime.leaderboards
    runtime.leaderboards = LeaderboardStore(dead, namespace=healthy.namespace)
    outages.redis.ok()  # whatever an earlier test left behind
    try:
        with caplog.at_level(logging.INFO):
            bodies = [
                await gql(LEADERBOARD, {"period": "ALL_TIME"}, as_=member("ada")) for _ in range(2)
            ]
    finally:
        runtime.leaderboards = healthy
        await dead.aclose()
    for body in bodies:
        [error] = body["errors"]
        assert error["extensions"] == {"code": "UNAVAILABLE"}
        assert "Connection" not in str(body)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    [warning] = [r for r in caplog.records if r.name == "plaudit.outage"]  # one per outage
    assert warning.levelno == logging.WARNING and "redis unavailable" in warning.getMessage()
    outages.redis.ok()


async def test_each_request_is_logged_once_with_its_operation_and_duration(gql, caplog):
    with caplog.at_level(logging.INFO, logger="plaudit.access"):
        await gql("query WhoAmI { me { id } }", as_=member("ada"))
    [entry] = [r for r in caplog.records if r.name == "plaudit.access"]
    fields = entry.fields  # type: ignore[attr-defined]
    assert fields["operation"] == "WhoAmI"
    assert fields["path"] == "/graphql"
    assert fields["status"] == 200
    assert fields["duration_ms"] >= 0


async def test_bodies_over_the_size_limit_are_refused_with_413(client, settings):
    padding = "x" * (settings.max_body_bytes + 1)
    response = await client.post("/graphql", json={"query": "{ __typename }", "pad": padding})
    assert response.status_code == 413


async def test_queries_deeper_than_the_limit_are_refused(monkeypatch):
    """No path of today's schema reaches MAX_DEPTH; the limiter guards cycles to come."""
    query = '{ leaderboard(board: "points") { entries { edges { node { member { id } } } } } }'
    monkeypatch.setattr("api.schema.MAX_DEPTH", 4)
    result = await build_schema().execute(query)
    assert result.errors
    assert "exceeds maximum operation depth of 4" in result.errors[0].message
    assert result.data is None


async def test_more_aliases_than_the_limit_are_refused(gql):
    aliases = " ".join(f"a{n}: __typename" for n in range(MAX_ALIASES + 1))
    body = await gql(f"{{ {aliases} }}")
    assert "aliases found" in body["errors"][0]["message"]


async def test_fragments_do_not_smuggle_aliases_past_the_limit(gql):
    aliases = " ".join(f"a{n}: __typename" for n in range(MAX_ALIASES + 1))
    body = await gql(f"{{ ...F }} fragment F on Query {{ {aliases} }}")
    assert "aliases found" in body["errors"][0]["message"]


async def test_huge_documents_are_refused_by_the_token_limit(gql):
    body = await gql("{ " + "__typename " * 2_500 + "}")
    assert "more than 2000 tokens" in body["errors"][0]["message"]


async def test_circular_fragments_are_a_validation_error_not_a_crash(gql):
    body = await gql("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }")
    assert body["errors"]
    assert codes(body) != ["INTERNAL_SERVER_ERROR"]


async def test_unknown_fields_get_no_did_you_mean_suggestion(gql):
    body = await gql("{ mee { id } }", as_=member("ada"))
    message = body["errors"][0]["message"]
    assert "Cannot query field 'mee'" in message
    assert "Did you mean" not in message


async def test_introspection_can_be_turned_off():
    query = "{ __schema { queryType { name } } }"
    assert not (await build_schema(introspection=True).execute(query)).errors
    closed = await build_schema(introspection=False).execute(query)
    assert closed.errors and "introspection" in closed.errors[0].message.lower()


async def test_validation_results_are_cached_across_requests(gql):
    """Uncached, validation is most of a small request's cost; the limiters must not defeat it."""
    from strawberry.extensions.validation_cache import _get_validate_cache

    cache = _get_validate_cache(1024)
    query = "query CacheProbe { me { id } }"
    executed = {"cache-control": "no-store"}  # not answered by the member read cache
    await gql(query, as_=member("ada"), headers=executed)
    before = cache.cache_info()  # type: ignore[attr-defined]
    for _ in range(3):
        await gql(query, as_=member("ada"), headers=executed)
    after = cache.cache_info()  # type: ignore[attr-defined]
    assert after.hits - before.hits == 3
    assert after.misses == before.misses


async def test_a_fan_out_of_fragments_is_counted_once_per_fragment_not_spread_by_spread(gql):
    # Each fragment spreads the next twice: 2**40 aliased fields once expanded. Walked spread
    # by spread (as Strawberry's own alias limiter did) this takes days; counted once per
    # fragment it is refused at once, with the exact count.
    fragments = " ".join(f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}" for n in range(40))
    document = f"{{ ...F0 }} {fragments} fragment F40 on Query {{ a: __typename }}"
    body = await gql(document)
    assert f"{2**40} aliases found" in body["errors"][0]["message"]
