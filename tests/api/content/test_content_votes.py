"""Votes on content: one per member and piece whatever the races, a helpfulness bonus paid
once, an hourly limit, and the `content` leaderboard that follows approved scores both ways."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from domain.models import Content, ContentVote, LedgerEntry, LedgerReason, MemberAttempt
from gamification.content import content_score, earns_helpfulness_bonus
from tests.api.content.test_content import (
    BODY,
    VOTE,
    approved,
    body_number,
    moderate,
    submitted,
    vote,
)
from tests.helpers import codes, define

BOARD = """
query Board($period: LeaderboardPeriod!) {
  leaderboard(board: "content", period: $period) {
    board size
    entries(first: 10) { edges { node { rank score member { id } } } }
  }
}
"""


async def approved_piece(gql, who: str = "ada", body: str = BODY, key: str = "s1") -> dict:
    piece = await submitted(gql, who, body, key=key)
    return await approved(gql, piece["id"])


async def standings(gql, period: str = "ALL_TIME") -> list[tuple[str, int]]:
    body = await gql(BOARD, {"period": period})
    assert "errors" not in body, body
    edges = body["data"]["leaderboard"]["entries"]["edges"]
    return [(e["node"]["member"]["id"], e["node"]["score"]) for e in edges]


async def test_sixteen_concurrent_votes_of_one_member_count_once(gql):
    piece = await approved_piece(gql)
    results = await asyncio.gather(*(vote(gql, "bob", piece["id"], 1) for _ in range(16)))
    assert all(r["errors"] == [] for r in results)
    stored = await Content.get(id=int(piece["id"]))
    assert (stored.upvotes, stored.downvotes) == (1, 0)
    assert await ContentVote.filter(content_id=stored.id).count() == 1


async def test_voting_again_replaces_the_vote_and_zero_withdraws_it(gql):
    piece = await approved_piece(gql)
    up = (await vote(gql, "bob", piece["id"], 1))["content"]
    assert (up["upvotes"], up["downvotes"]) == (1, 0)
    down = (await vote(gql, "bob", piece["id"], -1))["content"]
    assert (down["upvotes"], down["downvotes"]) == (0, 1)
    withdrawn = (await vote(gql, "bob", piece["id"], 0))["content"]
    assert (withdrawn["upvotes"], withdrawn["downvotes"]) == (0, 0)
    assert withdrawn["score"] == piece["score"]  # back to its quality alone
    assert await ContentVote.all().count() == 0


async def test_votes_are_refused_with_stable_codes(gql):
    piece = await approved_piece(gql)
    pending = await submitted(gql, "cy", body_number(1))
    cases = [
        ("ada", piece["id"], 1, "OWN_CONTENT", ["contentId"]),
        ("bob", pending["id"], 1, "NOT_APPROVED", ["contentId"]),
        ("bob", piece["id"], 2, "INVALID_INPUT", ["value"]),
        ("bob", "424242", 1, "NOT_FOUND", ["contentId"]),
        ("bob", "nope", 1, "NOT_FOUND", ["contentId"]),
    ]
    for who, content_id, value, code, field in cases:
        payload = await vote(gql, who, content_id, value)
        assert payload["content"] is None
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)], code
    rejected = await submitted(gql, "cy", body_number(2), key="s2")
    await moderate(gql, rejected["id"], "REJECT", "SPAM")
    assert (await vote(gql, "bob", rejected["id"], 1))["errors"][0]["code"] == "NOT_APPROVED"
    assert codes(await gql(VOTE, {"id": piece["id"], "value": 1})) == ["UNAUTHENTICATED"]
    assert await ContentVote.all().count() == 0
    assert await MemberAttempt.filter(kind="vote").count() == 0  # refused votes do not count


async def test_a_hundred_votes_an_hour_then_rate_limited(gql):
    piece = await approved_piece(gql)
    await vote(gql, "bob", piece["id"], 1)  # enrols bob; one vote in the last hour
    now = datetime.now(UTC)
    await MemberAttempt.bulk_create(
        [
            MemberAttempt(member_id="bob", kind="vote", at=now - timedelta(minutes=61))
            for _ in range(150)
        ]
        + [
            MemberAttempt(member_id="bob", kind="vote", at=now - timedelta(minutes=10))
            for _ in range(98)
        ]
    )
    assert (await vote(gql, "bob", piece["id"], -1))["errors"] == []  # the 100th
    refused = await vote(gql, "bob", piece["id"], 1)
    assert [e["code"] for e in refused["errors"]] == ["RATE_LIMITED"]
    assert (await Content.get(id=int(piece["id"]))).downvotes == 1


async def test_the_helpfulness_bonus_is_paid_once(gql):
    await define(gql, "content.review", 60, memberReportable=False)
    long = BODY * 12
    media = [f"https://cdn.example/{n}.jpg" for n in range(3)]
    piece = await submitted(gql, "ada", long, mediaUrls=media)
    piece = await approved(gql, piece["id"])
    quality = (await Content.get(id=int(piece["id"]))).quality
    needed = next(
        n for n in range(1, 100) if earns_helpfulness_bonus(content_score(quality, n, 0), n, 0)
    )
    assert needed >= 5
    for n in range(needed - 1):
        await vote(gql, f"fan{n}", piece["id"], 1)
    assert await LedgerEntry.filter(reason=LedgerReason.BONUS).count() == 0
    rated = (await vote(gql, f"fan{needed - 1}", piece["id"], 1))["content"]
    assert rated["score"] >= 80
    assert rated["pointsAwarded"] == 60 + 60
    bonus = await LedgerEntry.get(reason=LedgerReason.BONUS)
    assert (bonus.member_id, bonus.amount) == ("ada", 60)
    assert bonus.source_key == f"content-bonus:{piece['id']}"
    for n in range(needed, needed + 3):
        await vote(gql, f"fan{n}", piece["id"], 1)
    await vote(gql, "fan0", piece["id"], 0)  # falls and rises again: still once
    await vote(gql, "fan0", piece["id"], 1)
    assert await LedgerEntry.filter(reason=LedgerReason.BONUS).count() == 1
    assert (await Content.get(id=int(piece["id"]))).points_awarded == 120


async def test_the_content_board_ranks_authors_by_approved_scores(gql):
    first = await approved_piece(gql, "ada", body_number(1))
    second = await approved_piece(gql, "ada", body_number(2), key="s2")
    bobs = await approved_piece(gql, "bob", "Short and sweet.")
    await submitted(gql, "cy", body_number(3))  # pending: not on the board
    ada_total = round(first["score"] + second["score"])
    assert await standings(gql) == [("ada", ada_total), ("bob", round(bobs["score"]))]
    assert await standings(gql, "WEEKLY") == await standings(gql)

    # Votes move it both ways.
    up = (await vote(gql, "cy", bobs["id"], 1))["content"]
    assert dict(await standings(gql))["bob"] == round(up["score"])
    down = (await vote(gql, "cy", bobs["id"], -1))["content"]
    assert dict(await standings(gql, "DAILY"))["bob"] == round(down["score"])

    # A taken-down piece drops out; with none left, so does its author.
    await moderate(gql, first["id"], "REJECT", "OFF_TOPIC")
    assert dict(await standings(gql))["ada"] == round(second["score"])
    await moderate(gql, second["id"], "REJECT", "OFF_TOPIC")
    assert [who for who, _ in await standings(gql, "MONTHLY")] == ["bob"]
    assert [who for who, _ in await standings(gql)] == ["bob"]
