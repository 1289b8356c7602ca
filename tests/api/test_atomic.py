"""An admin mutation is all or nothing (`api.atomic.Atomic`): an error answer means that nothing
changed.

Each admin mutation of the schema is run through the real API against the real database, and a
failure is injected at two points:

- right after its first write: the next statement the database is sent fails;
- once every write is done, while the resolver builds the payload (where an offset-less
  campaign date once failed, after the campaign had been committed).

The answer must be a masked INTERNAL_SERVER_ERROR, with exactly one ERROR log line, and every
table of the database must hold exactly the rows it held before (row counts and a checksum of
each table). The same call without an injected failure then succeeds and changes the tables,
which shows that the case really writes. The injected failures are a test harness around the
real storage, not a mock of it.

A new admin mutation must be added to ADMIN_MUTATIONS: a test walks the schema and fails when
one is missing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType
from tortoise.backends.base.client import BaseDBAsyncClient

from api.atomic import Atomic, atomic_of
from api.auth import Role
from api.mutation_errors import UserErrors
from api.permissions import Requires, requirement_of
from api.schema import build_schema
from tests.api.questionnaires.common import bike_profile
from tests.conftest import ADMIN, member
from tests.helpers import (
    UPSERT_ACTION,
    action_input,
    codes,
    define,
    table_sums,
    tables_changed,
)

Setup = Callable[[Any], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class AdminMutation:
    """How to run one admin mutation so that it writes: `setup` stores what it needs and
    returns its variables."""

    document: str
    setup: Setup


def mutation(name: str, arguments: str, selection: str) -> str:
    """A document calling `name` with `arguments` (`$input: T!`…), selecting its payload's
    `selection` and its errors."""
    passed = ", ".join(
        f"{variable.split(':')[0].strip('$ ')}: {variable.split(':')[0].strip()}"
        for variable in arguments.split(",")
    )
    return (
        f"mutation Admin({arguments}) {{ {name}({passed}) "
        f"{{ {selection} errors {{ code message field }} }} }}"
    )


def soon(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


async def enrolled(gql: Any, who: str) -> None:
    """A member exists once they have called the API with their token."""
    body = await gql("{ me { id } }", as_=member(who))
    assert body["data"]["me"]["id"] == who, body


async def ok(gql: Any, document: str, variables: dict[str, Any], who: tuple[str, str] = ADMIN):
    """Run a set-up step, which must succeed; its payload."""
    body = await gql(document, variables, as_=who)
    assert "errors" not in body, body
    [payload] = body["data"].values()
    assert payload.get("errors", []) == [], payload
    return payload


UPSERT_BADGE = mutation("upsertBadge", "$input: UpsertBadgeInput!", "badge { key }")
ADJUST_POINTS = mutation("adjustPoints", "$input: AdjustPointsInput!", "entry { id }")
UPSERT_REWARD = mutation("upsertReward", "$input: UpsertRewardInput!", "reward { key }")
REDEEM_REWARD = mutation("redeemReward", "$input: RedeemRewardInput!", "redemption { id }")
SUBMIT_CONTENT = mutation("submitContent", "$input: SubmitContentInput!", "content { id }")

BADGE = {
    "key": "atomic.badge",
    "name": "Atomic",
    "goals": [{"metric": "ACTION_COUNT", "action": "app.daily_open", "target": 3}],
    "rewardPoints": 10,
}
REVIEW = (
    "A sturdy kettle: it boils a litre in three minutes, the handle stays cool, and the lid "
    "opens with one thumb."
)


async def no_setup(gql: Any) -> dict[str, Any]:
    return {}


async def action_defined(gql: Any) -> dict[str, Any]:
    await define(gql, "app.daily_open")
    return {}


async def upsert_action(gql: Any) -> dict[str, Any]:
    return {"input": action_input("atomic.action", 20, limits=[{"period": "DAY", "max": 2}])}


async def upsert_badge(gql: Any) -> dict[str, Any]:
    await action_defined(gql)
    return {"input": BADGE}


async def award_badge(gql: Any) -> dict[str, Any]:
    await enrolled(gql, "ada")
    await action_defined(gql)
    await ok(gql, UPSERT_BADGE, {"input": BADGE})
    return {"memberId": "ada", "badgeKey": "atomic.badge"}


async def upsert_challenge(gql: Any) -> dict[str, Any]:
    await action_defined(gql)
    return {
        "input": {
            "key": "atomic.week",
            "name": "Atomic week",
            "startsAt": soon(hours=-1),
            "endsAt": soon(days=7),
            "goals": [{"metric": "ACTION_COUNT", "action": "app.daily_open", "target": 5}],
            "rewardPoints": 30,
        }
    }


async def upsert_tier(gql: Any) -> dict[str, Any]:
    return {"input": {"key": "gold", "name": "Gold", "threshold": 100, "multiplier": 1.5}}


async def upsert_reward(gql: Any) -> dict[str, Any]:
    return {"input": {"key": "mug", "name": "Mug", "cost": 10, "stock": 5}}


async def cancel_redemption(gql: Any) -> dict[str, Any]:
    await enrolled(gql, "ada")
    await ok(gql, UPSERT_REWARD, await upsert_reward(gql))
    credit = {"memberId": "ada", "amount": 100, "reason": "welcome", "idempotencyKey": "w"}
    await ok(gql, ADJUST_POINTS, {"input": credit})
    redeem = {"input": {"rewardKey": "mug", "idempotencyKey": "r1"}}
    redeemed = await ok(gql, REDEEM_REWARD, redeem, who=member("ada"))
    return {"input": {"redemptionId": redeemed["redemption"]["id"], "reason": "changed mind"}}


async def adjust_points(gql: Any) -> dict[str, Any]:
    await enrolled(gql, "ada")
    credit = {"memberId": "ada", "amount": 25, "reason": "goodwill", "idempotencyKey": "a1"}
    return {"input": credit}


async def moderate_content(gql: Any) -> dict[str, Any]:
    # With `content.review` defined, approving also credits the author through the pipeline.
    await define(gql, "content.review", 15, memberReportable=False)
    piece = {"kind": "REVIEW", "body": REVIEW, "idempotencyKey": "s1"}
    submitted = await ok(gql, SUBMIT_CONTENT, {"input": piece}, who=member("ada"))
    return {"input": {"contentId": submitted["content"]["id"], "decision": "APPROVE"}}


async def update_referral_program(gql: Any) -> dict[str, Any]:
    return {"input": {"referrerPoints": 77, "monthlyCap": 5}}


async def upsert_campaign(gql: Any) -> dict[str, Any]:
    return {
        "input": {
            "key": "winback",
            "name": "Win back",
            "message": "We missed you: here are 50 points",
            "target": {"churnRisks": ["HIGH"]},
            "offer": {"bonusPoints": 50},
            "startsAt": soon(hours=-1),
            "endsAt": soon(days=7),
            "holdoutPercent": 10,
        }
    }


WEBHOOK_ENDPOINT = "endpoint { id url }"
CREATE_WEBHOOK_ENDPOINT = mutation(
    "createWebhookEndpoint", "$input: CreateWebhookEndpointInput!", WEBHOOK_ENDPOINT
)
# A public address literal: accepted without a DNS lookup, and never called (no worker runs).
WEBHOOK_URL = "https://1.1.1.1/plaudit-hooks"


async def create_webhook_endpoint(gql: Any) -> dict[str, Any]:
    return {"input": {"url": WEBHOOK_URL, "events": ["POINTS_CHANGED"], "description": "CRM"}}


async def webhook_endpoint(gql: Any) -> str:
    created = await ok(gql, CREATE_WEBHOOK_ENDPOINT, await create_webhook_endpoint(gql))
    return str(created["endpoint"]["id"])


async def update_webhook_endpoint(gql: Any) -> dict[str, Any]:
    return {"input": {"id": await webhook_endpoint(gql), "description": "ERP", "events": []}}


async def webhook_endpoint_id(gql: Any) -> dict[str, Any]:
    return {"id": await webhook_endpoint(gql)}


async def redeliver_webhook(gql: Any) -> dict[str, Any]:
    """A delivery made from an adjustment's message (fanned out as a worker would)."""
    from domain.models import WebhookDelivery
    from domain.webhooks.fanout import fan_out

    await webhook_endpoint(gql)
    await ok(gql, ADJUST_POINTS, await adjust_points(gql))
    await fan_out(datetime.now(UTC))
    delivery = await WebhookDelivery.all().first()
    assert delivery is not None
    return {"deliveryId": str(delivery.id)}


async def upsert_partner(gql: Any) -> dict[str, Any]:
    await action_defined(gql)
    partner = {"key": "acme", "name": "Acme", "actions": ["app.daily_open"], "monthlyBudget": 100}
    return {"input": partner, "issueToken": True}


async def erase_member(gql: Any) -> dict[str, Any]:
    """A member with a balance, a redemption and content: erasure writes across tables."""
    await cancel_redemption(gql)
    await moderate_content(gql)
    return {"memberId": "ada"}


async def set_streak_freeze_policy(gql: Any) -> dict[str, Any]:
    return {"input": {"earnEveryDays": 7, "maxHeld": 2}}


async def grant_streak_freezes(gql: Any) -> dict[str, Any]:
    await enrolled(gql, "ada")
    await ok(gql, SET_STREAK_FREEZE_POLICY, await set_streak_freeze_policy(gql))
    return {"memberId": "ada", "count": 1}


# The streak freeze mutations answer their object itself, with no `errors` (refusals are
# GraphQL errors with a code), as their contract says.
SET_STREAK_FREEZE_POLICY = (
    "mutation Admin($input: StreakFreezePolicyInput!) { "
    "setStreakFreezePolicy(input: $input) { earnEveryDays maxHeld } }"
)
GRANT_STREAK_FREEZES = (
    "mutation Admin($memberId: ID!, $count: Int!) { "
    "grantStreakFreezes(memberId: $memberId, count: $count) { freezes } }"
)


async def upsert_questionnaire(gql: Any) -> dict[str, Any]:
    return {"input": bike_profile()}


# Every admin mutation of the schema. A new one is added here, with a set-up under which it
# writes: `test_every_admin_mutation_is_atomic_and_listed_here` fails until it is.
ADMIN_MUTATIONS: dict[str, AdminMutation] = {
    "upsertAction": AdminMutation(UPSERT_ACTION, upsert_action),
    "upsertBadge": AdminMutation(UPSERT_BADGE, upsert_badge),
    "awardBadge": AdminMutation(
        mutation("awardBadge", "$memberId: ID!, $badgeKey: String!", "badge { key }"),
        award_badge,
    ),
    "upsertChallenge": AdminMutation(
        mutation("upsertChallenge", "$input: UpsertChallengeInput!", "challenge { key status }"),
        upsert_challenge,
    ),
    "upsertTier": AdminMutation(
        mutation("upsertTier", "$input: UpsertTierInput!", "tier { key }"), upsert_tier
    ),
    "upsertReward": AdminMutation(UPSERT_REWARD, upsert_reward),
    "cancelRedemption": AdminMutation(
        mutation("cancelRedemption", "$input: CancelRedemptionInput!", "redemption { id status }"),
        cancel_redemption,
    ),
    "adjustPoints": AdminMutation(ADJUST_POINTS, adjust_points),
    "moderateContent": AdminMutation(
        mutation("moderateContent", "$input: ModerateContentInput!", "content { id status }"),
        moderate_content,
    ),
    "updateReferralProgram": AdminMutation(
        mutation(
            "updateReferralProgram",
            "$input: UpdateReferralProgramInput!",
            "program { referrerPoints }",
        ),
        update_referral_program,
    ),
    "upsertCampaign": AdminMutation(
        mutation("upsertCampaign", "$input: UpsertCampaignInput!", "campaign { key status }"),
        upsert_campaign,
    ),
    "createWebhookEndpoint": AdminMutation(CREATE_WEBHOOK_ENDPOINT, create_webhook_endpoint),
    "updateWebhookEndpoint": AdminMutation(
        mutation("updateWebhookEndpoint", "$input: UpdateWebhookEndpointInput!", WEBHOOK_ENDPOINT),
        update_webhook_endpoint,
    ),
    "rotateWebhookSecret": AdminMutation(
        mutation("rotateWebhookSecret", "$id: ID!", WEBHOOK_ENDPOINT), webhook_endpoint_id
    ),
    "deleteWebhookEndpoint": AdminMutation(
        mutation("deleteWebhookEndpoint", "$id: ID!", WEBHOOK_ENDPOINT), webhook_endpoint_id
    ),
    "redeliverWebhook": AdminMutation(
        mutation("redeliverWebhook", "$deliveryId: ID!", "delivery { id status }"),
        redeliver_webhook,
    ),
    "eraseMember": AdminMutation(mutation("eraseMember", "$memberId: ID!", "erased"), erase_member),
    "setStreakFreezePolicy": AdminMutation(SET_STREAK_FREEZE_POLICY, set_streak_freeze_policy),
    "grantStreakFreezes": AdminMutation(GRANT_STREAK_FREEZES, grant_streak_freezes),
    "upsertPartner": AdminMutation(
        mutation(
            "upsertPartner",
            "$input: UpsertPartnerInput!, $issueToken: Boolean",
            "partner { key awardedThisMonth } token",
        ),
        upsert_partner,
    ),
    "upsertQuestionnaire": AdminMutation(
        mutation(
            "upsertQuestionnaire", "$input: UpsertQuestionnaireInput!", "questionnaire { key }"
        ),
        upsert_questionnaire,
    ),
}


# --- the schema's admin mutations ---------------------------------------------------------------


def admin_mutations() -> dict[str, Any]:
    """Every Mutation field that an ADMIN token may call, by name: its Strawberry field."""
    schema = build_schema()
    graphql_type = schema._schema.type_map["Mutation"]
    assert isinstance(graphql_type, GraphQLObjectType)
    found = {}
    for name, served in graphql_type.fields.items():
        definition = served.extensions["strawberry-definition"]
        requirement = requirement_of(definition)
        if requirement is not None and Role.ADMIN in requirement.roles:
            found[name] = definition
    return found


def test_every_admin_mutation_is_atomic_and_listed_here():
    served = admin_mutations()
    assert sorted(served) == sorted(ADMIN_MUTATIONS)
    for name, definition in served.items():
        assert atomic_of(definition) is not None, f"{name} does not declare Atomic()"


@strawberry.type
class Done:
    ok: bool


def test_atomic_listed_after_user_errors_is_refused_when_the_schema_is_built():
    """Listed after `UserErrors`, `Atomic` would commit what was written before a refusal."""

    @strawberry.type
    class Mutation:
        @strawberry.mutation(extensions=[UserErrors(), Atomic(), Requires(Role.ADMIN)])
        async def change(self) -> Done:
            return Done(ok=True)

    @strawberry.type
    class Query:
        ok: bool = True

    with pytest.raises(TypeError, match="list Atomic before UserErrors"):
        strawberry.Schema(query=Query, mutation=Mutation)


# --- the injected failures ----------------------------------------------------------------------


class InjectedFailure(Exception):
    """The failure the test injects: nothing in Plaudit raises or catches it, as with a bug."""


WRITE = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE)\b|^\s*WITH\b.*\b(INSERT|UPDATE|DELETE)\b", re.I | re.S
)
EXECUTE_METHODS = (
    "execute_insert",
    "execute_query",
    "execute_query_dict",
    "execute_many",
    "execute_script",
)


@dataclass
class AfterFirstWrite:
    """While armed, lets statements through until one writes, then fails the next one."""

    armed: bool = False
    first_write: str | None = None
    failed: str | None = None

    async def run(self, execute: Any, client: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        if self.armed and self.first_write is not None and self.failed is None:
            self.failed = query
            raise InjectedFailure(f"injected after {self.first_write[:60]!r}")
        result = await execute(client, query, *args, **kwargs)
        if self.armed and self.first_write is None and WRITE.match(query):
            self.first_write = query
        return result


def client_classes() -> Iterator[type]:
    """Tortoise's database clients and their transactions' (outer and nested), every dialect."""
    waiting: list[type] = [BaseDBAsyncClient]
    while waiting:
        cls = waiting.pop()
        yield cls
        waiting += cls.__subclasses__()


_intercepted: ContextVar[bool] = ContextVar("intercepted", default=False)


@pytest.fixture
def after_first_write(monkeypatch: pytest.MonkeyPatch, server: Any) -> AfterFirstWrite:
    """Every statement the app sends passes through one `AfterFirstWrite`: each execute method
    of every client class is wrapped (once per call: a method that calls another one of them
    counts as one statement)."""
    injector = AfterFirstWrite()

    def wrapped(execute: Any) -> Any:
        async def through_injector(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
            if _intercepted.get():
                return await execute(self, query, *args, **kwargs)
            token = _intercepted.set(True)
            try:
                return await injector.run(execute, self, query, *args, **kwargs)
            finally:
                _intercepted.reset(token)

        return through_injector

    for cls in set(client_classes()):
        for name in EXECUTE_METHODS:
            if name in vars(cls):
                monkeypatch.setattr(cls, name, wrapped(vars(cls)[name]))
    return injector


@dataclass
class PayloadFailure:
    """While armed, building the mutation's payload fails."""

    armed: bool = False
    built: list[str] = field(default_factory=list)


@contextmanager
def failing_payload(monkeypatch: pytest.MonkeyPatch, name: str) -> Iterator[PayloadFailure]:
    """Makes the payload type of the admin mutation `name` fail to build while armed."""
    failure = PayloadFailure()
    payload: type = admin_mutations()[name].type
    build = payload.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        if failure.armed:
            failure.built.append(name)
            raise InjectedFailure(f"injected while building {payload.__name__}")
        build(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(payload, "__init__", init)
        yield failure


# --- the answer ------------------------------------------------------------------------------


def error_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.ERROR]


def assert_masked_internal_error(body: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    """A bug's answer: INTERNAL_SERVER_ERROR with a reference, no detail, one ERROR line."""
    assert codes(body) == ["INTERNAL_SERVER_ERROR"], body
    [error] = body["errors"]
    assert "injected" not in str(body) and "Traceback" not in str(body)
    [line] = error_lines(caplog)
    assert line.name == "plaudit.errors"
    assert error["extensions"]["reference"] in line.getMessage()


async def assert_it_writes(gql: Any, name: str, variables: dict[str, Any], before: Any) -> None:
    """Without an injected failure the same call succeeds and changes the tables: the case is
    a real write, and the checksums see it."""
    body = await gql(ADMIN_MUTATIONS[name].document, variables, as_=ADMIN)
    assert "errors" not in body, body
    assert body["data"][name].get("errors", []) == [], body
    assert tables_changed(before, await table_sums()) != []


# --- every admin mutation, failing after its first write ------------------------------------------


@pytest.mark.parametrize("name", sorted(ADMIN_MUTATIONS))
async def test_a_failure_after_the_first_write_leaves_every_table_as_it_was(
    gql, after_first_write, caplog, name
):
    case = ADMIN_MUTATIONS[name]
    variables = await case.setup(gql)
    before = await table_sums()

    after_first_write.armed = True
    with caplog.at_level(logging.ERROR):
        body = await gql(case.document, variables, as_=ADMIN)
    after_first_write.armed = False

    assert after_first_write.first_write is not None, f"{name} wrote nothing"
    assert after_first_write.failed is not None, f"{name} sent nothing after its first write"
    assert_masked_internal_error(body, caplog)
    assert tables_changed(before, await table_sums()) == []
    await assert_it_writes(gql, name, variables, before)


@pytest.mark.parametrize("name", sorted(ADMIN_MUTATIONS))
async def test_a_failure_while_the_answer_is_built_leaves_every_table_as_it_was(
    gql, monkeypatch, caplog, name
):
    case = ADMIN_MUTATIONS[name]
    variables = await case.setup(gql)
    before = await table_sums()

    with failing_payload(monkeypatch, name) as failure, caplog.at_level(logging.ERROR):
        failure.armed = True
        body = await gql(case.document, variables, as_=ADMIN)
        failure.armed = False

    assert failure.built == [name], "the payload was never built"
    assert_masked_internal_error(body, caplog)
    assert tables_changed(before, await table_sums()) == []
    await assert_it_writes(gql, name, variables, before)


# --- the case the issue saw ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["upsertCampaign", "upsertChallenge"])
async def test_dates_without_an_offset_are_refused_before_anything_is_stored(gql, caplog, name):
    """Offset-less dates once saved a campaign, answered INTERNAL_SERVER_ERROR, and the
    campaign ran all the same."""
    variables = await ADMIN_MUTATIONS[name].setup(gql)
    naive = datetime.now(UTC).replace(tzinfo=None)
    variables["input"] |= {
        "startsAt": (naive - timedelta(hours=1)).isoformat(),
        "endsAt": (naive + timedelta(days=7)).isoformat(),
    }
    before = await table_sums()
    with caplog.at_level(logging.INFO):
        body = await gql(ADMIN_MUTATIONS[name].document, variables, as_=ADMIN)
    # Refused by the DateTime scalar; a caller of the service itself gets INVALID_INPUT.
    refused = set(codes(body) or [error["code"] for error in body["data"][name]["errors"]])
    assert refused in ({"GRAPHQL_VALIDATION_FAILED"}, {"INVALID_INPUT"}), body
    assert "offset" in str(body)
    assert error_lines(caplog) == []
    assert tables_changed(before, await table_sums()) == []
