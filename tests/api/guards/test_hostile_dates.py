"""Dates the program cannot use: a date-time without a UTC offset (which a host would read in
its own time zone) and one outside the supported years (which would overflow the date
arithmetic behind it). The `DateTime` scalar refuses both, for every argument and input field of
that type, before any resolver runs: a validation error with a code, nothing stored, no ERROR
log line."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from graphql import GraphQLError, GraphQLInputObjectType, GraphQLNamedType, get_named_type

from api.schema import build_schema
from domain.models import Campaign, Challenge, ChurnFit, Interaction, MemberInsight
from tests.conftest import ADMIN, SERVICE
from tests.helpers import RECORD, define

NAIVE = "2026-12-01T00:30:00"
REFUSED = [
    pytest.param(NAIVE, id="no offset"),
    pytest.param("2026-12-01", id="a date alone"),
    pytest.param("0001-01-01T00:00:00Z", id="year 1"),
    pytest.param("0001-01-01T00:00:00+01:00", id="year 0 in UTC"),
    pytest.param("1969-12-31T23:59:59Z", id="just before 1970"),
    pytest.param("9000-01-01T00:00:00Z", id="year 9000"),
    pytest.param("8999-12-31T23:00:00-05:00", id="year 9000 in UTC"),
    pytest.param("9999-12-31T23:59:59Z", id="year 9999"),
    pytest.param("2026-13-01T00:00:00Z", id="no such month"),
]
SOON = datetime.now(UTC) + timedelta(days=1)
LATER = SOON + timedelta(days=3)

CHURN_MODEL = "query($at: DateTime) { churnModel(asOf: $at) { asOf } }"
SEGMENTS = "query($at: DateTime) { segments(asOf: $at) { segment asOf } }"
RECORD_MANY = """mutation($inputs: [RecordInteractionInput!]!) {
  recordInteractions(inputs: $inputs) { accepted refused } }"""
UPSERT_CAMPAIGN = """mutation($input: UpsertCampaignInput!) {
  upsertCampaign(input: $input) { campaign { key } errors { code } } }"""
UPSERT_CHALLENGE = """mutation($input: UpsertChallengeInput!) {
  upsertChallenge(input: $input) { challenge { key } errors { code } } }"""


def campaign(**dates: str) -> dict[str, Any]:
    return {
        "key": "winback", "name": "Win back", "message": "We miss you",
        "target": {"churnRisks": ["HIGH"]}, "offer": {"bonusPoints": 200},
        "startsAt": SOON.isoformat(), "endsAt": LATER.isoformat(), **dates,
    }  # fmt: skip


def challenge(**dates: str) -> dict[str, Any]:
    goal = {"metric": "ACTION_COUNT", "action": "app.daily_open", "target": 1}
    return {
        "key": "week", "name": "A week", "goals": [goal],
        "startsAt": SOON.isoformat(), "endsAt": LATER.isoformat(), **dates,
    }  # fmt: skip


def recording(**extra: str) -> dict[str, Any]:
    return {"action": "app.daily_open", "memberId": "ada", "idempotencyKey": "k1", **extra}


# Each place a DateTime comes in: (document, who, variables for a value, what must stay empty).
Place = tuple[str, tuple[str, str], Callable[[str], dict[str, Any]], list[Any]]
PLACES: dict[str, Place] = {
    "churnModel.asOf": (CHURN_MODEL, ADMIN, lambda v: {"at": v}, [ChurnFit, MemberInsight]),
    "segments.asOf": (SEGMENTS, ADMIN, lambda v: {"at": v}, [MemberInsight]),
    "upsertCampaign.startsAt": (
        UPSERT_CAMPAIGN, ADMIN, lambda v: {"input": campaign(startsAt=v)}, [Campaign]
    ),
    "upsertCampaign.endsAt": (
        UPSERT_CAMPAIGN, ADMIN, lambda v: {"input": campaign(endsAt=v)}, [Campaign]
    ),
    "upsertChallenge.startsAt": (
        UPSERT_CHALLENGE, ADMIN, lambda v: {"input": challenge(startsAt=v)}, [Challenge]
    ),
    "recordInteraction.occurredAt": (
        RECORD, SERVICE, lambda v: {"input": recording(occurredAt=v)}, [Interaction]
    ),
    "recordInteractions.occurredAt": (
        RECORD_MANY, SERVICE,
        lambda v: {"inputs": [recording(idempotencyKey="k0"), recording(occurredAt=v)]},
        [Interaction],
    ),
}  # fmt: skip


def error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.ERROR]


def date_time_inputs(named: GraphQLNamedType, seen: set[str]) -> Iterator[str]:
    """Every input field of type DateTime reachable from an input object type."""
    if not isinstance(named, GraphQLInputObjectType) or named.name in seen:
        return
    seen.add(named.name)
    for name, field in named.fields.items():
        inner = get_named_type(field.type)
        if inner.name == "DateTime":
            yield f"{named.name}.{name}"
        yield from date_time_inputs(inner, seen)


def test_every_date_time_input_of_the_schema_goes_through_the_one_scalar():
    schema = build_schema()._schema
    scalar = schema.get_type("DateTime")
    places = []
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        assert root is not None
        for field_name, field in root.fields.items():
            for argument_name, argument in field.args.items():
                if get_named_type(argument.type).name == "DateTime":
                    places.append(f"{field_name}.{argument_name}")
                places += date_time_inputs(get_named_type(argument.type), set())
    assert {"churnModel.asOf", "segments.asOf", "UpsertCampaignInput.startsAt"} <= set(places)
    assert {"RecordInteractionInput.occurredAt", "UpsertChallengeInput.endsAt"} <= set(places)
    # One type serves them all, and it is ours: it refuses what the program cannot use.
    assert scalar is not None and "UTC offset" in (scalar.description or "")
    for value in (NAIVE, "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", 20261201):
        with pytest.raises(GraphQLError):
            scalar.parse_value(value)  # type: ignore[attr-defined]
    parsed = scalar.parse_value("2026-12-01T00:30:00+09:00")  # type: ignore[attr-defined]
    assert parsed.utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize("value", REFUSED)
@pytest.mark.parametrize("place", list(PLACES))
async def test_a_date_the_program_cannot_use_is_refused_with_a_code_and_stores_nothing(
    gql, caplog, place, value
):
    await define(gql)
    document, who, variables, models = PLACES[place]
    caplog.set_level(logging.INFO)

    body = await gql(document, variables(value), as_=who)

    assert body.get("data") is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "DateTime" in error["message"]
    for model in models:
        assert await model.all().count() == 0, model
    assert error_records(caplog) == []


async def test_a_literal_in_the_document_is_refused_the_same_way(gql, caplog):
    caplog.set_level(logging.INFO)
    for value in ("2026-12-01T00:30:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"):
        body = await gql(f'{{ churnModel(asOf: "{value}") {{ asOf }} }}', as_=ADMIN)
        assert body.get("data") is None, body
        [error] = body["errors"]
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "DateTime" in error["message"]
    assert error_records(caplog) == []


async def test_the_edges_of_the_supported_range_are_accepted(gql, drain, caplog):
    caplog.set_level(logging.INFO)
    for value in ("1970-01-01T00:00:00Z", "8999-12-31T23:59:59Z", "8999-12-31T23:00:00+05:00"):
        for document in (CHURN_MODEL, SEGMENTS):
            body = await gql(document, {"at": value}, as_=ADMIN)
            assert "errors" not in body, body
    # An import of the first supported day is stored and processed like any other.
    await define(gql, points=10)
    payload = await gql(
        RECORD, {"input": recording(occurredAt="1970-01-01T00:00:00Z")}, as_=SERVICE
    )
    assert payload["data"]["recordInteraction"]["errors"] == [], payload
    assert await drain() == 1
    stored = await Interaction.get(member_id="ada")
    assert stored.status == "AWARDED" and stored.occurred_at.year == 1970
    assert error_records(caplog) == []
