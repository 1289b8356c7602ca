"""What a running process holds open: settings, Redis clients, the queue and leaderboards.

The API and the worker each build one `Runtime` at start-up and close it at shutdown; services
receive it rather than reaching for globals.
"""

from __future__ import annotations

from dataclasses import dataclass

from arq.connections import ArqRedis
from redis.asyncio import Redis

from domain import events
from domain.db import close_db, init_db
from domain.leaderboard_store import LeaderboardStore
from domain.queue import deserialize, serialize
from domain.redis import RedisEndpoint, open_endpoint
from domain.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    endpoint: RedisEndpoint
    redis: Redis
    queue: ArqRedis
    leaderboards: LeaderboardStore

    @classmethod
    async def open(cls, settings: Settings, *, database: bool = True) -> Runtime:
        if database:
            await init_db(settings)
        endpoint = open_endpoint(settings)
        redis = endpoint.client(decode_responses=False)
        queue = endpoint.arq_client(job_serializer=serialize, job_deserializer=deserialize)
        events.publisher.redis = redis
        return cls(settings, endpoint, redis, queue, LeaderboardStore(redis))

    async def close(self, *, database: bool = True) -> None:
        if events.publisher.redis is self.redis:
            events.publisher.redis = None
        await self.queue.aclose()
        await self.redis.aclose()
        self.endpoint.close()
        if database:
            await close_db()
