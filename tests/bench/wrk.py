"""Running wrk with a bench Lua script, and reading back the summary its `done()` prints."""

from __future__ import annotations

import json
import resource
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LUA = Path(__file__).with_name("lua")
WRK = shutil.which("wrk") or "/usr/bin/wrk"


@dataclass(frozen=True)
class Load:
    """wrk's shape: threads, keep-alive connections, and how long at most."""

    threads: int = 1
    connections: int = 32
    duration_s: float = 15
    timeout_s: float = 30


@dataclass
class Result:
    summary: dict[str, Any]
    sample_error: str | None
    cpu_s: float  # wrk's own user + system time
    extra: dict[str, Any] = field(default_factory=dict)  # a script's own `WRK_EXTRA {json}` line

    @property
    def requests(self) -> int:
        return int(self.summary["requests"])

    @property
    def duration_s(self) -> float:
        return float(self.summary["duration_us"]) / 1e6

    @property
    def errors(self) -> int:
        keys = ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
        return sum(int(self.summary[key]) for key in (*keys, "graphql_errors"))

    def report(self) -> dict[str, Any]:
        latency = self.summary["latency_us"]
        return {
            "requests": self.requests,
            "duration_s": round(self.duration_s, 2),
            "req_per_s": round(self.requests / self.duration_s, 1) if self.duration_s else 0.0,
            "p50_ms": round(latency["p50"] / 1000, 2),
            "p90_ms": round(latency["p90"] / 1000, 2),
            "p99_ms": round(latency["p99"] / 1000, 2),
            "max_ms": round(latency["max"] / 1000, 2),
            "errors": self.errors,
            **({"sample_error": self.sample_error} if self.sample_error else {}),
        }


def script(workdir: Path, name: str) -> Path:
    """common.lua followed by NAME.lua, written to the data dir (wrk takes one file)."""
    path = workdir / f"{name}.lua"
    path.write_text((LUA / "common.lua").read_text() + "\n" + (LUA / f"{name}.lua").read_text())
    return path


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Running:
    process: subprocess.Popen[str]
    cpu_before: float  # the bench reaps no other child meanwhile, so the difference is wrk's


def start(url: str, lua: Path, args: list[str], load: Load) -> Running:
    command = [
        WRK,
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{max(1, round(load.duration_s))}s",
        f"--timeout={round(load.timeout_s)}s",
        "-s",
        str(lua),
        url,
        "--",
        *args,
    ]
    before = _children_cpu()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return Running(process, before)


def interrupt(running: Running) -> None:
    """SIGINT ends the run early; wrk still prints its summary."""
    if running.process.poll() is None:
        running.process.send_signal(signal.SIGINT)


def finish(running: Running, timeout: float = 60) -> Result:
    process = running.process
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    cpu_s = _children_cpu() - running.cpu_before
    summary, sample, extra = None, None, {}
    for line in out.splitlines():
        if line.startswith("WRK_JSON "):
            summary = json.loads(line.removeprefix("WRK_JSON "))
        elif line.startswith("WRK_SAMPLE_ERROR "):
            sample = line.removeprefix("WRK_SAMPLE_ERROR ")[:300]
        elif line.startswith("WRK_EXTRA "):
            extra = json.loads(line.removeprefix("WRK_EXTRA "))
    if summary is None:
        raise RuntimeError(f"wrk printed no summary (exit {process.returncode}):\n{out}\n{err}")
    return Result(summary, sample, round(cpu_s, 1), extra)


def run(url: str, lua: Path, args: list[str], load: Load) -> Result:
    return finish(start(url, lua, args, load), timeout=load.duration_s + load.timeout_s + 30)
