"""Hostile input at the protocol level: schema hints in errors, ids and cursors that are not
plain numbers, variables that do not coerce, and introspection depth."""

from __future__ import annotations

import base64
import logging
from typing import Any

import pytest
from graphql import get_introspection_query

from tests.conftest import ADMIN, member
from tests.helpers import INTERACTION, ME, codes

ADJUST = """
mutation Adjust($input: AdjustPointsInput!) {
  adjustPoints(input: $input) { entry { amount } errors { code message } }
}
"""
CANCEL = """
mutation Cancel($id: ID!) {
  cancelRedemption(input: {redemptionId: $id, reason: "probe"}) {
    redemption { id } errors { code }
  }
}
"""
MEMBER_PAGES = {"ledger": "history", "redemption": "redemptions", "event": "events"}
AUDIT = "query Audit($after: String) { auditLog(after: $after) { edges { cursor } } }"

# Not plain ASCII numbers in range: a superscript digit (isdigit() but not int()), Arabic-Indic
# digits (int() accepts them), one past int64, 19 and 400 nines, zero, a sign, whitespace.
BAD_NUMBERS = ["²", "٣", str(2**63), "9" * 19, "9" * 400, "0", "-1", "+1", " 1", "1_0"]


def error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.ERROR]


def messages(body: dict[str, Any]) -> str:
    return " ".join(error["message"] for error in body.get("errors", []))


def id_cursor(kind: str, value: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode().rstrip("=")


# --- Suggestions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "hint"),
    [
        pytest.param("{ mee { id } }", "'me'", id="unknown field"),
        pytest.param(
            '{ leaderboard(board: "points", perod: WEEKLY) { size } }', "'period'", id="argument"
        ),
        pytest.param(
            '{ leaderboard(board: "points", period: WEEKL) { size } }', "WEEKLY", id="enum value"
        ),
        pytest.param("query { me { ...F } } fragment F on Membr { id }", "'Member'", id="fragment"),
        pytest.param(
            'query Q($p: LeaderboardPeriodd!) { leaderboard(board: "points", period: $p) '
            "{ size } }",
            "'LeaderboardPeriod'",
            id="variable type",
        ),
        pytest.param(
            'mutation { adjustPoints(input: {memberI: "a", memberId: "a", amount: 1, reason: "r", '
            'idempotencyKey: "k"}) { errors { code } } }',
            "'memberId'?",
            id="input field",
        ),
    ],
)
async def test_no_error_message_suggests_a_name_from_the_schema(gql, document, hint):
    body = await gql(document, as_=ADMIN)
    assert body["errors"]
    assert "Did you mean" not in messages(body)
    assert hint not in messages(body)
    assert set(codes(body)) == {"GRAPHQL_VALIDATION_FAILED"}


# --- Ids and cursors ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_NUMBERS)
async def test_an_interaction_id_that_is_not_a_plain_number_is_simply_not_found(gql, bad):
    body = await gql(INTERACTION, {"id": bad}, as_=ADMIN)
    assert body == {"data": {"interaction": None}}


@pytest.mark.parametrize("bad", BAD_NUMBERS)
async def test_a_redemption_id_that_is_not_a_plain_number_is_not_found(gql, bad):
    body = await gql(CANCEL, {"id": bad}, as_=ADMIN)
    assert body["data"]["cancelRedemption"] == {
        "redemption": None,
        "errors": [{"code": "NOT_FOUND"}],
    }


@pytest.mark.parametrize("bad", BAD_NUMBERS)
@pytest.mark.parametrize("kind", ["ledger", "redemption", "event"])
async def test_a_member_page_cursor_that_is_not_a_plain_number_is_invalid(gql, kind, bad):
    page = MEMBER_PAGES[kind]
    query = f"query P($after: String) {{ me {{ {page}(after: $after) {{ edges {{ cursor }} }} }} }}"
    body = await gql(query, {"after": id_cursor(kind, bad)}, as_=member("ann"))
    assert "INTERNAL_SERVER_ERROR" not in codes(body)
    assert set(codes(body)) == {"INVALID_CURSOR"}


@pytest.mark.parametrize("bad", BAD_NUMBERS)
async def test_an_audit_cursor_that_is_not_a_plain_number_is_invalid(gql, bad):
    body = await gql(AUDIT, {"after": id_cursor("audit", bad)}, as_=ADMIN)
    assert codes(body) == ["INVALID_CURSOR"]


# A board score may be 0, negative or beyond 64 bits (it carries a tie-break time), not these.
BAD_SCORES = ["²", "٣", "9" * 400, "+1", " 1", "1_0", ""]


async def leaderboard_after(gql, score: str) -> dict[str, Any]:
    cursor = base64.urlsafe_b64encode(f"{score}|m:ann".encode()).decode().rstrip("=")
    query = """
    query Board($after: String) {
      leaderboard(board: "points", period: ALL_TIME) { entries(after: $after) { edges { cursor } } }
    }
    """
    return await gql(query, {"after": cursor}, as_=member("ann"))


@pytest.mark.parametrize("bad", BAD_SCORES)
async def test_a_leaderboard_cursor_with_a_score_that_is_not_a_plain_number_is_invalid(gql, bad):
    assert codes(await leaderboard_after(gql, bad)) == ["INVALID_CURSOR"]


@pytest.mark.parametrize("score", ["5", "-5", "0", "9" * 26])
async def test_a_leaderboard_cursor_with_a_plain_score_pages(gql, score):
    assert "errors" not in await leaderboard_after(gql, score)


async def test_real_cursors_still_page(gql):
    body = await gql(ME, {"first": 1, "after": id_cursor("ledger", "5")}, as_=member("ann"))
    assert "errors" not in body


# --- Variables ---------------------------------------------------------------------------------


def adjust_input(**overrides: Any) -> dict[str, Any]:
    return {"memberId": "ann", "amount": 5, "reason": "r", "idempotencyKey": "k", **overrides}


BAD_AMOUNTS = [
    pytest.param({"amount": 1.5}, "1.5", id="not an integer"),
    pytest.param({"amount": 2**31}, str(2**31), id="beyond 32 bits"),
    pytest.param({"amount": None}, "null", id="null for non-null"),
]


@pytest.mark.parametrize(("overrides", "literal"), BAD_AMOUNTS)
async def test_a_bad_variable_is_the_same_validation_error_as_the_same_literal(
    client, gql, caplog, overrides, literal
):
    caplog.set_level(logging.INFO)
    as_variable = await gql(ADJUST, {"input": adjust_input(**overrides)}, as_=ADMIN)
    as_literal = await gql(
        f'mutation {{ adjustPoints(input: {{memberId: "ann", amount: {literal}, reason: "r", '
        'idempotencyKey: "k"}) { errors { code } } }',
        as_=ADMIN,
    )
    assert codes(as_variable) == codes(as_literal) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "data" not in as_variable
    assert error_records(caplog) == []
    assert "Traceback" not in str(as_variable)


async def test_an_unknown_input_field_in_variables_is_a_validation_error(client, gql, caplog):
    caplog.set_level(logging.INFO)
    response = await client.post(
        "/graphql",
        json={"query": ADJUST, "variables": {"input": adjust_input(nope=1)}},
        headers={"accept": "application/graphql-response+json", "authorization": ""},
    )
    assert response.status_code == 400
    assert codes(response.json()) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "nope" in messages(response.json())
    assert error_records(caplog) == []


async def test_nothing_is_changed_by_a_refused_variable(gql):
    await gql(ADJUST, {"input": adjust_input(amount=1.5)}, as_=ADMIN)
    body = await gql("{ me { points { balance } } }", as_=member("ann"))
    assert body["data"]["me"]["points"]["balance"] == 0


# --- Depth -------------------------------------------------------------------------------------


def of_type_chain(depth: int) -> str:
    """`__type` then `ofType` `depth` times, through a chain of fragments."""
    fragments = [
        f"fragment T{i} on __Type {{ kind ofType {{ ...T{i + 1} }} }}" for i in range(depth)
    ]
    fragments.append(f"fragment T{depth} on __Type {{ kind }}")
    return '{ __type(name: "Member") { ...T0 } } ' + " ".join(fragments)


async def test_a_deep_chain_through_introspection_fields_is_refused(gql):
    body = await gql(of_type_chain(50))
    assert "data" not in body
    assert "exceeds maximum operation depth" in messages(body)


async def test_the_standard_introspection_query_still_runs(gql):
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    body = await gql(query)
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_ordinary_fields_keep_the_depth_limit_of_ten(gql):
    deep = "{ me { " + "badges { badge { " * 6 + "key" + " } }" * 6 + " } }"
    body = await gql(deep, as_=member("ann"))
    assert "exceeds maximum operation depth" in messages(body)
