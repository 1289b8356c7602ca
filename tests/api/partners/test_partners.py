"""Partners over GraphQL: defined by admins, recording with a token scoped to them, only their
own actions, within a monthly budget that the ledger adds up to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from domain.models import AuditRecord, Interaction, LedgerEntry, Member, Partner, ProgramVersion
from gamification.periods import Period, period_window
from tests.conftest import ADMIN, SECRET, SERVICE, member
from tests.helpers import RECORD, codes, define, table_sums, tables_changed

UPSERT_PARTNER = """
mutation Upsert($input: UpsertPartnerInput!, $issueToken: Boolean, $tokenDays: Int) {
  upsertPartner(input: $input, issueToken: $issueToken, tokenDays: $tokenDays) {
    partner { key name actions monthlyBudget awardedThisMonth active }
    token
    errors { code message field }
  }
}
"""

PARTNERS = "{ partners { key name actions monthlyBudget awardedThisMonth active } }"

RECORD_MANY = """
mutation RecordMany($inputs: [RecordInteractionInput!]!) {
  recordInteractions(inputs: $inputs) {
    results { index interaction { id status reason memberId } errors { code field } }
    accepted refused
    errors { code message field }
  }
}
"""

INTERACTION = "query Interaction($id: ID!) { interaction(id: $id) { id status reason } }"


def partner_input(key: str = "acme", **extra: Any) -> dict[str, Any]:
    return {"key": key, "name": key.title(), "actions": ["acme.purchase"], **extra}


async def upsert(gql, **variables: Any) -> dict[str, Any]:
    body = await gql(UPSERT_PARTNER, variables, as_=ADMIN)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["upsertPartner"]
    return payload


async def partner(gql, key: str = "acme", **extra: Any) -> str:
    """Define the partner (its action worth 10 points unless defined) and return its token."""
    for action in extra.get("actions", ["acme.purchase"]):
        await define(gql, action, 10, memberReportable=False)
    payload = await upsert(gql, input=partner_input(key, **extra), issueToken=True)
    assert payload["errors"] == [], payload
    token: str = payload["token"]
    return token


async def record_as(
    gql, token: str, who: str = "ada", key: str = "k1", action: str = "acme.purchase", **extra
) -> dict[str, Any]:
    variables = {"input": {"action": action, "idempotencyKey": key, "memberId": who, **extra}}
    body = await gql(RECORD, variables, token_value=token)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["recordInteraction"]
    return payload


async def partners(gql) -> dict[str, dict[str, Any]]:
    body = await gql(PARTNERS, as_=ADMIN)
    assert "errors" not in body, body
    return {p["key"]: p for p in body["data"]["partners"]}


async def ledger_total(partner_key: str, moment: datetime) -> int:
    """The ledger's total for the partner in the calendar month of `moment` (program time
    zone: UTC in the tests), summed from the entries themselves."""
    month = period_window(Period.MONTH, moment, UTC)
    amounts = await LedgerEntry.filter(
        partner_key=partner_key, effective_at__gte=month.start, effective_at__lt=month.end
    ).values_list("amount", flat=True)
    return sum(int(amount) for amount in amounts)


# --- defining partners ----------------------------------------------------------------------


async def test_an_admin_defines_a_partner_and_sees_it_listed(gql):
    await define(gql, "acme.purchase", 10, memberReportable=False)
    version = await ProgramVersion.get_or_none(id=1)
    payload = await upsert(gql, input=partner_input(monthlyBudget=500))
    assert payload == {
        "partner": {
            "key": "acme",
            "name": "Acme",
            "actions": ["acme.purchase"],
            "monthlyBudget": 500,
            "awardedThisMonth": 0,
            "active": True,
        },
        "token": None,  # only when asked for
        "errors": [],
    }
    assert (await partners(gql))["acme"] == payload["partner"]
    # A definition change: the program version moves, as for badges and challenges.
    bumped = await ProgramVersion.get(id=1)
    assert bumped.version > (version.version if version else 0)
    assert await AuditRecord.filter(operation="upsertPartner", target="partner:acme").exists()

    redefined = await upsert(gql, input=partner_input(name="Acme Stores", monthlyBudget=None))
    assert redefined["partner"]["name"] == "Acme Stores"
    assert redefined["partner"]["monthlyBudget"] is None  # unlimited
    assert await Partner.all().count() == 1


async def test_an_issued_token_is_a_service_token_scoped_to_the_partner_for_token_days(gql):
    await define(gql, "acme.purchase", 10, memberReportable=False)
    payload = await upsert(gql, input=partner_input(), issueToken=True, tokenDays=30)
    claims = jwt.decode(payload["token"], SECRET, algorithms=["HS256"])
    assert claims["role"] == "service"
    assert claims["partner"] == "acme"
    lifetime = timedelta(seconds=claims["exp"] - claims["iat"])
    assert lifetime == timedelta(days=30)


async def test_invalid_definitions_are_refused_and_change_nothing(gql):
    await define(gql, "acme.purchase", 10, memberReportable=False)
    await upsert(gql, input=partner_input(monthlyBudget=100))
    before = await table_sums()
    cases = [
        ({"input": partner_input(actions=["acme.purchase", "no.such"])}, ["input", "actions"]),
        ({"input": partner_input(actions=[])}, ["input", "actions"]),
        ({"input": partner_input(monthlyBudget=-1)}, ["input", "monthlyBudget"]),
        ({"input": partner_input(key="Not A Key")}, ["input", "key"]),
        ({"input": partner_input(name=" ")}, ["input", "name"]),
        ({"input": partner_input(), "issueToken": True, "tokenDays": 0}, ["tokenDays"]),
        ({"input": partner_input(), "issueToken": True, "tokenDays": 99_999}, ["tokenDays"]),
    ]
    for variables, field in cases:
        payload = await upsert(gql, **variables)
        assert payload["partner"] is None and payload["token"] is None, variables
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID_INPUT", field)]
    assert tables_changed(before, await table_sums()) == []


async def test_only_an_admin_defines_and_lists_partners(gql):
    token = await partner(gql)
    for who in ({"as_": member("ada")}, {"as_": SERVICE}, {"token_value": token}):
        listed = await gql(PARTNERS, **who)
        assert codes(listed) == ["FORBIDDEN"], who
        defined = await gql(UPSERT_PARTNER, {"input": partner_input()}, **who)
        assert codes(defined) == ["FORBIDDEN"], who


# --- what a partner's token may do ----------------------------------------------------------


async def test_a_partner_token_records_its_actions_and_the_credit_carries_the_partner(gql, drain):
    token = await partner(gql)
    recorded = await record_as(gql, token, "ada")
    assert recorded["errors"] == []
    assert recorded["interaction"]["status"] == "PENDING"
    await drain()

    interaction = await Interaction.get(id=int(recorded["interaction"]["id"]))
    assert (interaction.status, interaction.partner_key) == ("AWARDED", "acme")
    [entry] = await LedgerEntry.filter(member_id="ada")
    assert (entry.amount, entry.partner_key) == (10, "acme")
    assert (await partners(gql))["acme"]["awardedThisMonth"] == 10


async def test_a_partner_token_may_record_nothing_but_its_partners_actions(gql):
    token = await partner(gql)
    await define(gql, "app.open", 5, memberReportable=True)
    before = await table_sums()
    refused = await record_as(gql, token, "newcomer", action="app.open")
    assert refused["interaction"] is None
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("FORBIDDEN", ["input", "action"])
    ]
    # Not even an unknown action is stored (REJECTED) for a partner: it is not its action.
    unknown = await record_as(gql, token, "newcomer", key="k2", action="no.such")
    assert [e["code"] for e in unknown["errors"]] == ["FORBIDDEN"]
    assert tables_changed(before, await table_sums()) == []  # no member enrolled either
    assert not await Member.filter(id="newcomer").exists()


async def test_in_bulk_a_partner_token_is_refused_item_by_item_for_other_actions(gql, drain):
    token = await partner(gql)
    await define(gql, "app.open", 5)
    inputs = [
        {"action": "acme.purchase", "idempotencyKey": "a", "memberId": "ada"},
        {"action": "app.open", "idempotencyKey": "b", "memberId": "bob"},
        {"action": "acme.purchase", "idempotencyKey": "c", "memberId": "cy"},
    ]
    body = await gql(RECORD_MANY, {"inputs": inputs}, token_value=token)
    payload = body["data"]["recordInteractions"]
    assert (payload["accepted"], payload["refused"]) == (2, 1)
    refused = payload["results"][1]
    assert refused["interaction"] is None
    assert refused["errors"] == [{"code": "FORBIDDEN", "field": ["inputs", "1", "action"]}]
    assert not await Member.filter(id="bob").exists()
    await drain()
    stored = await Interaction.all().values_list("member_id", "partner_key", "status")
    assert sorted(stored) == [("ada", "acme", "AWARDED"), ("cy", "acme", "AWARDED")]


async def test_an_inactive_partners_token_is_forbidden_until_it_is_active_again(gql, drain):
    token = await partner(gql)
    await upsert(gql, input=partner_input(active=False))
    refused = await record_as(gql, token)
    assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    inputs = [{"action": "acme.purchase", "idempotencyKey": "b", "memberId": "bob"}]
    bulk = await gql(RECORD_MANY, {"inputs": inputs}, token_value=token)
    assert [e["code"] for e in bulk["data"]["recordInteractions"]["errors"]] == ["FORBIDDEN"]
    assert await Interaction.all().count() == 0
    assert await Member.all().count() == 0

    await upsert(gql, input=partner_input(active=True))
    assert (await record_as(gql, token))["errors"] == []


async def test_a_partner_token_is_forbidden_everywhere_else_a_service_token_goes(gql):
    token = await partner(gql)
    recorded = await record_as(gql, token, "ada")
    body = await gql('{ member(id: "ada") { id } }', token_value=token)
    assert codes(body) == ["FORBIDDEN"]
    # It reads the interactions it recorded, and no other.
    own = await gql(INTERACTION, {"id": recorded["interaction"]["id"]}, token_value=token)
    assert own["data"]["interaction"]["id"] == recorded["interaction"]["id"]
    body = await gql(
        RECORD,
        {"input": {"action": "acme.purchase", "idempotencyKey": "s", "memberId": "ada"}},
        as_=SERVICE,
    )
    other = body["data"]["recordInteraction"]["interaction"]["id"]
    assert (await gql(INTERACTION, {"id": other}, token_value=token))["data"] == {
        "interaction": None
    }


async def test_a_key_used_by_another_caller_is_not_replayed_to_the_partner(gql):
    token = await partner(gql)
    body = await gql(
        RECORD,
        {"input": {"action": "acme.purchase", "idempotencyKey": "k1", "memberId": "ada"}},
        as_=SERVICE,
    )
    assert body["data"]["recordInteraction"]["errors"] == []
    replay = await record_as(gql, token, "ada", key="k1")
    assert [e["code"] for e in replay["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]


# --- the monthly budget ---------------------------------------------------------------------


async def test_over_budget_an_interaction_is_rejected_whole_with_reason_partner_budget(gql, drain):
    token = await partner(gql, monthlyBudget=25)
    await define(gql, "acme.sample", 5, memberReportable=False)
    await upsert(
        gql, input=partner_input(actions=["acme.purchase", "acme.sample"], monthlyBudget=25)
    )
    ids = []
    stream = [
        ("ada", "acme.purchase"),
        ("bob", "acme.purchase"),
        ("cy", "acme.purchase"),
        ("ada", "acme.sample"),
        ("bob", "acme.sample"),
    ]
    for index, (who, action) in enumerate(stream):
        recorded = await record_as(gql, token, who, key=f"k{index}", action=action)
        ids.append(recorded["interaction"]["id"])
        await drain()  # in this order
    outcomes = []
    for interaction_id in ids:
        body = await gql(INTERACTION, {"id": interaction_id}, as_=ADMIN)
        found = body["data"]["interaction"]
        outcomes.append((found["status"], found["reason"]))
    assert outcomes == [
        ("AWARDED", None),
        ("AWARDED", None),
        # 20 + 10 > 25: refused whole, not trimmed to 5 ...
        ("REJECTED", "PARTNER_BUDGET"),
        # ... so a 5-point action still fits, and then nothing does.
        ("AWARDED", None),
        ("REJECTED", "PARTNER_BUDGET"),
    ]
    assert not await LedgerEntry.filter(member_id="cy").exists()
    listed = (await partners(gql))["acme"]
    assert listed["awardedThisMonth"] == 25
    assert listed["awardedThisMonth"] == await ledger_total("acme", datetime.now(UTC))


async def test_a_rejected_interaction_does_not_count_toward_limits_or_streaks(gql, drain):
    """REJECTED means it did not count at all: the member's next one is decided as if it never
    happened (here: a daily limit of one, used by nothing)."""
    token = await partner(gql, monthlyBudget=10)
    await define(
        gql, "acme.purchase", 10, memberReportable=False, limits=[{"period": "DAY", "max": 1}]
    )
    await record_as(gql, token, "bob", key="b")
    await drain()
    rejected = await record_as(gql, token, "ada", key="a1")
    await drain()
    assert (await Interaction.get(id=int(rejected["interaction"]["id"]))).reason == (
        "PARTNER_BUDGET"
    )
    await upsert(gql, input=partner_input(monthlyBudget=20))
    again = await record_as(gql, token, "ada", key="a2")
    await drain()
    assert (await Interaction.get(id=int(again["interaction"]["id"]))).status == "AWARDED"


async def test_the_budget_is_per_calendar_month_of_occurred_at(gql, drain, runtime):
    token = await partner(gql, monthlyBudget=20)
    now = datetime.now(UTC)
    this_month = period_window(Period.MONTH, now, UTC)
    last_month_end = this_month.start - timedelta(minutes=1)  # 23:59 on its last day
    stamps = [
        this_month.start - timedelta(days=3),
        last_month_end,
        last_month_end,  # the third of last month: over its budget
        this_month.start,  # this month's budget is untouched by last month's
        now,
    ]
    for index, at in enumerate(stamps):
        await record_as(gql, token, "ada", key=f"k{index}", occurredAt=at.isoformat())
    await drain()
    statuses = await Interaction.all().order_by("id").values_list("status", "reason")
    assert statuses == [
        ("AWARDED", None),
        ("AWARDED", None),
        ("REJECTED", "PARTNER_BUDGET"),
        ("AWARDED", None),
        ("AWARDED", None),
    ]
    real_clock = runtime.clock
    try:
        # `awardedThisMonth` is the month of the read clock: just before midnight, the old one.
        runtime.clock = lambda: this_month.start - timedelta(seconds=1)
        assert (await partners(gql))["acme"]["awardedThisMonth"] == 20
        assert await ledger_total("acme", last_month_end) == 20
        runtime.clock = lambda: this_month.start
        assert (await partners(gql))["acme"]["awardedThisMonth"] == 20
        assert await ledger_total("acme", this_month.start) == 20
    finally:
        runtime.clock = real_clock


def test_only_recording_and_reading_its_own_interactions_let_a_partner_token_in():
    """Every other field that takes a SERVICE token refuses a partner's (FORBIDDEN): a new
    field does too unless it declares `Requires(..., partners=True)`."""
    from api.permissions import requirement_of
    from api.schema import build_schema

    schema = build_schema()
    open_to_partners = set()
    for type_name in ("Query", "Mutation", "Subscription"):
        for name, field in schema._schema.type_map[type_name].fields.items():  # type: ignore[union-attr]
            requirement = requirement_of(field.extensions["strawberry-definition"])
            if requirement is not None and requirement.partners:
                open_to_partners.add(f"{type_name}.{name}")
    assert open_to_partners == {
        "Mutation.recordInteraction",
        "Mutation.recordInteractions",
        "Query.interaction",
    }


async def test_the_demo_shows_a_partner_that_awarded_points(runtime, gql):
    from domain import demo

    await demo.load(runtime)
    await demo.load(runtime)  # safe twice: nothing is awarded again
    listed = (await partners(gql))["bikes.north"]
    assert listed["actions"] == ["bikes.service", "bikes.purchase"]
    assert listed["awardedThisMonth"] == await ledger_total("bikes.north", datetime.now(UTC))
    credited = await LedgerEntry.filter(partner_key="bikes.north").values_list(
        "member_id", "amount"
    )
    assert credited == [("demo-linus", 25), ("demo-linus", 25)]


async def test_listing_partners_costs_the_same_statements_for_one_or_five(gql):
    from tests.helpers import counting

    await define(gql, "acme.purchase", 10, memberReportable=False)
    costs = []
    for count in (1, 5):
        for index in range(count):
            await upsert(gql, input=partner_input(f"acme.p{index}"))
        with counting() as counter:
            assert len(await partners(gql)) == count
        costs.append(len(counter.statements))
    assert costs[0] == costs[1] == 2, costs  # the partners, this month's totals


async def test_a_token_scoped_to_a_partner_must_be_a_service_token(gql, settings):
    from datetime import timedelta as delta

    now = datetime.now(UTC)
    for claims in (
        {"sub": "x", "role": "admin", "partner": "acme"},
        {"sub": "x", "role": "member", "partner": "acme"},
        {"sub": "x", "role": "service", "partner": 7},
        {"sub": "x", "role": "service", "partner": ""},
    ):
        forged = jwt.encode({**claims, "iat": now, "exp": now + delta(hours=1)}, SECRET, "HS256")
        body = await gql(PARTNERS, token_value=forged)
        assert codes(body) == ["UNAUTHENTICATED"], claims


async def test_a_partners_token_for_an_unknown_partner_records_nothing(gql):
    await define(gql, "acme.purchase", 10, memberReportable=False)
    now = datetime.now(UTC)
    claims = {"sub": "x", "role": "service", "partner": "nobody", "iat": now}
    forged = jwt.encode({**claims, "exp": now + timedelta(hours=1)}, SECRET, "HS256")
    refused = await record_as(gql, forged)
    assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    assert await Interaction.all().count() == 0


async def test_what_was_recorded_while_active_is_awarded_after_deactivation(gql, drain):
    token = await partner(gql, monthlyBudget=100)
    recorded = await record_as(gql, token, "ada")
    await upsert(gql, input=partner_input(active=False, monthlyBudget=100))
    await drain()
    interaction = await Interaction.get(id=int(recorded["interaction"]["id"]))
    assert (interaction.status, interaction.points_awarded) == ("AWARDED", 10)
    assert (await partners(gql))["acme"]["awardedThisMonth"] == 10


async def test_an_action_key_longer_than_any_is_an_unknown_action(gql, caplog):
    await define(gql, "acme.purchase", 10, memberReportable=False)
    payload = await upsert(gql, input=partner_input(actions=["acme.purchase", "a" * 4000]))
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("INVALID_INPUT", ["input", "actions"])
    ]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_with_tokens_from_an_identity_provider_no_token_is_issued(gql, runtime, monkeypatch):
    import dataclasses

    await define(gql, "acme.purchase", 10, memberReportable=False)
    provider = dataclasses.replace(runtime.settings, jwt_public_key="-----BEGIN PUBLIC KEY-----")
    monkeypatch.setattr(runtime, "settings", provider)
    payload = await upsert(gql, input=partner_input(), issueToken=True)
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("INVALID_INPUT", ["issueToken"])
    ]
    assert "claim partner" in payload["errors"][0]["message"]
    assert await Partner.all().count() == 0
    assert (await upsert(gql, input=partner_input()))["errors"] == []  # without a token: fine
