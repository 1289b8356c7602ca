"""Who may call what is declared once per field (`api.permissions.Requires`), and that one
declaration both checks the caller's role and states it in the field's description."""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType

from api.auth import Role, Viewer
from api.context import Context, Info
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer, requirement_of
from api.schema import build_schema
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import codes

ROOT = Path(__file__).resolve().parents[2]

# The whole access policy of the API: every field that needs a token, and which roles it takes.
PROTECTED: dict[str, tuple[Role, ...]] = {
    "Query.me": (Role.MEMBER,),
    "Query.member": (Role.ADMIN, Role.SERVICE),
    "Query.interaction": (Role.MEMBER, Role.ADMIN, Role.SERVICE),
    "Query.auditLog": (Role.ADMIN,),
    "Query.churnModel": (Role.ADMIN,),
    "Query.segments": (Role.ADMIN,),
    "Query.segmentMembers": (Role.ADMIN,),
    "Query.campaigns": (Role.ADMIN,),
    "Query.campaign": (Role.ADMIN,),
    "Query.campaignAudience": (Role.ADMIN,),
    "Mutation.recordInteraction": (Role.MEMBER, Role.SERVICE),
    "Mutation.recordInteractions": (Role.SERVICE,),
    "Mutation.upsertAction": (Role.ADMIN,),
    "Mutation.updateProfile": (Role.MEMBER,),
    "Mutation.setLeaderboardVisibility": (Role.MEMBER,),
    "Mutation.adjustPoints": (Role.ADMIN,),
    "Mutation.upsertTier": (Role.ADMIN,),
    "Mutation.upsertReward": (Role.ADMIN,),
    "Mutation.redeemReward": (Role.MEMBER,),
    "Mutation.cancelRedemption": (Role.ADMIN,),
    "Mutation.upsertBadge": (Role.ADMIN,),
    "Mutation.awardBadge": (Role.ADMIN,),
    "Mutation.upsertChallenge": (Role.ADMIN,),
    "Mutation.enrollInChallenge": (Role.MEMBER,),
    "Mutation.submitContent": (Role.MEMBER,),
    "Mutation.moderateContent": (Role.ADMIN,),
    "Mutation.voteContent": (Role.MEMBER,),
    "Mutation.applyReferralCode": (Role.MEMBER,),
    "Mutation.updateReferralProgram": (Role.ADMIN,),
    "Mutation.upsertCampaign": (Role.ADMIN,),
    "Query.memberExport": (Role.ADMIN, Role.MEMBER),
    "Mutation.eraseMember": (Role.ADMIN,),
    "Query.questionnaireResults": (Role.ADMIN,),
    "Mutation.upsertQuestionnaire": (Role.ADMIN,),
    "Mutation.submitAnswers": (Role.MEMBER,),
    "Query.webhookEndpoints": (Role.ADMIN,),
    "Mutation.createWebhookEndpoint": (Role.ADMIN,),
    "Mutation.updateWebhookEndpoint": (Role.ADMIN,),
    "Mutation.rotateWebhookSecret": (Role.ADMIN,),
    "Mutation.deleteWebhookEndpoint": (Role.ADMIN,),
    "Mutation.redeliverWebhook": (Role.ADMIN,),
    "Query.streakFreezePolicy": (Role.ADMIN,),
    "Mutation.setStreakFreezePolicy": (Role.ADMIN,),
    "Mutation.grantStreakFreezes": (Role.ADMIN,),
    "Query.partners": (Role.ADMIN,),
    "Mutation.upsertPartner": (Role.ADMIN,),
    "Subscription.memberEvents": (Role.MEMBER,),
}

# Fields whose description says who may call them in its own words, without the role phrase.
UNSTATED = {"Query.interaction", "Subscription.memberEvents"}

# How a description names the token a field needs: "ADMIN token.", "MEMBER (…) or SERVICE token".
ROLE = r"(?:ADMIN|MEMBER|SERVICE)(?: \([^)]*\))?"
TOKEN_CLAIM = re.compile(rf"\b{ROLE}(?: or {ROLE})* token[.,;)]")


@dataclass(frozen=True)
class Served:
    name: str  # Type.field
    description: str | None
    requirement: Requires | None
    extensions: list[Any]


def _served_fields() -> list[Served]:
    schema = build_schema()
    fields = []
    for type_name, graphql_type in sorted(schema._schema.type_map.items()):
        if type_name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field_name, field in graphql_type.fields.items():
            definition = field.extensions.get("strawberry-definition")
            extensions = list(definition.extensions) if definition is not None else []
            requirement = requirement_of(definition) if definition is not None else None
            name = f"{type_name}.{field_name}"
            fields.append(Served(name, field.description, requirement, extensions))
    return fields


SERVED = _served_fields()


# --- the declarations -------------------------------------------------------------------------


def test_every_field_that_needs_a_token_declares_its_roles_and_no_other_field_does():
    declared = {f.name: f.requirement.roles for f in SERVED if f.requirement is not None}
    assert declared == PROTECTED


def test_a_protected_field_states_its_roles_in_its_description():
    for field in SERVED:
        if field.requirement is None or field.name in UNSTATED:
            continue
        assert field.requirement.in_description, field.name
        assert field.description is not None, field.name
        assert field.requirement.phrase in field.description, field.name


def test_only_the_listed_fields_leave_the_role_phrase_out():
    unstated = {f.name for f in SERVED if f.requirement and not f.requirement.in_description}
    assert unstated == UNSTATED
    for field in SERVED:
        if field.name in UNSTATED:
            assert not TOKEN_CLAIM.search(field.description or ""), field.name


def test_no_field_claims_a_token_it_does_not_check():
    claims = [
        field.name
        for field in SERVED
        if field.requirement is None and TOKEN_CLAIM.search(field.description or "")
    ]
    assert claims == []


def test_the_role_check_runs_before_any_other_extension_of_the_field():
    """Listed last, `Requires` is the outermost: `UserErrors` never sees a refusal."""
    for field in SERVED:
        if field.requirement is not None:
            assert field.extensions[-1] is field.requirement, field.name


def test_no_resolver_checks_a_role_by_hand():
    by_hand = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "api").rglob("*.py"))
        if path.name not in ("context.py", "permissions.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ".require(" in line
    ]
    assert by_hand == []


def test_building_the_schema_again_does_not_state_the_roles_twice():
    again = {f.name: f.description for f in _served_fields()}
    assert again == {f.name: f.description for f in SERVED}


# --- how the phrase is written ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("requirement", "declared", "served"),
    [
        (Requires(Role.ADMIN), None, "ADMIN token."),
        (Requires(Role.ADMIN), "Audited.", "ADMIN token. Audited."),
        (Requires(Role.MEMBER), "The viewer ({token}).", "The viewer (MEMBER token)."),
        (Requires(Role.ADMIN, Role.SERVICE), "{token}; null", "ADMIN or SERVICE token; null"),
        (
            Requires(Role.MEMBER, Role.SERVICE, qualifiers={Role.MEMBER: "own only"}),
            "Records.",
            "MEMBER (own only) or SERVICE token. Records.",
        ),
        (Requires(Role.MEMBER, in_description=False), "Live.", "Live."),
    ],
)
def test_the_description_is_written_from_the_roles(requirement, declared, served):
    assert requirement.describe(declared) == served


def test_a_declaration_must_make_sense():
    with pytest.raises(ValueError):
        Requires()
    with pytest.raises(ValueError):
        Requires(Role.ADMIN, Role.ADMIN)
    with pytest.raises(ValueError):
        Requires(Role.ADMIN, qualifiers={Role.MEMBER: "never checked"})
    with pytest.raises(ValueError):
        Requires(Role.ADMIN, in_description=False).describe("Who: {token}.")


# --- the check, on a schema of its own (sync, async and subscription resolvers) ----------------


@dataclass
class _Caller:
    """Just what `Requires` reads of the context: the caller, and `Context.require` itself."""

    caller: Viewer | None

    def viewer(self) -> Viewer | None:
        return self.caller

    require = Context.require


@strawberry.type
class _Query:
    @strawberry.field(extensions=[Requires(Role.ADMIN)])
    def sync_admin(self, info: Info) -> str:
        return checked_viewer(info).subject

    @strawberry.field(extensions=[Requires(Role.MEMBER, Role.SERVICE)])
    async def async_member_or_service(self, info: Info) -> str:
        return checked_viewer(info).subject

    @strawberry.field
    def unchecked(self, info: Info) -> str:
        return checked_viewer(info).subject


@strawberry.type
class _Subscription:
    @strawberry.subscription(extensions=[Requires(Role.MEMBER)])
    async def ticks(self, info: Info) -> AsyncGenerator[str, None]:
        yield checked_viewer(info).subject


SMALL = strawberry.Schema(query=_Query, subscription=_Subscription)


def _answer(query: str, caller: Viewer | None) -> tuple[Any, list[tuple[str, str]]]:
    result = SMALL.execute_sync(query, context_value=_Caller(caller))
    errors = [(e.extensions["code"], e.message) for e in result.errors or [] if e.extensions]
    return result.data, errors


async def _answer_async(query: str, caller: Viewer | None) -> tuple[Any, list[tuple[str, str]]]:
    result = await SMALL.execute(query, context_value=_Caller(caller))
    errors = [(e.extensions["code"], e.message) for e in result.errors or [] if e.extensions]
    return result.data, errors


def test_a_sync_field_refuses_exactly_as_context_require_does():
    assert _answer("{ syncAdmin }", None) == (
        None,
        [("UNAUTHENTICATED", "authentication required")],
    )
    refused = _answer("{ syncAdmin }", Viewer("ada", Role.MEMBER))
    assert refused == (None, [("FORBIDDEN", "this needs an ADMIN token")])
    assert _answer("{ syncAdmin }", Viewer("root", Role.ADMIN)) == ({"syncAdmin": "root"}, [])


async def test_an_async_field_refuses_exactly_as_context_require_does():
    query = "{ asyncMemberOrService }"
    refused = await _answer_async(query, Viewer("root", Role.ADMIN))
    assert refused == (None, [("FORBIDDEN", "this needs a MEMBER or SERVICE token")])
    allowed = await _answer_async(query, Viewer("feed", Role.SERVICE))
    assert allowed == ({"asyncMemberOrService": "feed"}, [])


async def test_a_subscription_is_refused_before_its_stream_starts():
    async def first(caller: Viewer | None) -> Any:
        stream = await SMALL.subscribe("subscription { ticks }", context_value=_Caller(caller))
        assert isinstance(stream, AsyncGenerator)
        try:
            return await anext(stream)
        finally:
            await stream.aclose()

    refused = await first(None)
    assert refused.data is None
    assert [e.extensions["code"] for e in refused.errors] == ["UNAUTHENTICATED"]
    assert (await first(Viewer("ada", Role.MEMBER))).data == {"ticks": "ada"}


def test_a_resolver_without_a_declaration_cannot_read_a_viewer():
    """`checked_viewer` hands out only a caller some `Requires` checked."""
    result = SMALL.execute_sync("{ unchecked }", context_value=_Caller(Viewer("x", Role.ADMIN)))
    assert result.errors is not None
    assert "without declaring Requires" in result.errors[0].message


def test_requires_must_be_listed_last():
    @strawberry.type
    class Misordered:
        @strawberry.mutation(extensions=[Requires(Role.ADMIN), UserErrors()])
        async def change(self) -> str:
            return "changed"

    with pytest.raises(TypeError, match="last"):
        strawberry.Schema(query=_Query, mutation=Misordered)


# --- through the real HTTP API: what clients get is what they got before ---------------------

ADMIN_QUERY = "{ campaigns { key } }"
UPSERT_TIER = """
mutation { upsertTier(input: {key: "gold", name: "Gold", threshold: 100}) {
  tier { key } errors { code message } } }
"""


async def test_anonymous_callers_of_an_admin_field_are_unauthenticated(gql):
    body = await gql(ADMIN_QUERY)
    assert codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["message"] == "authentication required"
    assert body["data"] is None


async def test_a_member_token_on_an_admin_field_is_forbidden_with_the_same_message(gql):
    body = await gql(ADMIN_QUERY, as_=member("ada"))
    assert codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["message"] == "this needs an ADMIN token"
    assert (await gql(ADMIN_QUERY, as_=ADMIN)) == {"data": {"campaigns": []}}


async def test_a_refused_mutation_is_a_graphql_error_not_a_user_error(gql):
    body = await gql(UPSERT_TIER, as_=SERVICE)
    assert body["data"] is None
    assert codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["message"] == "this needs an ADMIN token"
    allowed = await gql(UPSERT_TIER, as_=ADMIN)
    assert allowed == {"data": {"upsertTier": {"tier": {"key": "gold"}, "errors": []}}}


async def test_the_refusal_names_every_role_the_field_takes(gql):
    by_admin = await gql("{ me { id } }", as_=ADMIN)
    assert by_admin["errors"][0]["message"] == "this needs a MEMBER token"
    by_member = await gql('{ member(id: "ada") { id } }', as_=member("ada"))
    assert by_member["errors"][0]["message"] == "this needs an ADMIN or SERVICE token"


async def test_any_authenticated_role_may_ask_for_an_interaction(gql):
    query = '{ interaction(id: "1") { id } }'
    assert codes(await gql(query)) == ["UNAUTHENTICATED"]
    for who in (member("ada"), ADMIN, SERVICE):
        assert await gql(query, as_=who) == {"data": {"interaction": None}}
