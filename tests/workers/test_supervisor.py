"""The worker's supervisor and the Redis namespace, in process (the outages themselves are in
`test_outage_processes.py`, through real processes)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from domain.infra import namespace
from domain.infra.namespace import NamespaceClaimed
from domain.infra.settings import Settings, SettingsError
from workers.settings import build_worker
from workers.supervisor import Supervisor, heartbeat_key, heartbeats


async def test_a_worker_that_fails_for_another_reason_is_restarted(runtime, caplog):
    attempts = []

    def build(rt):
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("a bug")
        return build_worker(rt, burst=True)

    supervisor = Supervisor(runtime, kind="in-process", build=build, backoff_min_s=0.01)
    await supervisor.run()  # a burst worker ends by itself once the queue is empty

    assert len(attempts) == 2 and supervisor.restarts == 1
    assert supervisor.state == "stopped"
    assert "the worker failed; restart 1" in caplog.text
    assert not await runtime.redis.exists(heartbeat_key(runtime, supervisor.id))


async def test_the_heartbeat_says_what_the_worker_did(runtime):
    supervisor = Supervisor(runtime, kind="standalone")
    await supervisor._beat_once()
    [beat] = await heartbeats(runtime)
    assert beat["id"] == supervisor.id and beat["kind"] == "standalone"
    assert set(beat) >= {"batches", "last_batch_at", "sweeps", "last_sweep_at", "restarts"}
    raw = await runtime.redis.get(heartbeat_key(runtime, supervisor.id))
    assert json.loads(raw)["state"] == "starting"
    assert 0 < await runtime.redis.pttl(heartbeat_key(runtime, supervisor.id)) <= 15_000


def test_the_namespace_is_derived_from_the_database_unless_set(tmp_path: Path):
    one = Settings.from_env({"PLAUDIT_DATA_DIR": str(tmp_path / "one")})
    two = Settings.from_env({"PLAUDIT_DATA_DIR": str(tmp_path / "two")})
    assert one.redis_namespace.startswith("plaudit:")
    assert one.redis_namespace != two.redis_namespace
    assert one.redis_namespace == Settings.from_env(one.environ).redis_namespace
    pg = Settings.from_env({"PLAUDIT_DATABASE_URL": "postgres://u:secret@db:5432/loyalty"})
    assert pg.database_identity == "postgres://db:5432/loyalty"  # no credentials
    assert Settings.from_env({"PLAUDIT_REDIS_PREFIX": "shop-eu"}).redis_namespace == "shop-eu"
    for bad in ("{tag}", "has space", ":leading", "x" * 65):
        with pytest.raises(SettingsError, match="PLAUDIT_REDIS_PREFIX"):
            Settings.from_env({"PLAUDIT_REDIS_PREFIX": bad})


async def test_a_namespace_claimed_by_another_database_is_refused(runtime, tmp_path: Path):
    mine = dataclasses.replace(runtime.settings, redis_prefix="shared-prefix")
    other = dataclasses.replace(mine, data_dir=tmp_path, database_url=None)
    assert mine.database_identity != other.database_identity
    assert await namespace.claim(runtime.redis, mine) is True
    assert await namespace.claim(runtime.redis, mine) is False  # the same database: fine
    with pytest.raises(NamespaceClaimed, match="already claimed by database"):
        await namespace.claim(runtime.redis, other)
