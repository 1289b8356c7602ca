"""The README's partner examples are valid against the served schema, as they would be copied
into GraphiQL."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import parse, validate

from api.schema import build_schema

README = Path(__file__).resolve().parents[3] / "README.md"


def partner_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    body = text.split("\n### Partners\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    return re.findall(r"```graphql\n(.*?)```", body, flags=re.DOTALL)


def test_the_partner_examples_validate_against_the_served_schema():
    blocks = partner_blocks()
    joined = "\n".join(blocks)
    for operation in ("upsertPartner", "issueToken", "tokenDays", "partners"):
        assert operation in joined
    schema = build_schema()._schema
    for block in blocks:
        assert validate(schema, parse(block)) == [], block
