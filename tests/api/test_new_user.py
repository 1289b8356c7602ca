"""A new user's first steps work as the README tells them: its examples on the demo data, and a
GraphiQL that opens on a Plaudit example saying where the token goes."""

from __future__ import annotations

import re
from pathlib import Path

from api.graphiql import EXAMPLE_QUERY
from domain import demo
from tests.conftest import member

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_graphql_block(containing: str) -> str:
    """The README's ```graphql block that contains `containing`, as a reader would copy it."""
    blocks = re.findall(r"```graphql\n(.*?)```", README.read_text(), flags=re.DOTALL)
    [block] = [block for block in blocks if containing in block]
    return block


async def test_the_readme_member_example_records_on_the_demo_data(runtime, gql, drain):
    await demo.load(runtime)
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


async def test_the_readme_progress_screen_answers_on_the_demo_data(runtime, gql):
    await demo.load(runtime)
    example = readme_graphql_block("me {\n    points { balance }")

    body = await gql(example, as_=member("demo-ada"))

    assert "errors" not in body, body
    assert body["data"]["me"]["badges"]
    assert [c["challenge"]["key"] for c in body["data"]["me"]["challenges"]] == ["review.week"]


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
