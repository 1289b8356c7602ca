"""User-generated content over GraphQL: submitted PENDING, visible to its author and the
moderation queue, approved once (points CONTENT through the award pipeline), taken down with
what it earned reversed, and guarded against duplicates, replays and floods."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.members import profiles
from domain.models import (
    AuditRecord,
    Content,
    Interaction,
    LedgerEntry,
    LedgerReason,
    Member,
    MemberAttempt,
)
from tests.api.badges.test_badges import badge, goal, my_badges
from tests.api.rewards.test_rewards import earn, redeem, reward
from tests.api.tiers.test_tiers import tier
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import RECORD, codes, counting, define

FIELDS = """
id kind subject body mediaUrls status score upvotes downvotes pointsAwarded createdAt
moderatedAt rejectionReason author { id displayName }
"""

SUBMIT = f"""
mutation Submit($input: SubmitContentInput!) {{
  submitContent(input: $input) {{ content {{ {FIELDS} }} errors {{ code message field }} }}
}}
"""

MODERATE = f"""
mutation Moderate($input: ModerateContentInput!) {{
  moderateContent(input: $input) {{ content {{ {FIELDS} }} errors {{ code message field }} }}
}}
"""

VOTE = """
mutation Vote($id: ID!, $value: Int!) {
  voteContent(contentId: $id, value: $value) {
    content { id score upvotes downvotes pointsAwarded }
    errors { code message field }
  }
}
"""

CONTENTS = """
query Contents($status: ContentStatus, $subject: String, $order: ContentOrder, $first: Int,
               $after: String) {
  contents(status: $status, subject: $subject, order: $order, first: $first, after: $after) {
    edges { cursor node { id status score author { id displayName } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

CONTENT = "query One($id: ID!) { content(id: $id) { id status body author { id } } }"

MINE = """
query Mine($first: Int, $after: String) {
  me {
    points { balance lifetime }
    contents(first: $first, after: $after) {
      edges { node { id status } }
      pageInfo { hasNextPage endCursor }
    }
    events { edges { node { kind message points subject } } }
  }
}
"""

THEIRS = """
query Theirs($id: ID!) { member(id: $id) { contents { edges { node { id status } } } } }
"""

BODY = (
    "A sturdy kettle: it boils a litre in three minutes, the handle stays cool, and the lid "
    "opens with one thumb. After two months of daily use there is no limescale on the element."
)


async def submit(gql, who: str, body: str = BODY, key: str = "s1", **extra: Any) -> dict:
    variables = {"input": {"kind": "REVIEW", "body": body, "idempotencyKey": key, **extra}}
    response = await gql(SUBMIT, variables, as_=member(who))
    assert "errors" not in response, response
    return response["data"]["submitContent"]


async def submitted(gql, who: str, body: str = BODY, key: str = "s1", **extra: Any) -> dict:
    """Submit and return the piece, which must have been accepted."""
    payload = await submit(gql, who, body, key, **extra)
    assert payload["errors"] == [], payload
    return payload["content"]


async def moderate(gql, content_id: str, decision: str, reason: str | None = None) -> dict:
    variables = {
        "input": {"contentId": content_id, "decision": decision, "rejectionReason": reason}
    }
    response = await gql(MODERATE, variables, as_=ADMIN)
    assert "errors" not in response, response
    return response["data"]["moderateContent"]


async def approved(gql, content_id: str) -> dict:
    payload = await moderate(gql, content_id, "APPROVE")
    assert payload["errors"] == [], payload
    return payload["content"]


async def vote(gql, who: str, content_id: str, value: int) -> dict:
    response = await gql(VOTE, {"id": content_id, "value": value}, as_=member(who))
    assert "errors" not in response, response
    return response["data"]["voteContent"]


async def listed(gql, who: tuple[str, str] | None = None, **variables: Any) -> list[str]:
    response = await gql(CONTENTS, variables, as_=who)
    assert "errors" not in response, response
    return [edge["node"]["id"] for edge in response["data"]["contents"]["edges"]]


async def mine(gql, who: str) -> dict:
    response = await gql(MINE, as_=member(who))
    assert "errors" not in response, response
    me: dict = response["data"]["me"]
    return me


def body_number(n: int) -> str:
    """Distinct texts (each one is its own piece, never a duplicate)."""
    return f"Review number {n}: {BODY}"


# --- the lifecycle ------------------------------------------------------------------------------


async def test_a_review_is_pending_until_approved_then_earns_its_author_content_points(gql, drain):
    await define(gql, "content.review", 100, memberReportable=False)
    await tier(gql, "gold", 100, multiplier=1.5)
    await earn(gql, drain, "ada", 100)  # gold: content points are multiplied by 1.5
    await badge(gql, "first.review", [goal("CONTENT_APPROVED", 1)])

    piece = await submitted(
        gql, "ada", subject="kettle-42", mediaUrls=["https://cdn.example/k.jpg"]
    )
    assert (piece["status"], piece["kind"], piece["subject"]) == ("PENDING", "REVIEW", "kettle-42")
    assert piece["mediaUrls"] == ["https://cdn.example/k.jpg"]
    assert (piece["upvotes"], piece["downvotes"], piece["pointsAwarded"]) == (0, 0, 0)
    assert 0 < piece["score"] <= 40  # the votes' 60% is still to earn
    assert piece["author"]["id"] == "ada"
    assert piece["moderatedAt"] is None

    # Pending: the author and the admin see it, another member does not.
    assert (await gql(CONTENT, {"id": piece["id"]}, as_=member("bob")))["data"]["content"] is None
    assert await listed(gql, member("bob")) == []
    assert [n["node"]["id"] for n in (await mine(gql, "ada"))["contents"]["edges"]] == [piece["id"]]
    assert await listed(gql, ADMIN, status="PENDING") == [piece["id"]]

    done = await approved(gql, piece["id"])
    assert done["status"] == "APPROVED" and done["moderatedAt"] is not None
    assert done["pointsAwarded"] == 150
    entry = await LedgerEntry.get(member_id="ada", reason=LedgerReason.CONTENT)
    assert entry.amount == 150
    interaction = await Interaction.get(member_id="ada", action_key="content.review")
    assert entry.source_key == f"interaction:{interaction.id}"
    assert interaction.idempotency_key == f"content:{piece['id']}"
    assert interaction.properties == {"contentId": piece["id"]}

    ada = await mine(gql, "ada")
    assert ada["points"]["balance"] == 100 + 150
    moderated = [
        e["node"] for e in ada["events"]["edges"] if e["node"]["kind"] == "CONTENT_MODERATED"
    ]
    assert moderated == [
        {
            "kind": "CONTENT_MODERATED",
            "message": "Your review was approved",
            "points": 150,
            "subject": piece["id"],
        }
    ]
    earned = {status["badge"]["key"]: status["earned"] for status in await my_badges(gql, "ada")}
    assert earned["first.review"] is True
    assert (await Member.get(id="ada")).content_approved == 1
    assert await listed(gql, member("bob")) == [piece["id"]]
    assert await listed(gql) == [piece["id"]]  # approved content is public
    assert await listed(gql, ADMIN, status="PENDING") == []

    # Votes move the score.
    up = (await vote(gql, "bob", piece["id"], 1))["content"]
    assert up["upvotes"] == 1 and up["score"] > done["score"]
    down = (await vote(gql, "cy", piece["id"], -1))["content"]
    assert (down["upvotes"], down["downvotes"]) == (1, 1) and down["score"] < up["score"]

    # A takedown: the piece disappears for others, and what it earned is taken back.
    gone = await moderate(gql, piece["id"], "REJECT", "OFF_TOPIC")
    assert gone["errors"] == []
    assert (gone["content"]["status"], gone["content"]["rejectionReason"]) == (
        "REJECTED",
        "OFF_TOPIC",
    )
    assert gone["content"]["pointsAwarded"] == 0
    assert await listed(gql, member("bob")) == []
    assert (await mine(gql, "ada"))["points"]["balance"] == 100
    assert (await Member.get(id="ada")).content_approved == 0
    assert await AuditRecord.filter(operation="moderateContent").count() == 2


async def test_the_moderation_queue_lists_pending_pieces_oldest_first_in_pages(gql):
    ids = [(await submitted(gql, f"m{n}", key="q"))["id"] for n in range(5)]
    first = await gql(CONTENTS, {"status": "PENDING", "first": 2}, as_=ADMIN)
    page = first["data"]["contents"]
    assert [e["node"]["id"] for e in page["edges"]] == ids[:2]
    assert page["pageInfo"]["hasNextPage"] is True
    after = page["pageInfo"]["endCursor"]
    rest = await listed(gql, ADMIN, status="PENDING", first=10, after=after)
    assert rest == ids[2:]
    # Every status, newest first, for the admin; a queue cursor is not one of this list.
    assert await listed(gql, ADMIN) == ids[::-1]
    wrong = await gql(CONTENTS, {"after": after}, as_=ADMIN)
    assert codes(wrong) == ["INVALID_CURSOR"]


async def test_members_see_approved_content_and_their_own_in_every_status(gql):
    theirs = await submitted(gql, "bob", body_number(1))
    public = await submitted(gql, "bob", body_number(2), key="s2")
    own = await submitted(gql, "ada", body_number(3))
    await approved(gql, public["id"])
    assert await listed(gql, member("ada")) == [own["id"], public["id"]]
    assert await listed(gql, member("ada"), status="PENDING") == [own["id"]]
    assert await listed(gql) == [public["id"]]  # anonymous: approved only
    assert await listed(gql, SERVICE) == [public["id"]]
    assert await listed(gql, ADMIN) == [own["id"], public["id"], theirs["id"]]
    for who, visible in ((member("ada"), False), (ADMIN, True), (None, False)):
        found = (await gql(CONTENT, {"id": theirs["id"]}, as_=who))["data"]["content"]
        assert (found is not None) is visible, who
    assert (await gql(CONTENT, {"id": "not-an-id"}, as_=ADMIN))["data"]["content"] is None
    # Member.contents: every status for the member and ADMIN, approved only for SERVICE.
    as_admin = await gql(THEIRS, {"id": "bob"}, as_=ADMIN)
    assert [e["node"]["id"] for e in as_admin["data"]["member"]["contents"]["edges"]] == [
        public["id"],
        theirs["id"],
    ]
    as_service = await gql(THEIRS, {"id": "bob"}, as_=SERVICE)
    assert [e["node"]["id"] for e in as_service["data"]["member"]["contents"]["edges"]] == [
        public["id"]
    ]


async def test_contents_filter_on_subject_and_order_by_score(gql):
    long = await submitted(gql, "ada", BODY * 8, subject="kettle", key="long")
    short = await submitted(gql, "bob", "Fine kettle.", subject="kettle")
    other = await submitted(gql, "cy", body_number(1), subject="toaster")
    for piece in (long, short, other):
        await approved(gql, piece["id"])
    assert await listed(gql, subject="kettle") == [short["id"], long["id"]]
    top = await gql(CONTENTS, {"order": "TOP", "first": 2})
    page = top["data"]["contents"]
    scores = [e["node"]["score"] for e in page["edges"]]
    assert scores == sorted(scores, reverse=True)
    assert page["edges"][0]["node"]["id"] == long["id"]
    after = page["pageInfo"]["endCursor"]
    rest = await listed(gql, order="TOP", first=2, after=after)
    assert len(rest) == 1 and rest[0] not in [e["node"]["id"] for e in page["edges"]]
    assert codes(await gql(CONTENTS, {"order": "TOP", "after": "bm9wZQ"})) == ["INVALID_CURSOR"]
    assert await listed(gql, subject="x" * 201) == []  # longer than any subject can be


async def test_a_page_of_content_loads_its_authors_in_constant_queries(gql):
    async def statements(authors: int) -> int:
        profiles.cache.clear()
        with counting() as counter:
            body = await gql(CONTENTS, {"first": 50}, as_=ADMIN)
        assert len(body["data"]["contents"]["edges"]) == authors
        return len(counter.statements)

    for n in range(2):
        await submitted(gql, f"a{n}", key="k")
    small = await statements(2)
    for n in range(2, 12):
        await submitted(gql, f"a{n}", key="k")
    assert await statements(12) == small <= 3


# --- submissions ------------------------------------------------------------------------------


async def test_invalid_submissions_are_refused_naming_the_field(gql):
    cases = [
        ({"body": "   "}, ["input", "body"]),
        ({"body": "x" * 10_001}, ["input", "body"]),
        ({"subject": " "}, ["input", "subject"]),
        ({"mediaUrls": ["ftp://example.com/a.jpg"]}, ["input", "mediaUrls", "0"]),
        (
            {"mediaUrls": [f"https://cdn.example/{n}.jpg" for n in range(11)]},
            ["input", "mediaUrls"],
        ),
        ({"idempotencyKey": ""}, ["input", "idempotencyKey"]),
    ]
    for extra, field in cases:
        variables = {"input": {"kind": "REVIEW", "body": BODY, "idempotencyKey": "k", **extra}}
        payload = (await gql(SUBMIT, variables, as_=member("ada")))["data"]["submitContent"]
        assert payload["content"] is None, extra
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID_INPUT", field)]
    assert await Content.all().count() == 0
    bad_kind = {"input": {"kind": "ESSAY", "body": BODY, "idempotencyKey": "k"}}
    assert codes(await gql(SUBMIT, bad_kind, as_=member("ada"))) == ["GRAPHQL_VALIDATION_FAILED"]
    refused = await gql(SUBMIT, {"input": {"kind": "REVIEW", "body": BODY, "idempotencyKey": "k"}})
    assert codes(refused) == ["UNAUTHENTICATED"]
    as_admin = await gql(
        SUBMIT, {"input": {"kind": "REVIEW", "body": BODY, "idempotencyKey": "k"}}, as_=ADMIN
    )
    assert codes(as_admin) == ["FORBIDDEN"]


async def test_the_same_text_again_is_a_duplicate_whatever_its_case_and_spacing(gql):
    await submitted(gql, "ada", "Great kettle, boils fast.")
    for n, variant in enumerate(["great KETTLE,   boils fast.", "  Great kettle,\nboils fast. "]):
        payload = await submit(gql, "ada", variant, key=f"v{n}")
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [
            ("DUPLICATE", ["input", "body"])
        ]
    # Another member may say the same thing.
    assert (await submit(gql, "bob", "Great kettle, boils fast."))["errors"] == []
    # A rejected piece still counts: resubmitting it is refused too.
    rejected = await submitted(gql, "cy", "Spam spam spam.")
    await moderate(gql, rejected["id"], "REJECT", "SPAM")
    assert (await submit(gql, "cy", "SPAM spam spam.", key="again"))["errors"][0]["code"] == (
        "DUPLICATE"
    )


async def test_replaying_an_idempotency_key_returns_the_first_piece(gql):
    first = await submitted(gql, "ada", key="same")
    again = await submitted(gql, "ada", key="same")
    assert again["id"] == first["id"]
    racing = await asyncio.gather(
        *(submit(gql, "ada", body_number(9), key="race") for _ in range(8))
    )
    assert {r["errors"] == [] for r in racing} == {True}
    assert len({r["content"]["id"] for r in racing}) == 1
    other = await submit(gql, "ada", "Something else entirely.", key="same")
    assert [e["code"] for e in other["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    assert await Content.filter(author_id="ada").count() == 2
    assert await MemberAttempt.filter(member_id="ada").count() == 2  # replays are not attempts


async def test_twenty_submissions_an_hour_then_rate_limited(gql):
    for n in range(20):
        await submitted(gql, "ada", body_number(n), key=f"k{n}")
    refused = await submit(gql, "ada", body_number(20), key="k20")
    assert [e["code"] for e in refused["errors"]] == ["RATE_LIMITED"]
    assert await Content.filter(author_id="ada").count() == 20
    assert (await submit(gql, "bob", body_number(20), key="k20"))["errors"] == []


async def test_submissions_older_than_an_hour_do_not_count(gql):
    await submitted(gql, "ada", body_number(0), key="first")  # enrols ada
    now = datetime.now(UTC)
    old = [
        MemberAttempt(member_id="ada", kind="content-submitted", at=now - timedelta(minutes=61))
        for _ in range(30)
    ]
    await MemberAttempt.bulk_create(old)
    assert (await submit(gql, "ada", body_number(1), key="k1"))["errors"] == []
    recent = [
        MemberAttempt(member_id="ada", kind="content-submitted", at=now - timedelta(minutes=30))
        for _ in range(18)
    ]
    await MemberAttempt.bulk_create(recent)  # 2 + 18 in the last hour
    refused = await submit(gql, "ada", body_number(2), key="k2")
    assert [e["code"] for e in refused["errors"]] == ["RATE_LIMITED"]


async def test_auto_approve_approves_and_credits_at_once(gql, runtime):
    await define(gql, "content.review", 40, memberReportable=False)
    settings = runtime.settings
    runtime.settings = dataclasses.replace(settings, content_auto_approve=True)
    try:
        piece = await submitted(gql, "ada")
    finally:
        runtime.settings = settings
    assert (piece["status"], piece["pointsAwarded"]) == ("APPROVED", 40)
    assert (await mine(gql, "ada"))["points"]["balance"] == 40
    record = await AuditRecord.get(operation="moderateContent")
    assert record.actor == "system"
    later = await submitted(gql, "ada", body_number(1), key="later")
    assert later["status"] == "PENDING"


# --- moderation -------------------------------------------------------------------------------


async def test_rejecting_needs_a_reason_and_a_rejection_is_final(gql):
    piece = await submitted(gql, "ada")
    for reason in (None, "BORING"):
        payload = await moderate(gql, piece["id"], "REJECT", reason)
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [
            ("INVALID_INPUT", ["input", "rejectionReason"])
        ]
    rejected = await moderate(gql, piece["id"], "REJECT", "LOW_QUALITY")
    assert rejected["content"]["status"] == "REJECTED"
    events = [e["node"] for e in (await mine(gql, "ada"))["events"]["edges"]]
    assert [(e["kind"], e["subject"]) for e in events] == [("CONTENT_MODERATED", piece["id"])]
    assert "LOW_QUALITY" in events[0]["message"]
    again = await moderate(gql, piece["id"], "REJECT", "SPAM")
    assert again["errors"] == [] and again["content"]["rejectionReason"] == "LOW_QUALITY"
    final = await moderate(gql, piece["id"], "APPROVE")
    assert [e["code"] for e in final["errors"]] == ["ALREADY_MODERATED"]
    assert await AuditRecord.filter(target=f"content:{piece['id']}").count() == 1
    missing = await moderate(gql, "999999", "APPROVE")
    assert [(e["code"], e["field"]) for e in missing["errors"]] == [
        ("NOT_FOUND", ["input", "contentId"])
    ]
    as_member = await gql(
        MODERATE, {"input": {"contentId": piece["id"], "decision": "APPROVE"}}, as_=member("ada")
    )
    assert codes(as_member) == ["FORBIDDEN"]


async def test_approving_twice_credits_once(gql):
    await define(gql, "content.review", 25, memberReportable=False)
    piece = await submitted(gql, "ada")
    await approved(gql, piece["id"])
    again = await approved(gql, piece["id"])
    assert again["pointsAwarded"] == 25
    assert await LedgerEntry.filter(member_id="ada").count() == 1
    assert await AuditRecord.filter(operation="moderateContent").count() == 1


async def test_without_a_content_action_approval_credits_nothing_but_still_counts(gql):
    piece = await submitted(gql, "ada")
    done = await approved(gql, piece["id"])
    assert (done["status"], done["pointsAwarded"]) == ("APPROVED", 0)
    assert await LedgerEntry.filter(member_id="ada").count() == 0
    assert (await Member.get(id="ada")).content_approved == 1


async def test_a_takedown_after_the_points_were_spent_reverses_what_is_left(gql, drain):
    await define(gql, "content.review", 100, memberReportable=False)
    piece = await submitted(gql, "ada")
    await approved(gql, piece["id"])
    await reward(gql, "mug", 80)
    assert (await redeem(gql, "ada", "r1"))["errors"] == []
    assert (await mine(gql, "ada"))["points"]["balance"] == 20

    gone = await moderate(gql, piece["id"], "REJECT", "ABUSIVE")
    assert gone["errors"] == [] and gone["content"]["status"] == "REJECTED"
    assert gone["content"]["pointsAwarded"] == 80  # what the author kept
    reversal = await LedgerEntry.get(member_id="ada", reason=LedgerReason.REVERSAL)
    assert reversal.amount == -20
    assert reversal.source_key == f"content-takedown:{piece['id']}"
    assert "80 points already spent, not recovered" in reversal.description
    assert reversal.balance_after == 0
    assert (await mine(gql, "ada"))["points"]["balance"] == 0

    again = await moderate(gql, piece["id"], "REJECT", "ABUSIVE")
    assert again["errors"] == [] and again["content"]["pointsAwarded"] == 80
    assert await LedgerEntry.filter(member_id="ada", reason=LedgerReason.REVERSAL).count() == 1
    records = await AuditRecord.filter(target=f"content:{piece['id']}").order_by("id")
    assert [(r.before["status"], r.after["status"]) for r in records] == [
        ("PENDING", "APPROVED"),
        ("APPROVED", "REJECTED"),
    ]
    assert records[1].after["pointsAwarded"] == 80
    total = sum(e.amount for e in await LedgerEntry.filter(member_id="ada"))
    assert total == (await Member.get(id="ada")).balance == 0


async def test_content_actions_are_never_reported_as_interactions(gql):
    """Only moderation credits `content.*` actions: not a member, not a service, whatever the
    action's memberReportable says (and an admin token records no interactions at all)."""
    await define(gql, "content.review", 100, memberReportable=True)
    for who, extra in ((member("ada"), {}), (SERVICE, {"memberId": "ada"})):
        variables = {"input": {"action": "content.review", "idempotencyKey": "x", **extra}}
        payload = (await gql(RECORD, variables, as_=who))["data"]["recordInteraction"]
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [
            ("FORBIDDEN", ["input", "action"])
        ], who
    variables = {"input": {"action": "content.review", "idempotencyKey": "x", "memberId": "ada"}}
    assert codes(await gql(RECORD, variables, as_=ADMIN)) == ["FORBIDDEN"]
    assert await Interaction.all().count() == 0


async def test_a_body_of_ten_thousand_characters_is_accepted_with_spaces_around_it(gql):
    long = " " * 50 + "x" * 10_000 + "\n" * 50
    piece = await submitted(gql, "ada", body=long)
    assert len(piece["body"]) == 10_000
    payload = await submit(gql, "ada", body="y" * 10_001, key="s2")
    assert [e["code"] for e in payload["errors"]] == ["INVALID_INPUT"]


async def test_a_client_cannot_take_the_idempotency_key_moderation_credits_under(gql):
    await define(gql, "review.posted", 10)
    payload = await gql(
        RECORD,
        {"input": {"action": "review.posted", "idempotencyKey": "content:1"}},
        as_=member("ada"),
    )
    errors = payload["data"]["recordInteraction"]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [
        ("INVALID_INPUT", ["input", "idempotencyKey"])
    ]
    assert await Interaction.all().count() == 0
