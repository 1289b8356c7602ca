"""A new user's first steps work as the README tells them: its examples on the demo data, and a
GraphiQL that opens on a Plaudit example saying where the token goes."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graphql import FieldNode, OperationDefinitionNode, OperationType, parse

from api.graphiql import EXAMPLE_QUERY
from domain import demo
from domain.models import (
    Content,
    ContentStatus,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEventType,
)
from tests.api.webhooks.common import allow_local_webhooks
from tests.conftest import ADMIN, SERVICE, member, token

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(), flags=re.DOTALL)


def readme_graphql_block(containing: str) -> str:
    """The README's ```graphql block that contains `containing`, as a reader would copy it."""
    [block] = [block for block in readme_blocks("graphql") if containing in block]
    return block


async def test_the_readme_member_example_records_on_the_demo_data(runtime, gql, drain):
    await demo.load(runtime)
    action = await gql(readme_graphql_block("upsertAction(input:"), as_=ADMIN)
    assert action["data"]["upsertAction"]["errors"] == []  # the example before it
    example = readme_graphql_block("recordInteraction(input: {action:")

    body = await gql(example, as_=member("demo-ada"))

    assert "errors" not in body, body
    answer = body["data"]["recordInteraction"]
    assert answer["errors"] == []
    assert answer["interaction"]["status"] == "PENDING"
    await drain()
    replay = await gql(example, as_=member("demo-ada"))  # the same key: the first interaction
    assert replay["data"]["recordInteraction"]["interaction"]["status"] == "AWARDED"
    assert replay["data"]["recordInteraction"]["interaction"]["pointsAwarded"] > 0


# Who sends each of the README's mutations, as its text says (an ADMIN, MEMBER or service token).
# A new example needs a line here: the test below runs every one.
SENDERS = {
    "upsertAction": ADMIN,
    "recordInteraction": member("demo-ada"),
    "recordInteractions": SERVICE,
    "upsertReward": ADMIN,
    "upsertBadge": ADMIN,  # with upsertChallenge, in one document
    "upsertChallenge": ADMIN,  # a weekly quest and a hidden challenge
    "upsertCampaign": ADMIN,
    "updateReferralProgram": ADMIN,
    "applyReferralCode": member("newcomer"),
    "moderateContent": ADMIN,
    "submitContent": member("demo-grace"),
    "voteContent": member("newcomer"),
    "eraseMember": ADMIN,
    "createWebhookEndpoint": ADMIN,
    "redeliverWebhook": ADMIN,
    "rotateWebhookSecret": ADMIN,
    "setStreakFreezePolicy": ADMIN,
    "grantStreakFreezes": ADMIN,
    "setLeaderboardVisibility": member("demo-grace"),
    "upsertPartner": ADMIN,
    "upsertQuestionnaire": ADMIN,
    "submitAnswers": member("demo-ada"),
}


def readme_mutations() -> list[tuple[str, str | None, str]]:
    """Every mutation operation in the README's ```graphql blocks, in reading order: (its
    block, its operation name, its first field)."""
    found = []
    for block in readme_blocks("graphql"):
        for definition in parse(block).definitions:
            if (
                isinstance(definition, OperationDefinitionNode)
                and definition.operation is OperationType.MUTATION
            ):
                name = definition.name.value if definition.name else None
                first = definition.selection_set.selections[0]
                assert isinstance(first, FieldNode)
                found.append((block, name, first.name.value))
    return found


def refusals(answer: Any) -> list[Any]:
    """Every UserError anywhere in a mutation's answer (payloads, bulk results)."""
    if isinstance(answer, list):
        return [error for item in answer for error in refusals(item)]
    if not isinstance(answer, dict):
        return []
    errors = answer.get("errors") if isinstance(answer.get("errors"), list) else []
    return errors + [error for value in answer.values() for error in refusals(value)]


async def test_every_readme_mutation_succeeds_on_top_of_the_demo(runtime, gql, drain, monkeypatch):
    """The README's examples and the demo never collide: after `plaudit demo`, each of its
    mutations, in reading order, succeeds. Its placeholders (a friend's referral code, a content
    id) are replaced by the demo's real ones, as a reader would."""
    allow_local_webhooks(monkeypatch, runtime)  # the reader's receiver is on loopback here
    await demo.load(runtime)
    ada = await gql("{ me { referral { code } } }", as_=member("demo-ada"))
    pending = await Content.filter(status=ContentStatus.PENDING).first()
    approved = await Content.filter(status=ContentStatus.APPROVED, author_id="demo-ada").first()
    assert pending is not None and approved is not None
    placeholders = {
        "applyReferralCode": {"K7Q2MXPA9R": ada["data"]["me"]["referral"]["code"]},
        "moderateContent": {'"42"': f'"{pending.id}"'},
        "voteContent": {'"42"': f'"{approved.id}"'},
        # The reader's own receiver; the tests' program allows one on loopback.
        "createWebhookEndpoint": {"https://crm.example.com/plaudit": "http://127.0.0.1:9/plaudit"},
        "grantStreakFreezes": {'"ada"': '"demo-ada"'},
    }
    [bulk] = [block for block in readme_blocks("json") if block.startswith('{"inputs"')]

    ran = []
    for block, operation, field in readme_mutations():
        document = block
        for placeholder, value in placeholders.get(field, {}).items():
            document = document.replace(placeholder, value)
        variables = json.loads(bulk) if field == "recordInteractions" else None
        response = await gql.http.post(
            "/graphql",
            json={"query": document, "variables": variables, "operationName": operation},
            headers={"authorization": f"Bearer {token(gql.settings, *SENDERS[field])}"},
        )
        body = response.json()
        assert "errors" not in body, (field, body)
        assert refusals(body["data"]) == [], (field, body["data"])
        ran.append(field)
        if field == "createWebhookEndpoint":
            # The webhook examples after it name an endpoint ("7") and a delivery ("42"): a
            # reader puts in theirs, here the new endpoint and a delivery of it that failed.
            endpoint = body["data"]["createWebhookEndpoint"]["endpoint"]["id"]
            delivery = await WebhookDelivery.create(
                endpoint_id=int(endpoint),
                message_id="msg_readme",
                event=WebhookEventType.POINTS_CHANGED.value,
                body="{}",
                status=WebhookDeliveryStatus.FAILED,
                created_at=datetime.now(UTC),
            )
            placeholders["rotateWebhookSecret"] = {'"7"': f'"{endpoint}"'}
            placeholders["redeliverWebhook"] = {'"42"': f'"{delivery.id}"'}
    await drain()

    # Each example once, except a mutation shown again where a later section extends it
    # (upsertBadge's levels, upsertChallenge's recurrence, a reward or campaign for some members
    # only, in "Engagement").
    repeated = {field for field in ran if ran.count(field) > 1}
    assert repeated <= {"upsertBadge", "upsertChallenge", "upsertReward", "upsertCampaign"}
    assert set(ran) == set(SENDERS)


async def test_the_readme_progress_screen_answers_on_the_demo_data(runtime, gql):
    await demo.load(runtime)
    example = readme_graphql_block("me {\n    points { balance }")

    body = await gql(example, as_=member("demo-ada"))

    assert "errors" not in body, body
    assert body["data"]["me"]["badges"]
    assert [c["challenge"]["key"] for c in body["data"]["me"]["challenges"]] == [
        "review.week",
        "weekly.reviews",  # the weekly quest, this week's round
    ]


async def test_graphiql_opens_on_the_progress_query_and_says_where_the_token_goes(
    client, runtime, gql
):
    page = await client.get("/graphql", headers={"accept": "text/html"})

    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "defaultQuery:" in page.text
    assert "query Progress" in page.text
    assert "Authorization" in page.text and "Bearer" in page.text
    # The example is the README's progress screen, and it runs as it stands.
    await demo.load(runtime)
    body = await gql(EXAMPLE_QUERY, as_=member("demo-ada"))
    assert "errors" not in body, body
    assert (
        readme_graphql_block("me {\n    points { balance }").strip().removeprefix("query {").strip()
        in EXAMPLE_QUERY
    )


async def test_the_demo_has_referrals_and_content_in_every_status_and_loads_twice(runtime, gql):
    from domain.models import Content, LedgerEntry, LedgerReason, Referral

    await demo.load(runtime)
    await demo.load(runtime)  # safe to load twice

    statuses = sorted(await Content.all().values_list("status", flat=True))
    assert statuses == ["APPROVED", "PENDING", "REJECTED"]
    referrals = {r.referee_id: r for r in await Referral.all()}
    assert set(referrals) == {"demo-alan", "demo-linus"}
    assert referrals["demo-alan"].converted_at is not None
    assert referrals["demo-linus"].converted_at is None
    assert await LedgerEntry.filter(reason=LedgerReason.REFERRAL).count() == 2
    body = await gql("{ me { referral { invited converted } } }", as_=member("demo-grace"))
    assert body["data"]["me"]["referral"] == {"invited": 1, "converted": 1}


async def test_the_demo_shows_weekly_and_all_time_boards_with_past_weeks_archived(runtime, gql):
    await demo.load(runtime)
    body = await gql(
        """{
          weekly: leaderboard(period: WEEKLY) { size }
          allTime: leaderboard(period: ALL_TIME) { size }
          leaderboardArchives(board: "points", period: WEEKLY, last: 3) {
            periodStart periodEnd entries { rank score member { displayName } }
          }
        }"""
    )
    assert "errors" not in body, body
    assert body["data"]["weekly"]["size"] >= 3 and body["data"]["allTime"]["size"] == 4
    weeks = body["data"]["leaderboardArchives"]
    assert len(weeks) == 3
    assert [w["periodEnd"] for w in weeks] == sorted((w["periodEnd"] for w in weeks), reverse=True)
    assert all(w["entries"] and w["entries"][0]["rank"] == 1 for w in weeks)


async def test_the_demo_has_segments_a_churn_model_and_a_campaign_with_results(runtime, gql):
    from tests.conftest import ADMIN

    await demo.load(runtime)
    body = await gql(
        """{
          segments { segment members }
          churnModel { r alpha a b members }
          campaign(key: "demo-comeback") {
            status treated heldOut
            results { treated { members activeWithin7Days } holdout { members } uplift }
          }
        }""",
        as_=ADMIN,
    )
    assert "errors" not in body, body
    assert sum(row["members"] for row in body["data"]["segments"]) == 4
    assert body["data"]["churnModel"]["members"] == 4
    campaign = body["data"]["campaign"]
    assert campaign["status"] == "RUNNING" and campaign["treated"] + campaign["heldOut"] == 4
    assert campaign["results"]["treated"]["members"] == campaign["treated"]
