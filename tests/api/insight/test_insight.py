"""Insight through the API: RFM segments and churn risk after a refresh, who may see them, and
the BG/NBD fit reproducing Fader, Hardie and Lee (2005) on the CDNOW sample recorded as
interactions."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from domain.insight import refresh as insight
from domain.models import ChurnFit, MemberInsight
from tests.api.interactions.test_bulk_ingest import record_many
from tests.conftest import ADMIN, member
from tests.helpers import define

CDNOW = Path(__file__).resolve().parents[2] / "data" / "cdnow" / "CDNOW_sample.txt"

SEGMENTS = "query($asOf: DateTime) { segments(asOf: $asOf) { segment members share asOf } }"
INSIGHT = """
query($id: ID!) {
  member(id: $id) {
    insight {
      asOf pAlive churnRisk expectedActiveDays(days: 30)
      rfm { recency frequency monetary r f m segment asOf }
    }
  }
}
"""
MY_INSIGHT = "{ me { insight { churnRisk rfm { segment } } } }"
SEGMENT_MEMBERS = """
query($segment: RfmSegment, $risk: ChurnRisk, $first: Int, $after: String) {
  segmentMembers(segment: $segment, churnRisk: $risk, first: $first, after: $after) {
    edges { cursor node { id } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
CHURN_MODEL = (
    "query($asOf: DateTime) { churnModel(asOf: $asOf) { r alpha a b logLikelihood members asOf } }"
)


async def active_on(gql, who: str, days_ago: list[int], today: date) -> None:
    """One awarded interaction of `visit` on each of the given days before `today`."""
    items = [
        {
            "action": "visit",
            "memberId": who,
            "idempotencyKey": f"{who}-{days}",
            "occurredAt": datetime.combine(today - timedelta(days=days), datetime.min.time(), UTC)
            .replace(hour=12)
            .isoformat(),
        }
        for days in days_ago
    ]
    payload = await record_many(gql, items)
    assert payload["refused"] == 0, payload


@pytest.fixture
async def population(gql, drain, runtime):
    """Regulars (every 3 days), a group gone quiet 60 days ago after the same rhythm, and a
    newcomer; refreshed as of yesterday."""
    await define(gql, "visit", 10, limits=[], cooldownSeconds=0, memberReportable=False)
    today = datetime.now(UTC).date()
    for n in range(6):
        await active_on(gql, f"regular{n}", list(range(1 + n % 3, 150, 3)), today)
        await active_on(gql, f"quiet{n}", list(range(60 + n % 3, 200, 3)), today)
    await active_on(gql, "newcomer", [1], today)
    await drain()
    as_of = today - timedelta(days=1)
    refreshed = await insight.refresh(runtime.settings, as_of)
    assert refreshed.members == 13 and refreshed.fit is not None
    return as_of


async def test_a_refresh_scores_every_active_member_and_counts_the_segments(gql, population):
    body = await gql(SEGMENTS, as_=ADMIN)
    assert "errors" not in body, body
    counts = {row["segment"]: row["members"] for row in body["data"]["segments"]}
    assert sum(counts.values()) == 13 and len(counts) == 11  # every segment, zeros included
    assert abs(sum(row["share"] for row in body["data"]["segments"]) - 1) < 1e-9
    # Nobody is scored before their first active day: a date before everything has no refresh.
    before = await gql(SEGMENTS, {"asOf": "2000-01-01T00:00:00Z"}, as_=ADMIN)
    assert before["data"]["segments"] == []


async def test_insight_queries_answer_stored_refreshes_and_never_compute_one(gql, population):
    """Reads never write: a query answers from the refreshes stored by the nightly job or
    `plaudit insight refresh`, says which (`asOf`), and fits nothing itself."""
    stored = (await ChurnFit.all().count(), await MemberInsight.all().count())
    refreshed = datetime.combine(population, datetime.min.time(), UTC).isoformat()
    latest = (await gql(CHURN_MODEL, as_=ADMIN))["data"]["churnModel"]
    assert latest["asOf"] == refreshed and latest["members"] == 13
    now = datetime.now(UTC).isoformat()
    assert (await gql(CHURN_MODEL, {"asOf": now}, as_=ADMIN))["data"]["churnModel"] == latest
    counts = (await gql(SEGMENTS, as_=ADMIN))["data"]["segments"]
    assert {row["asOf"] for row in counts} == {refreshed}
    assert (await gql(SEGMENTS, {"asOf": now}, as_=ADMIN))["data"]["segments"] == counts
    # A day before any refresh has no fit and no segments; asking computes none for it.
    before = datetime.combine(population, datetime.min.time(), UTC) - timedelta(days=1)
    for query in (CHURN_MODEL, SEGMENTS):
        body = await gql(query, {"asOf": before.isoformat()}, as_=ADMIN)
        assert "errors" not in body, body
        assert body["data"] in ({"churnModel": None}, {"segments": []})
    assert (await ChurnFit.all().count(), await MemberInsight.all().count()) == stored


async def test_before_the_first_refresh_the_churn_model_is_null_and_nothing_is_fitted(gql, drain):
    await define(gql, "visit", 10, limits=[], cooldownSeconds=0, memberReportable=False)
    await active_on(gql, "ada", [1, 5, 9], datetime.now(UTC).date())
    await drain()
    body = await gql(CHURN_MODEL, as_=ADMIN)
    assert body == {"data": {"churnModel": None}}
    assert (await gql(SEGMENTS, as_=ADMIN))["data"]["segments"] == []
    assert await ChurnFit.all().count() == await MemberInsight.all().count() == 0


async def test_a_member_quiet_beyond_their_rhythm_is_at_higher_risk(gql, population):
    regular = (await gql(INSIGHT, {"id": "regular0"}, as_=ADMIN))["data"]["member"]["insight"]
    quiet = (await gql(INSIGHT, {"id": "quiet0"}, as_=ADMIN))["data"]["member"]["insight"]
    assert regular["rfm"]["recency"] == 0 and quiet["rfm"]["recency"] == 59
    assert regular["rfm"]["r"] > quiet["rfm"]["r"]
    assert regular["pAlive"] > 0.9 > 0.5 > quiet["pAlive"]
    assert quiet["churnRisk"] == "HIGH" and regular["churnRisk"] == "LOW"
    assert regular["expectedActiveDays"] > quiet["expectedActiveDays"] >= 0
    assert regular["rfm"]["frequency"] == 30 and regular["rfm"]["monetary"] == 300
    assert regular["asOf"] == regular["rfm"]["asOf"]
    assert datetime.fromisoformat(regular["asOf"]).date() == population


async def test_segment_members_page_with_cursors(gql, population):
    seen: list[str] = []
    after = None
    while True:
        body = await gql(SEGMENT_MEMBERS, {"first": 5, "after": after}, as_=ADMIN)
        page = body["data"]["segmentMembers"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 13 == len(set(seen))
    high = await gql(SEGMENT_MEMBERS, {"risk": "HIGH"}, as_=ADMIN)
    ids = {edge["node"]["id"] for edge in high["data"]["segmentMembers"]["edges"]}
    assert {f"quiet{n}" for n in range(6)} <= ids
    bad = await gql(SEGMENT_MEMBERS, {"after": "bm90LWEtY3Vyc29y"}, as_=ADMIN)
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"


async def test_only_admins_see_insight_unless_the_program_lets_members_see_their_own(
    gql, population, runtime, monkeypatch
):
    own = await gql(MY_INSIGHT, as_=member("regular0"))
    assert own["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    for query in (SEGMENTS, SEGMENT_MEMBERS, CHURN_MODEL):
        refused = await gql(query, as_=member("regular0"))
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    allowed = dataclasses.replace(runtime.settings, insight_visible_to_members=True)
    monkeypatch.setattr(runtime, "settings", allowed)
    own = await gql(MY_INSIGHT, as_=member("regular0"))
    assert own["data"]["me"]["insight"]["churnRisk"] == "LOW"
    other = await gql(INSIGHT, {"id": "quiet0"}, as_=member("regular0"))
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_insight_is_null_before_a_members_first_active_day(gql, population):
    from domain.members.members import enrol

    await enrol("lurker")
    body = await gql(INSIGHT, {"id": "lurker"}, as_=ADMIN)
    assert body["data"]["member"]["insight"] is None


# --- BG/NBD against the paper ---------------------------------------------------------------


def cdnow_calibration() -> dict[str, set[str]]:
    """Customer -> active days (yyyymmdd) up to the paper's calibration end, 1997-09-30."""
    days: dict[str, set[str]] = {}
    for line in CDNOW.read_text().splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        customer, day = fields[0], fields[2]
        if day <= "19970930":
            days.setdefault(customer, set()).add(day)
    return days


async def test_the_churn_model_reproduces_fader_hardie_and_lee_on_cdnow(gql, drain, runtime):
    """The CDNOW sample (2,357 customers) recorded through the API as interactions, aggregated
    by day, fitted as of 1997-09-30: r, alpha, a, b and the log-likelihood within 1% of the
    paper's (r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9,582.4)."""
    await define(gql, "purchase", 1, limits=[], cooldownSeconds=0, memberReportable=False)
    items = [
        {
            "action": "purchase",
            "memberId": f"cdnow-{customer}",
            "idempotencyKey": f"cdnow-{customer}-{day}",
            "occurredAt": f"{day[:4]}-{day[4:6]}-{day[6:]}T12:00:00+00:00",
        }
        for customer, days in sorted(cdnow_calibration().items())
        for day in sorted(days)
    ]
    for first in range(0, len(items), 1000):
        payload = await record_many(gql, items[first : first + 1000])
        assert payload["refused"] == 0
    await drain()
    await insight.refresh(runtime.settings, date(1997, 9, 30))

    body = await gql(CHURN_MODEL, {"asOf": "1997-09-30T18:00:00Z"}, as_=ADMIN)
    assert "errors" not in body, body
    fit = body["data"]["churnModel"]
    assert fit["members"] == 2357
    paper = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "logLikelihood": -9582.4}
    for name, expected in paper.items():
        assert fit[name] == pytest.approx(expected, rel=0.01), name
    assert fit["asOf"].startswith("1997-09-30")
    # Any moment of that day, or a later one, reads the same stored fit.
    for as_of in ("1997-09-30T23:00:00Z", "1997-10-15T00:00:00+02:00", None):
        again = await gql(CHURN_MODEL, {"asOf": as_of}, as_=ADMIN)
        assert again["data"]["churnModel"] == fit


async def test_monetary_can_sum_a_numeric_property_of_chosen_actions(gql, drain, runtime):
    await define(gql, "order", 1, limits=[], cooldownSeconds=0, memberReportable=False)
    await define(gql, "visit", 10, limits=[], cooldownSeconds=0, memberReportable=False)
    today = datetime.now(UTC).date()
    noon = datetime.combine(today - timedelta(days=2), datetime.min.time(), UTC).replace(hour=12)
    items = [
        {"action": "order", "memberId": "ada", "idempotencyKey": "o1",
         "occurredAt": noon.isoformat(), "properties": {"amount": 12.5}},
        {"action": "order", "memberId": "ada", "idempotencyKey": "o2",
         "occurredAt": noon.isoformat(), "properties": {"amount": 30}},
        {"action": "order", "memberId": "ada", "idempotencyKey": "o3",
         "occurredAt": noon.isoformat(), "properties": {"amount": "lots"}},  # not a number
        {"action": "visit", "memberId": "ada", "idempotencyKey": "v1",
         "occurredAt": noon.isoformat(), "properties": {"amount": 1000}},  # not an order
        {"action": "order", "memberId": "bob", "idempotencyKey": "o4",
         "occurredAt": (noon - timedelta(days=100)).isoformat(), "properties": {"amount": 99}},
    ]  # fmt: skip
    assert (await record_many(gql, items))["refused"] == 0
    await drain()
    settings = dataclasses.replace(
        runtime.settings, insight_monetary_property="amount", insight_monetary_actions=("order",)
    )
    await insight.refresh(settings, today - timedelta(days=1))
    ada = (await gql(INSIGHT, {"id": "ada"}, as_=ADMIN))["data"]["member"]["insight"]
    bob = (await gql(INSIGHT, {"id": "bob"}, as_=ADMIN))["data"]["member"]["insight"]
    assert ada["rfm"]["monetary"] == 42  # 12.5 + 30, rounded
    assert bob["rfm"]["monetary"] == 0  # outside the 90 days
