"""`schema.graphql` at the repository root is the served schema, so every change to the API's shape
shows in review, and a fresh clone checks it without `../shared` (tests/test_contract.py checks it
against the contract when that exists)."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

COMMITTED = Path(__file__).resolve().parents[1] / "schema.graphql"


def test_plaudit_schema_prints_exactly_the_committed_schema_graphql(tmp_path):
    printed = subprocess.run(
        [str(Path(sys.executable).with_name("plaudit")), "schema"],
        env={"PATH": os.environ.get("PATH", ""), "PLAUDIT_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    committed = COMMITTED.read_text()

    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            printed.splitlines(keepends=True),
            "schema.graphql (committed)",
            "plaudit schema (served)",
        )
    )
    assert not diff, (
        "the served schema differs from schema.graphql; if the change is meant, regenerate it "
        "with `.venv/bin/plaudit schema > schema.graphql` and commit it:\n" + diff
    )
