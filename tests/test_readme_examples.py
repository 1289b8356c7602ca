"""The README's referral and content examples are valid against the served schema, as a program
manager would copy them into GraphiQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import parse, validate

from api.schema import build_schema

README = Path(__file__).resolve().parents[1] / "README.md"


def community_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Referrals and user-generated content", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```graphql\n(.*?)```", section, flags=re.DOTALL)


def test_the_section_has_the_app_and_admin_examples():
    joined = "\n".join(community_blocks())
    for operation in (
        "applyReferralCode",
        "updateReferralProgram",
        "submitContent",
        "moderateContent",
        "voteContent",
        "contents(status: PENDING",
    ):
        assert operation in joined


@pytest.mark.parametrize("block", community_blocks())
def test_each_example_validates_against_the_served_schema(block: str):
    assert validate(build_schema()._schema, parse(block)) == []
