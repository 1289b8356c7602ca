"""Rate limits per subject and per IP, on requests and on mutations, counted in Redis.

Each test installs small limits on the running server's GraphQL view (the real limiter, on the
real Redis); the defaults are far above anything a test sends.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from api.guards.rate_limits import RateLimiter, Tallies
from api.schema import MAX_TOKENS
from domain.infra import outages
from domain.infra.redis import RedisEndpoint
from domain.models import Interaction
from tests.conftest import FRONTEND_ORIGIN, member, token
from tests.helpers import LEADERBOARD, RECORD, define

GRAPHQL_RESPONSE = "application/graphql-response+json"
Install = Callable[..., Awaitable[RateLimiter]]


@pytest.fixture
async def limits(server, settings) -> AsyncIterator[Install]:
    """`await limits(rate_limit_subject_mutations="3/minute", ...)` sets the server's limits."""
    [view] = [route.endpoint.view for route in server.app.routes if route.path == "/graphql"][:1]
    original = view.rate_limiter
    installed: list[RateLimiter] = []

    async def install(endpoint: RedisEndpoint | None = None, **rates: str) -> RateLimiter:
        limiter = RateLimiter(
            dataclasses.replace(settings, **rates),
            endpoint or server.runtime.endpoint,
            max_tokens=MAX_TOKENS,
        )
        installed.append(limiter)
        view.rate_limiter = limiter
        return limiter

    yield install
    view.rate_limiter = original
    for limiter in installed:
        await limiter.close()


async def record(client, settings, subject: str, key: str, accept: str = GRAPHQL_RESPONSE) -> Any:
    variables = {"input": {"action": "app.daily_open", "idempotencyKey": key}}
    return await client.post(
        "/graphql",
        json={"query": RECORD, "variables": variables},
        headers={"authorization": f"Bearer {token(settings, subject)}", "accept": accept},
    )


def assert_rate_limited(response, media_type: str = GRAPHQL_RESPONSE) -> None:
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert response.headers["content-type"].startswith(media_type)
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"


async def test_a_member_over_the_mutation_limit_gets_429_and_nothing_is_recorded(
    client, gql, settings, limits
):
    await define(gql, points=10)
    await limits(rate_limit_subject_mutations="3/minute")
    for n in range(3):
        assert (await record(client, settings, "ada", f"k{n}")).status_code == 200

    refused = await record(client, settings, "ada", "k3")

    assert_rate_limited(refused)
    assert await Interaction.filter(member_id="ada").count() == 3


async def test_the_mutation_limit_leaves_queries_and_other_members_alone(
    client, gql, settings, limits
):
    await define(gql, points=10)
    await limits(rate_limit_subject_mutations="1/minute")
    assert (await record(client, settings, "ada", "k1")).status_code == 200
    assert (await record(client, settings, "ada", "k2")).status_code == 429

    me = await gql("{ me { id } }", as_=member("ada"))
    assert me == {"data": {"me": {"id": "ada"}}}
    assert (await record(client, settings, "bob", "k1")).status_code == 200


async def test_the_refusal_comes_in_the_media_type_the_client_asked_for(
    client, gql, settings, limits
):
    await define(gql, points=10)
    await limits(rate_limit_subject_mutations="1/minute")
    await record(client, settings, "ada", "k1")
    assert_rate_limited(
        await record(client, settings, "ada", "k2", accept="application/json"), "application/json"
    )


async def test_one_ip_over_the_request_limit_gets_429_whoever_asks(client, limits):
    await limits(rate_limit_ip_requests="2/minute")
    for _ in range(2):
        assert (await client.post("/graphql", json={"query": "{ __typename }"})).status_code == 200

    refused = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"accept": GRAPHQL_RESPONSE}
    )

    assert_rate_limited(refused)


async def test_cached_public_leaderboard_pages_count_against_the_limits(client, limits):
    await limits(rate_limit_ip_requests="2/minute")
    board = {"query": LEADERBOARD, "variables": {"period": "ALL_TIME", "first": 10}}
    for _ in range(2):
        assert (await client.post("/graphql", json=board)).status_code == 200

    refused = await client.post("/graphql", json=board, headers={"accept": GRAPHQL_RESPONSE})

    assert_rate_limited(refused)


async def test_a_web_front_end_can_read_the_refusal(client, limits):
    await limits(rate_limit_ip_requests="1/minute")
    headers = {"origin": FRONTEND_ORIGIN, "accept": GRAPHQL_RESPONSE}
    await client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)

    refused = await client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)

    assert_rate_limited(refused)
    assert refused.headers["access-control-allow-origin"] == FRONTEND_ORIGIN
    assert "retry-after" in refused.headers["access-control-expose-headers"].lower()


async def test_with_redis_unreachable_limiting_fails_open_with_one_warning(
    client, limits, spare_redis, caplog
):
    dead = RedisEndpoint(url=spare_redis.url, unix_socket_path=None)  # never started
    await limits(endpoint=dead, rate_limit_ip_requests="1/minute")
    try:
        with caplog.at_level(logging.WARNING, logger="plaudit.outage"):
            for _ in range(3):
                response = await client.post("/graphql", json={"query": "{ __typename }"})
                assert response.status_code == 200
    finally:
        outages.redis.ok()
    warnings = [r for r in caplog.records if r.name == "plaudit.outage"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "redis unavailable" in warnings[0].getMessage()


async def test_counters_live_in_the_programs_redis_namespace(client, runtime, limits):
    limiter = await limits(rate_limit_ip_requests="100/minute")
    await client.post("/graphql", json={"query": "{ __typename }"})
    await limiter.flush()
    keys = [key.decode() async for key in runtime.redis.scan_iter("*ratelimit*")]
    assert keys
    assert all(key.startswith(f"{runtime.settings.redis_namespace}:ratelimit") for key in keys)


async def test_far_below_a_limit_requests_are_counted_in_bulk_and_the_limit_stays_exact(
    client, runtime, limits, monkeypatch
):
    monkeypatch.setattr(Tallies, "FLUSH_S", 3600.0)  # no background flush during the test
    limiter = await limits(rate_limit_ip_requests="100/minute")
    for _ in range(40):
        assert (await client.post("/graphql", json={"query": "{ __typename }"})).status_code == 200
    # Far below the limit the counts wait in the process, for one flush: Redis lags.
    assert [key async for key in runtime.redis.scan_iter("*ratelimit*ip:*")] == []
    await limiter.flush()
    [key] = [key async for key in runtime.redis.scan_iter("*ratelimit*ip:*")]
    assert int(await runtime.redis.get(key)) == 40

    statuses = [
        (await client.post("/graphql", json={"query": "{ __typename }"})).status_code
        for _ in range(61)
    ]
    # Near the limit every request is counted in Redis at once: the 101st is the first refused.
    assert statuses == [200] * 60 + [429]
