"""Every place that can hold a member's data is listed in `domain.privacy.holdings`, and export
and erasure cover every listed place.

The models are walked, not listed: a table added later with a foreign key to `member` (or a
column named for a member) fails here until it is a holding, with an export key and an erasure
treatment. `tests/api/privacy/test_erasure.py` then checks, through the API, that its member
world fills every holding and that erasure leaves none of them naming the member."""

from __future__ import annotations

import inspect

from tortoise import fields
from tortoise.models import Model

import domain.models
from domain.privacy.erasure import anonymous_source
from domain.privacy.export import SECTIONS
from domain.privacy.holdings import HOLDINGS, Erased, export_keys

ANON = "erased:AbCdEfGhIjKlMnOpQrStUv"


def models() -> list[type[Model]]:
    return [
        value
        for value in vars(domain.models).values()
        if inspect.isclass(value) and issubclass(value, Model) and value is not Model
    ]


def columns_of(model: type[Model]) -> set[str]:
    found = set()
    for name, field in model._meta.fields_map.items():
        if isinstance(field, fields.relational.RelationalField):
            if isinstance(
                field,
                fields.relational.ForeignKeyFieldInstance | fields.relational.OneToOneFieldInstance,
            ):
                found.add(f"{name}_id")
            continue
        found.add(getattr(field, "source_field", None) or name)
    return found


def member_columns() -> set[tuple[str, str]]:
    """Every (table, column) that refers to a member: a foreign key to `member`, or a column
    named for one."""
    found = set()
    for model in models():
        table = model._meta.db_table
        for name, field in model._meta.fields_map.items():
            to_member = getattr(field, "model_name", None) == "models.Member"
            if (
                isinstance(
                    field,
                    fields.relational.ForeignKeyFieldInstance
                    | fields.relational.OneToOneFieldInstance,
                )
                and to_member
            ):
                found.add((table, f"{name}_id"))
            elif not isinstance(field, fields.relational.RelationalField) and (
                name == "member_id" or name.endswith("_member_id")
            ):
                found.add((table, name))
    return found


def test_every_column_that_refers_to_a_member_is_a_holding():
    listed = {(holding.table, holding.column) for holding in HOLDINGS}
    assert sorted(member_columns() - listed) == []
    assert ("member", "id") in listed


def test_every_holding_is_a_real_column_of_a_table():
    tables = {model._meta.db_table: columns_of(model) for model in models()}
    for holding in HOLDINGS:
        assert holding.table in tables, holding
        assert holding.column in tables[holding.table] | {"id"}, holding


def test_every_holding_is_exported_under_a_key_with_a_section():
    assert list(SECTIONS) == export_keys()
    assert all(holding.how and holding.erased in Erased for holding in HOLDINGS)


# --- ledger sources ------------------------------------------------------------------------------


def test_sources_named_by_their_cause_or_by_someone_else_stay():
    for source in ("interaction:42", "redemption-cancel:7", "content-bonus:3"):
        assert anonymous_source(source, "ada", ANON, 1) == source
    assert anonymous_source("referral:bob:referrer", "ada", ANON, 1) == "referral:bob:referrer"


def test_sources_naming_the_member_name_the_anonymous_id():
    assert anonymous_source("badge:helper:ada", "ada", ANON, 1) == f"badge:helper:{ANON}"
    assert anonymous_source("challenge:sprint:ada", "ada", ANON, 1) == f"challenge:sprint:{ANON}"
    assert anonymous_source("campaign:winback:ada", "ada", ANON, 1) == f"campaign:winback:{ANON}"
    assert anonymous_source("referral:ada:referee", "ada", ANON, 1) == f"referral:{ANON}:referee"
    assert anonymous_source("referral:ada:referrer", "ada", ANON, 1) == f"referral:{ANON}:referrer"
    assert anonymous_source("expiry:ada:120", "ada", ANON, 1) == f"expiry:{ANON}:120"


def test_sources_that_may_hold_their_words_or_a_digest_become_the_entry():
    # An adjustment's idempotency key is the admin's choice, and may name the person.
    assert anonymous_source("adjustment:ada:refund-ada", "ada", ANON, 9) == f"{ANON}:9"
    assert anonymous_source("adjustment#" + "f" * 64, "ada", ANON, 9) == f"{ANON}:9"
    long = "badge:" + "k" * 100 + ":" + "m" * 128
    assert anonymous_source(long[:134] + "#" + "0" * 64, "m" * 128, ANON, 9) == f"{ANON}:9"
