"""A member with something in every table that can hold a member's data, made through the real
API and jobs (the archive and campaign rows through the domain, as their jobs would): what the
export and erasure tests read and erase.

Ids and names are distinctive, so that finding them anywhere (a table, a Redis key) means they
were left there, not that another word happens to contain them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.insight import refresh as insight
from domain.leaderboards import archives
from domain.members.members import default_display_name
from domain.models import Campaign, CampaignMember, StreakFrozenDay
from domain.runtime import Runtime
from tests.api.badges.test_badges import AWARD_BADGE, badge, goal
from tests.api.challenges.test_challenges import challenge, enroll
from tests.api.content.test_content import approved, submitted, vote
from tests.api.questionnaires.common import answers as questionnaire_answers
from tests.api.questionnaires.common import submit as submit_answers
from tests.api.questionnaires.common import upsert as upsert_questionnaire
from tests.api.referrals.test_referrals import code_of, convert, converting_on, refer
from tests.api.rewards.test_rewards import CANCEL, redeem, reward
from tests.api.webhooks.common import allow_local_webhooks, create_endpoint
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import define, record

ADA = "ada-q7x4k"
ADA_NAME = "Adelheid Quorrinsky"
BOB = "bob-z3m8w"
CY = "cy-v5n2p"
DAN = "dan-h6t1r"
# A reason an admin types about the member: their name ends up in the audit log and ledger.
ADJUSTMENT_REASON = f"Goodwill for {ADA_NAME}"
CANCEL_REASON = f"{ADA_NAME} changed her mind"

UPDATE_PROFILE = """
mutation Profile($input: UpdateProfileInput!) {
  updateProfile(input: $input) { member { id displayName } errors { code message field } }
}
"""
ADJUST = """
mutation Adjust($input: AdjustPointsInput!) {
  adjustPoints(input: $input) { entry { id } errors { code message field } }
}
"""


@dataclass(frozen=True)
class World:
    member_id: str
    names: tuple[str, ...]  # every name the member went by, and the one derived from their id
    content_ids: tuple[str, ...]


async def ok(gql: Any, document: str, variables: dict[str, Any], who: tuple[str, str]) -> Any:
    body = await gql(document, variables, as_=who)
    assert "errors" not in body, body
    [payload] = body["data"].values()
    assert payload["errors"] == [], payload
    return payload


async def rich_member(gql: Any, drain: Any, runtime: Runtime, monkeypatch: Any) -> World:
    """ADA, with a profile, interactions (with properties), a ledger of every kind, redemptions
    (one cancelled), badges (one awarded by hand), a completed challenge, streaks, referrals both
    ways (converted, and one of hers still pending), content (approved and voted on, and
    pending), votes, questionnaire answers (a text among them), events, insight rows, a
    campaign draw, a frozen streak day, counted attempts, board scores in the database and
    Redis, archived tops, audit records and webhook messages and deliveries."""
    allow_local_webhooks(monkeypatch, runtime)
    # Nothing listens there: deliveries are stored, and their attempts fail at once.
    await create_endpoint(gql, "http://127.0.0.1:9/hooks")

    await define(gql, "review.posted", 10, limits=[{"period": "DAY", "max": 5}])
    await define(gql, "content.review", 15, memberReportable=False)
    await badge(gql, "first.review", [goal("ACTION_COUNT", 1, "review.posted")], rewardPoints=5)
    await badge(gql, "handpicked", [goal("ACTION_COUNT", 50, "review.posted")])
    await challenge(
        gql, "sprint", goals=[goal("ACTION_COUNT", 2, "review.posted")], rewardPoints=20
    )
    await reward(gql, "mug", cost=10)
    await converting_on(gql, "order.first")

    await ok(
        gql,
        UPDATE_PROFILE,
        {"input": {"displayName": ADA_NAME, "avatarUrl": "https://cdn.example.com/adelheid.png"}},
        member(ADA),
    )
    # Referrals both ways: CY brought ADA, ADA brought BOB (both converted) and DAN (not yet).
    await refer(gql, CY, ADA)
    await refer(gql, ADA, BOB)
    await code_of(gql, DAN)
    await refer(gql, ADA, DAN)

    await enroll(gql, ADA, "sprint")
    for n in range(3):
        extra = {"properties": {"note": f"{ADA_NAME}'s kettle, take {n}"}}
        await record(gql, member(ADA), action="review.posted", key=f"ada-review-{n}", **extra)
    await record(gql, SERVICE, action="review.posted", memberId=BOB, key="bob-review-0")
    await drain()
    await convert(gql, drain, ADA, key="ada-order")
    await convert(gql, drain, BOB, key="bob-order")

    await ok(gql, AWARD_BADGE, {"memberId": ADA, "badgeKey": "handpicked"}, ADMIN)
    credit = {"memberId": ADA, "amount": 100, "reason": ADJUSTMENT_REASON, "idempotencyKey": "gw"}
    await ok(gql, ADJUST, {"input": credit}, ADMIN)
    kept = await redeem(gql, ADA, "ada-mug-1")
    assert kept["errors"] == [], kept
    cancelled = await redeem(gql, ADA, "ada-mug-2")
    cancel = {"input": {"redemptionId": cancelled["redemption"]["id"], "reason": CANCEL_REASON}}
    await ok(gql, CANCEL, cancel, ADMIN)

    body = f"{ADA_NAME} here: the kettle boils a litre in three minutes and the lid opens easily."
    mine = await submitted(gql, ADA, body, key="ada-piece", subject="kettle-42")
    await approved(gql, mine["id"])
    theirs = await submitted(gql, BOB, "Bob's honest review of the kettle: fast, quiet, solid.")
    await approved(gql, theirs["id"])
    assert (await vote(gql, BOB, mine["id"], 1))["errors"] == []
    assert (await vote(gql, ADA, theirs["id"], 1))["errors"] == []
    waiting = await submitted(gql, ADA, f"A second word from {ADA_NAME}.", key="ada-piece-2")
    await upsert_questionnaire(gql, completionAction="review.posted")
    given = questionnaire_answers(wish=f"Stock {ADA_NAME}'s favourite gels")
    assert (await submit_answers(gql, member(ADA), given, key="ada-answers"))["errors"] == []
    await drain()

    now = datetime.now(UTC)
    await insight.refresh(runtime.settings, now.date())
    campaign = await Campaign.create(
        key="winback",
        name="Win back",
        message="We miss you",
        target={},
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
        created_at=now,
        updated_at=now,
    )
    await CampaignMember.create(campaign=campaign, member_id=ADA, held_out=False, decided_at=now)
    # A missed day a streak freeze covered, as the award pipeline stores it.
    yesterday = (now - timedelta(days=1)).date().isoformat()
    await StreakFrozenDay.create(member_id=ADA, day=yesterday, created_at=now)
    # Every current period archived as if it had closed (a month from now).
    await archives.archive_closed(now + timedelta(days=40), runtime.settings.tz, 100)
    return World(ADA, (ADA_NAME, default_display_name(ADA)), (mine["id"], waiting["id"]))
