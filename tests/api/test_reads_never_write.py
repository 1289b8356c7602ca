"""Reads never write: every query of the schema, every field it can reach, asked by an admin, a
member and an anonymous caller on the demo program (a legacy member without a referral code
included), leaves every table of the database exactly as it was.

The documents are built from the served schema itself (`Query`'s fields, each object type's
fields to a bounded depth, required arguments given small values), so a query or a field added
later is covered without touching this test. Reading may fail (FORBIDDEN, NOT_FOUND); it may
never store anything, nor answer an unexpected error.

A member token's first contact enrols its member, as documented ("Members are enrolled on first
contact"): the member reading here is enrolled (by the demo) before the database is measured.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    TokenKind,
    Undefined,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
    parse,
    validate,
)
from graphql.language import Lexer, Source

from api.schema import MAX_DEPTH, MAX_TOKENS, build_schema
from domain import demo
from domain.models import Content, Interaction, Member
from tests.conftest import ADMIN, member
from tests.helpers import table_sums

NESTING = 6  # object levels below a root field (MAX_DEPTH counts fields, leaves included)
ALLOWED = {"FORBIDDEN", "UNAUTHENTICATED", "NOT_FOUND"}
CALLERS = [
    pytest.param(ADMIN, id="admin"),
    pytest.param(member("demo-ada"), id="member"),
    pytest.param(None, id="anonymous"),
]

# --- documents from the schema --------------------------------------------------------------


class Documents:
    """Query documents reaching every field of every object type below `Query`, each within
    the server's token and depth limits; `values` names the argument values to use where a
    generic one would only ever answer "not found"."""

    def __init__(self, schema: GraphQLSchema, values: dict[str, str]) -> None:
        self.schema = schema
        self.values = values

    def all(self) -> Iterator[str]:
        query = self.schema.query_type
        assert query is not None
        for name, field in query.fields.items():
            yield from self._documents(name, field)

    def _documents(self, name: str, field: GraphQLField) -> Iterator[str]:
        """One document for the root field when it fits, else one per nested object field
        (leaves in each), recursively: every field is still asked at least once."""
        named = get_named_type(field.type)
        yield from self._split([name + self._arguments(name, field)], named, {named.name}, 1)

    def _split(
        self, path: list[str], named: GraphQLNamedType, seen: set[str], level: int
    ) -> Iterator[str]:
        whole = self._wrap(path, self._selection(named, seen, level))
        if fits(whole) or not isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            yield whole
            return
        yield self._wrap(path, self._selection(named, seen, NESTING))  # its leaves
        for child, field in named.fields.items():
            inner = get_named_type(field.type)
            if is_leaf_type(inner) or inner.name in seen or level >= NESTING:
                continue
            step = child + self._arguments(child, field)
            yield from self._split([*path, step], inner, seen | {inner.name}, level + 1)

    @staticmethod
    def _wrap(path: list[str], selection: str) -> str:
        body = selection
        for step in reversed(path):
            body = f"{step}{' { ' + body + ' }' if body else ''}"
        return "query { " + body + " }"

    def _selection(self, named: GraphQLNamedType, seen: set[str], level: int) -> str:
        if is_leaf_type(named):
            return ""
        if isinstance(named, GraphQLUnionType):
            return "__typename " + " ".join(
                f"... on {kind.name} {{ {self._selection(kind, seen | {kind.name}, level + 1)} }}"
                for kind in named.types
            )
        assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType), named
        parts = ["__typename"]
        for name, field in named.fields.items():
            inner = get_named_type(field.type)
            step = name + self._arguments(name, field)
            if is_leaf_type(inner):
                parts.append(step)
            elif inner.name not in seen and level < NESTING:
                inside = self._selection(inner, seen | {inner.name}, level + 1)
                parts.append(f"{step} {{ {inside} }}")
        return " ".join(parts)

    def _arguments(self, field_name: str, field: GraphQLField) -> str:
        given = [
            f"{name}: {self._value(field_name, name, argument)}"
            for name, argument in field.args.items()
            if (is_non_null_type(argument.type) and argument.default_value is Undefined)
            or f"{field_name}.{name}" in self.values
        ]
        return f"({', '.join(given)})" if given else ""

    def _value(self, field_name: str, name: str, argument: GraphQLArgument) -> str:
        if f"{field_name}.{name}" in self.values:
            return self.values[f"{field_name}.{name}"]
        named = get_named_type(argument.type)
        if isinstance(named, GraphQLEnumType):
            return next(iter(named.values))
        if isinstance(named, GraphQLInputObjectType):
            raise AssertionError(f"give {field_name}.{name} a value in VALUES")
        return {"Int": "1", "Float": "1.0", "Boolean": "false"}.get(named.name, '"1"')


def fits(document: str) -> bool:
    lexer = Lexer(Source(document))
    tokens = 0
    while lexer.advance().kind is not TokenKind.EOF:
        tokens += 1
    return tokens <= MAX_TOKENS


def depth(document: str) -> int:
    """Fields nested in the deepest path (what the server's depth rule counts)."""
    deepest = level = 0
    for char in document.removeprefix("query"):
        level += {"{": 1, "}": -1}.get(char, 0)
        deepest = max(deepest, level)
    return deepest


# --- the test ---------------------------------------------------------------------------------


@pytest.fixture
async def program(runtime) -> dict[str, str]:
    """The demo program, a member enrolled before referral codes existed, and the values that
    make lookups find something."""
    await demo.load(runtime)
    await Member.create(id="legacy", display_name="Legacy")
    interaction = await Interaction.filter(member_id="demo-ada").order_by("id").first()
    content = await Content.all().order_by("id").first()
    assert interaction is not None and content is not None
    return {
        "member.id": '"legacy"',
        "interaction.id": f'"{interaction.id}"',
        "content.id": f'"{content.id}"',
        "campaign.key": f'"{demo.CAMPAIGN_KEY}"',
        "leaderboardArchives.board": '"points"',
        "leaderboardArchives.period": "WEEKLY",
        "leaderboardArchives.last": "3",
        "around.memberId": '"demo-ada"',
        "campaignAudience.target": "{segments: [LOYAL]}",
    }


def test_the_documents_reach_every_query_and_every_type_within_the_limits():
    schema = build_schema()._schema
    values = {"leaderboardArchives.board": '"points"', "campaignAudience.target": "{}"}
    documents = list(Documents(schema, values).all())
    query = schema.query_type
    assert query is not None
    asked = " ".join(documents)
    for name in query.fields:
        assert f"{{ {name}" in asked, name
    for document in documents:
        assert validate(schema, parse(document)) == [], document
        assert fits(document) and depth(document) <= MAX_DEPTH, document


@pytest.mark.parametrize("caller", CALLERS)
async def test_no_query_changes_the_database(gql, program, caller):
    documents = list(Documents(build_schema()._schema, program).all())
    before = await table_sums()

    for document in documents:
        body = await gql(document, as_=caller)
        unexpected = [
            error
            for error in body.get("errors", [])
            if error.get("extensions", {}).get("code") not in ALLOWED
        ]
        assert unexpected == [], (document, unexpected)

    after = await table_sums()
    changed = sorted(table for table in before if before[table] != after.get(table))
    assert changed == [] and after.keys() == before.keys()


async def test_the_reads_see_the_seeded_program(gql, program):
    """The walk is not vacuous: as an admin, the lookups find what the demo stored."""
    body = await gql(
        f"query {{ member(id: {program['member.id']}) {{ referral {{ code }} }} "
        f"campaign(key: {program['campaign.key']}) {{ key }} "
        f"churnModel {{ asOf }} segments {{ asOf }} }}",
        as_=ADMIN,
    )
    assert "errors" not in body, body
    assert body["data"]["member"]["referral"]["code"]
    assert body["data"]["campaign"]["key"] == demo.CAMPAIGN_KEY
    assert body["data"]["churnModel"] is not None and body["data"]["segments"]
