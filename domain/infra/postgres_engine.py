"""A Tortoise asyncpg engine: no per-release session reset, and no transaction left behind
when BEGIN fails.

asyncpg resets every connection it takes back into the pool with a round trip
(`SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL;`). Tortoise releases the
connection after every query outside a transaction, so that doubles the round trips. Plaudit never
leaves session state behind (no SET, LISTEN, advisory locks or open cursors); an open transaction
is still rolled back by asyncpg itself before the reset hook runs.

Tortoise's pooled transaction makes its connection the task's "default" before it sends BEGIN.
When BEGIN fails (a backend killed, the server restarting) `__aexit__` never runs: the pool never
gets the connection back, and the task goes on seeing the dead transaction as its connection.
Its next queries and its after-commit hooks then ran on that connection, and two of them at
once failed with asyncpg's "another operation is in progress". `_Transaction` undoes both.
"""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import TransactionalDBClient, TransactionContextPooled
from tortoise.connection import get_connections

log = logging.getLogger("plaudit.db")


async def _keep_session(connection: asyncpg.Connection) -> None:
    return None


class _Transaction(TransactionContextPooled):
    async def __aenter__(self) -> TransactionalDBClient:
        client: Any = self.client
        await self.ensure_connection()
        client._connection = await client._parent._pool.acquire()
        self.token = get_connections().set(self.connection_name, client)
        try:
            await client.begin()
        except BaseException:
            get_connections().reset(self.token)
            connection, client._connection = client._connection, None
            try:
                await client._parent._pool.release(connection)
            except Exception as exc:  # the connection is broken; asyncpg terminates it
                log.debug("releasing a connection whose BEGIN failed: %r", exc)
            raise
        return self.client


class NoResetAsyncpgClient(AsyncpgDBClient):
    async def create_pool(self, **kwargs: Any) -> asyncpg.Pool:
        return await asyncpg.create_pool(None, reset=_keep_session, **kwargs)

    def _in_transaction(self) -> _Transaction:
        return _Transaction(TransactionWrapper(self), self._pool_init_lock)


client_class = NoResetAsyncpgClient
