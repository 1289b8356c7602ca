"""Every mutation answers its expected failures the same way, from one place (`UserErrors`)."""

from __future__ import annotations

from api.mutation_errors import UserErrors
from api.schema import Mutation
from tests.conftest import ADMIN, member


def test_every_mutation_maps_domain_errors_through_the_one_extension():
    definition = Mutation.__strawberry_definition__
    missing = [
        field.name
        for field in definition.fields
        if not any(isinstance(extension, UserErrors) for extension in field.extensions)
    ]
    assert missing == []


ADJUST = """
mutation Adjust($input: AdjustPointsInput!) {
  adjustPoints(input: $input) { entry { id } errors { code message field } }
}
"""
NOBODY = {"input": {"memberId": "nobody", "amount": 5, "reason": "r", "idempotencyKey": "k"}}


async def test_a_domain_error_is_the_payloads_user_error_with_every_other_field_null(gql):
    body = await gql(ADJUST, NOBODY, as_=ADMIN)
    assert "errors" not in body
    payload = body["data"]["adjustPoints"]
    assert payload["entry"] is None
    assert [error["code"] for error in payload["errors"]] == ["NOT_FOUND"]


async def test_an_authorization_failure_stays_a_graphql_error(gql):
    body = await gql(ADJUST, NOBODY, as_=member("ada"))
    assert body["data"] is None
    assert [error["extensions"]["code"] for error in body["errors"]] == ["FORBIDDEN"]
