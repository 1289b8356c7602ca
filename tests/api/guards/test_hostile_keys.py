"""A key or name longer than any key is simply not found.

Every argument that names a key (an action, badge, challenge, reward, tier, campaign, board or
referral code) answers a string longer than any key exactly as it answers an unknown key of
normal length: NOT_FOUND, `null`, an empty list or UNKNOWN_ACTION, never INTERNAL_SERVER_ERROR
and never an ERROR log line (`domain.infra.db.matching`, the one place lookups by a client's
string go through). An argument that defines a key answers it as a malformed key.

`KEY_ARGUMENTS` names every such argument of the schema; a new one fails
`test_every_argument_that_names_a_key_is_in_the_table` until it is added there.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
)

from api.schema import build_schema
from domain.models import AuditRecord, LedgerEntry, MemberBadge
from gamification.actions import MAX_KEY_LENGTH
from gamification.text import DEFAULT_MAX_LENGTH
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import define, record
from tests.websockets import bearer

UNKNOWN = "nope.unknown"  # a key of normal length that nothing has
MALFORMED = ""  # a key no definition may have
# Past any key, past a challenge's board name (`challenge:` and a key), the longest string the
# text rules let through.
LENGTHS = (MAX_KEY_LENGTH + 1, MAX_KEY_LENGTH + len("challenge:") + 1, DEFAULT_MAX_LENGTH)

# Arguments and input fields whose name says they name a key.
KEY_NAME = re.compile(r"^(key|board|action|code|tiers)$|[a-z](Key|Board|Action|Tier|Code)$")
NOT_KEYS = {"idempotencyKey"}

SOON, LATER = (datetime.now(UTC) + timedelta(days=days) for days in (1, 8))


def campaign(key: str = '"c"', target: str = "{}", offer: str = "{bonusPoints: 5}") -> str:
    """An UpsertCampaignInput, valid but for what the case puts in."""
    return (
        f'{{key: {key}, name: "C", message: "M", startsAt: "{SOON.isoformat()}", '
        f'endsAt: "{LATER.isoformat()}", target: {target}, offer: {offer}}}'
    )


def challenge(action: str = '"a.b"') -> str:
    """An UpsertChallengeInput's fields but its key, valid but for what the case puts in."""
    return (
        f'name: "C", startsAt: "{SOON.isoformat()}", endsAt: "{LATER.isoformat()}", '
        f"goals: [{{metric: ACTION_COUNT, action: {action}, target: 1}}]"
    )


def questionnaire(question: str = '"q"') -> str:
    """An UpsertQuestionnaireInput's fields but its key, valid but for what the case puts in."""
    return f'title: "Q", questions: [{{key: {question}, prompt: "Q?", kind: SCALE}}]'


ERRORS = "errors { code field }"


@dataclass(frozen=True)
class Case:
    """`document` takes the key as `$k` (and a fresh idempotency key as `$n`); `like` is the
    string of normal length whose answer the over-long key must get."""

    document: str
    who: tuple[str, str]
    like: str = UNKNOWN
    subscription: bool = False


def mutation(field: str, arguments: str, selection: str = ERRORS) -> str:
    return f"mutation($k: String!, $n: String!) {{ {field}({arguments}) {{ {selection} }} }}"


KEY_ARGUMENTS: dict[str, Case] = {
    "Query.leaderboard(board)": Case(
        "query($k: String!) { leaderboard(board: $k) { size } }", ADMIN
    ),
    "Query.leaderboardArchives(board)": Case(
        "query($k: String!) { leaderboardArchives(board: $k, period: DAILY) { board } }", ADMIN
    ),
    "Query.campaign(key)": Case("query($k: String!) { campaign(key: $k) { key } }", ADMIN),
    "Subscription.leaderboardChanged(board)": Case(
        "subscription($k: String!) { leaderboardChanged(board: $k) { board } }",
        member("ada"),
        subscription=True,
    ),
    "Mutation.recordInteraction(input).action": Case(
        mutation(
            "recordInteraction",
            "input: {action: $k, idempotencyKey: $n}",
            f"interaction {{ status reason }} {ERRORS}",
        ),
        member("ada"),
    ),
    "Mutation.recordInteractions(inputs).action": Case(
        mutation(
            "recordInteractions",
            'inputs: [{action: $k, idempotencyKey: $n, memberId: "ada"}]',
            f"results {{ interaction {{ status reason }} {ERRORS} }}",
        ),
        SERVICE,
    ),
    "Mutation.redeemReward(input).rewardKey": Case(
        mutation("redeemReward", "input: {rewardKey: $k, idempotencyKey: $n}"), member("ada")
    ),
    "Mutation.awardBadge(badgeKey)": Case(
        mutation("awardBadge", 'memberId: "ada", badgeKey: $k'), ADMIN
    ),
    "Mutation.enrollInChallenge(challengeKey)": Case(
        mutation("enrollInChallenge", "challengeKey: $k"), member("ada")
    ),
    "Mutation.applyReferralCode(code)": Case(
        mutation("applyReferralCode", "code: $k"), member("ada")
    ),
    "Mutation.upsertReward(input).requiredTier": Case(
        mutation("upsertReward", 'input: {key: "r", name: "R", cost: 10, requiredTier: $k}'),
        ADMIN,
    ),
    "Mutation.upsertBadge(input).goals.action": Case(
        mutation(
            "upsertBadge",
            'input: {key: "b", name: "B", goals: [{metric: ACTION_COUNT, action: $k, target: 1}]}',
        ),
        ADMIN,
    ),
    "Mutation.upsertBadge(input).levels.goals.action": Case(
        mutation(
            "upsertBadge",
            'input: {key: "b", name: "B", levels: [{name: "Silver", '
            "goals: [{metric: ACTION_COUNT, action: $k, target: 1}]}]}",
        ),
        ADMIN,
    ),
    "Query.campaignAudience(target).tiers": Case(
        "query($k: String!) { campaignAudience(target: {tiers: [$k]}) }", ADMIN
    ),
    "Mutation.upsertChallenge(input).goals.action": Case(
        mutation(
            "upsertChallenge",
            f'input: {{key: "c", {challenge("$k")}}}',
        ),
        ADMIN,
    ),
    "Mutation.upsertChallenge(input).rewardBadgeKey": Case(
        mutation("upsertChallenge", f'input: {{key: "c", {challenge()}, rewardBadgeKey: $k}}'),
        ADMIN,
    ),
    "Mutation.upsertCampaign(input).target.tiers": Case(
        mutation("upsertCampaign", f"input: {campaign(target='{tiers: [$k]}')}"),
        ADMIN,
    ),
    "Mutation.upsertCampaign(input).offer.badgeKey": Case(
        mutation("upsertCampaign", f"input: {campaign(offer='{badgeKey: $k}')}"),
        ADMIN,
    ),
    # An action that may be defined later: a string no action can be is malformed, as here.
    "Mutation.updateReferralProgram(input).conversionAction": Case(
        mutation("updateReferralProgram", "input: {conversionAction: $k}"), ADMIN, like="Not A Key"
    ),
    # Definitions: a key too long is refused like any malformed key.
    "Mutation.upsertAction(input).key": Case(
        mutation("upsertAction", 'input: {key: $k, name: "A", points: 1}'), ADMIN, MALFORMED
    ),
    "Mutation.upsertTier(input).key": Case(
        mutation("upsertTier", 'input: {key: $k, name: "T", threshold: 10}'), ADMIN, MALFORMED
    ),
    "Mutation.upsertReward(input).key": Case(
        mutation("upsertReward", 'input: {key: $k, name: "R", cost: 10}'), ADMIN, MALFORMED
    ),
    "Mutation.upsertBadge(input).key": Case(
        mutation("upsertBadge", 'input: {key: $k, name: "B"}'), ADMIN, MALFORMED
    ),
    "Mutation.upsertChallenge(input).key": Case(
        mutation("upsertChallenge", f"input: {{key: $k, {challenge()}}}"), ADMIN, MALFORMED
    ),
    "Mutation.upsertCampaign(input).key": Case(
        mutation("upsertCampaign", f"input: {campaign(key='$k')}"),
        ADMIN,
        MALFORMED,
    ),
    "Mutation.upsertPartner(input).key": Case(
        mutation("upsertPartner", 'input: {key: $k, name: "P", actions: ["a.b"]}'),
        ADMIN,
        MALFORMED,
    ),
    "Query.questionnaireResults(key)": Case(
        "query($k: String!) { questionnaireResults(key: $k) { respondents } }", ADMIN
    ),
    "Mutation.upsertQuestionnaire(input).key": Case(
        mutation("upsertQuestionnaire", f"input: {{key: $k, {questionnaire()}}}"),
        ADMIN,
        MALFORMED,
    ),
    "Mutation.upsertQuestionnaire(input).questions.key": Case(
        mutation("upsertQuestionnaire", f'input: {{key: "q", {questionnaire("$k")}}}'),
        ADMIN,
        MALFORMED,
    ),
    # An action that may be defined later: a string no action can be is malformed, as here.
    "Mutation.upsertQuestionnaire(input).completionAction": Case(
        mutation(
            "upsertQuestionnaire", f'input: {{key: "q", {questionnaire()}, completionAction: $k}}'
        ),
        ADMIN,
        like="Not A Key",
    ),
}


def key_arguments(schema: GraphQLSchema) -> set[str]:
    """`Type.field(argument)` and `….inputField` for every string argument or input field, at
    any depth, whose name says it names a key."""
    found: set[str] = set()

    def walk(named: Any, path: str, seen: frozenset[str]) -> None:
        if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
            for name, field in named.fields.items():
                walk(get_named_type(field.type), f"{path}.{name}", seen | {named.name})
        elif isinstance(named, GraphQLScalarType) and named.name in ("String", "ID"):
            name = path.rsplit(".", 1)[-1].rstrip(")").split("(")[-1]
            if KEY_NAME.search(name) and name not in NOT_KEYS:
                found.add(path)

    for type_name, graphql_type in schema.type_map.items():
        if type_name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field_name, field in graphql_type.fields.items():
            for argument, definition in field.args.items():
                where = f"{type_name}.{field_name}({argument})"
                walk(get_named_type(definition.type), where, frozenset())
    return found


def test_every_argument_that_names_a_key_is_in_the_table():
    assert key_arguments(build_schema()._schema) == set(KEY_ARGUMENTS)


def outcome(body: dict[str, Any]) -> dict[str, Any]:
    """What a client acts on: the data and each error's code, path and field (not its text,
    which quotes the key)."""
    errors = [
        (e.get("extensions", {}).get("code"), e.get("path"), e.get("extensions", {}).get("field"))
        for e in body.get("errors") or []
    ]
    return {"data": body.get("data"), "errors": errors}


async def first_message(open_socket, settings, case: Case, key: str) -> dict[str, Any]:
    """The subscription's first answer: its error, or its first result."""
    async with open_socket() as socket:
        assert (await socket.init(bearer(settings, *case.who)))["type"] == "connection_ack"
        payload = {"query": case.document, "variables": {"k": key}}
        await socket.send({"id": "1", "type": "subscribe", "payload": payload})
        message = await socket.receive()
    if message["type"] == "error":
        return {"errors": message["payload"]}
    assert message["type"] == "next", message
    answer: dict[str, Any] = message["payload"]
    return answer


@pytest.fixture
async def program(gql):
    """What the documents name besides the key: an action `a.b` and a member `ada`."""
    await define(gql, "a.b", 10)
    await record(gql, member("ada"), "a.b", "enrol")


@pytest.mark.parametrize("argument", sorted(KEY_ARGUMENTS))
async def test_an_over_long_key_is_answered_like_a_key_nothing_has(
    gql, program, open_socket, settings, caplog, argument
):
    case = KEY_ARGUMENTS[argument]
    answers: dict[str, dict[str, Any]] = {}
    for number, key in enumerate([case.like, *("k" * length for length in LENGTHS)]):
        if case.subscription:
            body = await first_message(open_socket, settings, case, key)
        else:
            body = await gql(case.document, {"k": key, "n": f"n{number}"}, as_=case.who)
        answers[f"{len(key)} characters"] = outcome(body)

    expected = answers.pop(f"{len(case.like)} characters")
    assert expected["errors"] or expected["data"], expected
    for length, answer in answers.items():
        assert answer == expected, length
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


# --- Names made of keys and member ids ------------------------------------------------------

EARNER, AWARDED = "e" * 128, "a" * 128  # member ids of the longest length
UPSERT_BADGE = """mutation($i: UpsertBadgeInput!) {
  upsertBadge(input: $i) { badge { key } errors { code field } } }"""
AWARD = """mutation($m: ID!, $b: String!) {
  awardBadge(memberId: $m, badgeKey: $b) { errors { code field } } }"""


async def test_the_longest_key_and_member_ids_still_earn_and_are_audited(gql, drain, caplog):
    """`badge:<key>:<member>` (the ledger's source) and `member_badge:<member>:<key>` (the audit
    target) can be longer than their columns: they are stored fitted, a head and a digest, and
    PostgreSQL no longer refuses the member's whole batch for them."""
    key = "b" * MAX_KEY_LENGTH
    await define(gql, "a.b", 10)
    goals = [{"metric": "ACTION_COUNT", "action": "a.b", "target": 1}]
    badge = {"key": key, "name": "B", "goals": goals, "rewardPoints": 5}
    assert (await gql(UPSERT_BADGE, {"i": badge}, as_=ADMIN))["data"]["upsertBadge"]["errors"] == []

    await record(gql, member(EARNER), "a.b", "k1")
    await drain()
    await gql("{ me { id } }", as_=member(AWARDED))
    awarded = await gql(AWARD, {"m": AWARDED, "b": key}, as_=ADMIN)

    assert awarded["data"]["awardBadge"]["errors"] == []
    for who, balance in ((EARNER, 15), (AWARDED, 5)):
        me = await gql("{ me { points { balance } } }", as_=member(who))
        assert me["data"]["me"]["points"]["balance"] == balance
        assert await MemberBadge.filter(member_id=who, badge_id=key).count() == 1
    sources = await LedgerEntry.all().values_list("source_key", flat=True)
    assert len(set(sources)) == 3 and all(len(source) <= 200 for source in sources)
    targets = await AuditRecord.all().values_list("target", flat=True)
    assert all(len(target) <= 200 for target in targets)
    assert [t for t in targets if t.startswith("member_badge:")] != []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


UPSERT_CHALLENGE = """mutation($i: UpsertChallengeInput!) {
  upsertChallenge(input: $i) { challenge { key } errors { code field } } }"""
BOARD = """query($b: String!) {
  leaderboard(board: $b) { entries(first: 1) { edges { node { score member { id } } } } }
  leaderboardArchives(board: $b, period: ALL_TIME) { board } }"""


async def test_a_challenge_key_leaves_room_for_its_board_name(gql, drain):
    """`challenge:<key>` is a board name, at most 100 characters like any: a key of 90 works on
    every storage; one of 91 is refused (it made every interaction counted for the challenge
    fail on PostgreSQL)."""
    await define(gql, "a.b", 10)
    started = datetime.now(UTC) - timedelta(hours=1)
    window = {"startsAt": started.isoformat(), "endsAt": (started + timedelta(days=7)).isoformat()}
    goals = [{"metric": "ACTION_COUNT", "action": "a.b", "target": 3}]
    longest = {"key": "c" * 90, "name": "C", "goals": goals, **window}

    refused = await gql(UPSERT_CHALLENGE, {"i": longest | {"key": "c" * 91}}, as_=ADMIN)
    accepted = await gql(UPSERT_CHALLENGE, {"i": longest}, as_=ADMIN)
    await record(gql, member("ada"), "a.b", "k1")
    await drain()

    assert [(e["code"], e["field"]) for e in refused["data"]["upsertChallenge"]["errors"]] == [
        ("INVALID_INPUT", ["input", "key"])
    ]
    assert accepted["data"]["upsertChallenge"]["errors"] == []
    board = (await gql(BOARD, {"b": "challenge:" + "c" * 90}, as_=ADMIN))["data"]
    [entry] = board["leaderboard"]["entries"]["edges"]
    assert entry["node"] == {"score": 1, "member": {"id": "ada"}}
    assert board["leaderboardArchives"] == []
