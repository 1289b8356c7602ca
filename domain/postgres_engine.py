"""A Tortoise asyncpg engine whose pool skips asyncpg's per-release session reset.

asyncpg resets every connection it takes back into the pool with a round trip
(`SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL;`). Tortoise releases the
connection after every query outside a transaction, so that doubles the round trips. Plaudit never
leaves session state behind (no SET, LISTEN, advisory locks or open cursors); an open transaction
is still rolled back by asyncpg itself before the reset hook runs.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient


async def _keep_session(connection: asyncpg.Connection) -> None:
    return None


class NoResetAsyncpgClient(AsyncpgDBClient):
    async def create_pool(self, **kwargs: Any) -> asyncpg.Pool:
        return await asyncpg.create_pool(None, reset=_keep_session, **kwargs)


client_class = NoResetAsyncpgClient
