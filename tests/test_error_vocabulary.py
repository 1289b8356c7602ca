"""The README's "Errors" section documents exactly the codes and reasons the code can produce."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.errors import DomainError, ErrorCode
from gamification.reasons import CAPPED_REASONS, InteractionReason
from gamification.rewards import RedemptionError

README = Path(__file__).resolve().parents[1] / "README.md"


def errors_section() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Errors\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, 'the README has no "## Errors" section'
    return match.group(1)


def table_rows(header: str) -> list[list[str]]:
    """The cells of the README table in the Errors section whose header row starts `header`."""
    lines = errors_section().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().strip("`") for cell in line.strip("|").split("|")])
    return rows


def test_the_readme_lists_every_error_code_and_no_other():
    documented = [row[0] for row in table_rows("Code")]
    assert len(documented) == len(set(documented)), "a code is listed twice"
    assert set(documented) == {code.value for code in ErrorCode}


def test_every_error_code_says_when_it_occurs():
    assert all(row[1] for row in table_rows("Code"))


def test_the_readme_lists_every_capped_or_rejected_reason_with_its_status():
    documented = {row[0]: row[1] for row in table_rows("Reason")}
    assert set(documented) == {reason.value for reason in InteractionReason}
    for reason in InteractionReason:
        expected = "CAPPED" if reason in CAPPED_REASONS else "REJECTED"
        assert documented[reason.value] == expected, reason


def test_every_redemption_refusal_is_an_error_code():
    assert {refusal.value for refusal in RedemptionError} <= {code.value for code in ErrorCode}


def test_a_domain_error_with_a_code_outside_the_vocabulary_fails_loudly():
    with pytest.raises(ValueError):
        DomainError("NOT_A_DOCUMENTED_CODE", "never served")


def test_a_code_compares_equal_to_its_published_string():
    assert DomainError("NOT_FOUND", "no such member").code == "NOT_FOUND"
