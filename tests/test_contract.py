"""The served schema keeps the public contract (`../shared/contract`): no breaking change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import served_schema

CONTRACT = Path(
    os.environ.get("PLAUDIT_CONTRACT_DIR", Path(__file__).resolve().parents[2] / "shared/contract")
)
DONE_PARTS = [
    "core",
    "points",
    "gamification",
    "community",
    "ingest",
    "leaderboards",
    "insight",
    "integrations",
    "engagement",
]  # each part joins this list when its issue is resolved


@pytest.mark.skipif(not (CONTRACT / "check.py").exists(), reason=f"no contract at {CONTRACT}")
@pytest.mark.parametrize("part", DONE_PARTS)
def test_the_served_schema_has_no_breaking_change_against_the_contract(tmp_path, part):
    served = tmp_path / "served.graphql"
    served.write_text(served_schema(tmp_path))
    result = subprocess.run(
        [sys.executable, str(CONTRACT / "check.py"), str(served), part],
        capture_output=True,
        text=True,
        timeout=60,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
