"""Durability: an interaction is committed before it is queued, so a Redis outage loses nothing."""

from __future__ import annotations

from datetime import timedelta

from domain.infra.queue import deserialize, serialize
from domain.infra.redis import RedisEndpoint
from domain.interactions.record import sweep_pending
from domain.models import Interaction, InteractionStatus
from tests.conftest import member
from tests.helpers import ME, define, record


async def test_interactions_recorded_while_redis_is_down_are_awarded_once_it_is_back(
    gql, drain, runtime, spare_redis
):
    """The queue's Redis is a real server, stopped and started again (empty, as after a crash)."""
    await define(gql, points=10)
    spare_redis.start()
    endpoint = RedisEndpoint(url=spare_redis.url, unix_socket_path=None)
    queue = endpoint.arq_client(job_serializer=serialize, job_deserializer=deserialize)
    healthy_queue, runtime.queue = runtime.queue, queue
    try:
        spare_redis.stop()
        recorded = [await record(gql, member("ada"), key=f"offline-{n}") for n in range(3)]
        assert [p["errors"] for p in recorded] == [[], [], []]
        assert {p["interaction"]["status"] for p in recorded} == {"PENDING"}

        spare_redis.start()
        assert await drain() == 0, "nothing reached the queue during the outage"
        assert await sweep_pending(runtime, older_than=timedelta(0)) == 3
        assert await drain() == 3
    finally:
        runtime.queue = healthy_queue
        await queue.aclose()

    statuses = await Interaction.all().values_list("status", flat=True)
    assert statuses == [InteractionStatus.AWARDED] * 3
    me = (await gql(ME, as_=member("ada")))["data"]["me"]
    assert me["points"] == {"balance": 30, "lifetime": 30}


async def test_the_sweep_leaves_fresh_and_processed_interactions_alone(gql, drain, runtime):
    await define(gql, points=10)
    await record(gql, member("ada"), key="done")
    assert await drain() == 1
    await record(gql, member("ada"), key="fresh")

    assert await sweep_pending(runtime, older_than=timedelta(minutes=5)) == 0
    assert await drain() == 1  # the fresh one's own job, queued once
    assert await sweep_pending(runtime, older_than=timedelta(0)) == 0
