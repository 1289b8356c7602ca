"""A transaction that cannot begin leaves nothing behind (PostgreSQL).

When the server drops a pooled connection under the worker's feet (a backend killed, a restart),
BEGIN fails inside Tortoise's transaction context. The task must go on with the pool, not with
the dead transaction: otherwise its next queries and after-commit hooks share that connection
("another operation is in progress") and the pool never gets it back.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient

from domain.infra.db import touch_member, transaction
from domain.infra.outages import is_outage
from domain.models import Member

DATABASE_URL = os.environ.get("PLAUDIT_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"),
    reason="PostgreSQL tests run in the PostgreSQL pass (PLAUDIT_DATABASE_URL set)",
)


def kill_other_backends() -> None:
    """Terminate this database's other backends and wait until they are gone. Synchronous on
    purpose: the event loop does not run meanwhile, so the pool still believes its idle
    connections alive and hands one out for the next BEGIN."""
    sql = (
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    subprocess.run(["psql", DATABASE_URL, "-X", "-q", "-c", sql], check=True, capture_output=True)


async def test_a_transaction_whose_begin_fails_leaves_the_task_on_the_pool(server):
    assert await Member.all().count() == 0  # the pool holds a live connection

    kill_other_backends()
    with pytest.raises(Exception) as failed:
        async with transaction():
            pytest.fail("BEGIN on a killed backend cannot succeed")
    assert is_outage(failed.value)

    assert not isinstance(connections.get("default"), TransactionalDBClient)
    async with transaction() as connection:
        await Member.create(id="ada", display_name="Ada")
        touch_member("ada")  # as every writer of what members read says (the read cache audit)
        assert await Member.filter(id="ada").using_db(connection).count() == 1
    assert await Member.all().count() == 1
