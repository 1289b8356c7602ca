"""`schema.graphql` at the repository root is the served schema, so every change to the API's shape
shows in review, and a fresh clone checks it without `../shared` (tests/test_contract.py checks it
against the contract when that exists)."""

from __future__ import annotations

import difflib
from pathlib import Path

from tests.helpers import served_schema

COMMITTED = Path(__file__).resolve().parents[1] / "schema.graphql"


def test_plaudit_schema_prints_exactly_the_committed_schema_graphql(tmp_path):
    printed = served_schema(tmp_path)
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
