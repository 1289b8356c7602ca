"""Challenges over GraphQL: a window, enrolment within a cap, progress, one completion, a board."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from domain.interactions import record as interactions
from domain.leaderboards import scores as leaderboards
from domain.models import (
    AuditRecord,
    Challenge,
    ChallengeParticipant,
    Interaction,
    LeaderboardScore,
    LedgerEntry,
    LedgerReason,
    MemberBadge,
)
from tests.api.badges.test_badges import badge, goal, my_badges
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import codes, define, define_goal_actions, record

CHALLENGE_FIELDS = """
key name description startsAt endsAt goals { metric action target } rewardPoints
rewardBadge { key name } requiresEnrollment maxParticipants status participants completions
recurrence hidden
"""

UPSERT_CHALLENGE = f"""
mutation Upsert($input: UpsertChallengeInput!) {{
  upsertChallenge(input: $input) {{
    challenge {{ {CHALLENGE_FIELDS} }}
    errors {{ code message field }}
  }}
}}
"""

CHALLENGES = """
query Challenges($status: ChallengeStatus) { challenges(status: $status) { key status } }
"""

PROGRESS_FIELDS = """
challenge { key status participants } enrolled enrolledAt
progress { goal { metric action target } current completed } completed completedAt
"""

ENROLL = f"""
mutation Enroll($key: String!) {{
  enrollInChallenge(challengeKey: $key) {{
    progress {{ {PROGRESS_FIELDS} }}
    errors {{ code message field }}
  }}
}}
"""

MY_CHALLENGES = f"""
query Mine($status: ChallengeStatus) {{
  me {{ challenges(status: $status) {{ {PROGRESS_FIELDS} }} }}
}}
"""

BOARD = """
query Board($board: String!, $period: LeaderboardPeriod!) {
  leaderboard(board: $board, period: $period) {
    board period size
    entries(first: 10) { edges { node { rank score member { id } } } }
    around(radius: 1) { rank score member { id } }
  }
}
"""


def moment(**delta) -> datetime:
    return (datetime.now(UTC) + timedelta(**delta)).replace(microsecond=0)


def challenge_input(
    key: str = "sprint",
    starts: datetime | None = None,
    ends: datetime | None = None,
    goals: list[dict] | None = None,
    **extra,
) -> dict:
    return {
        "key": key,
        "name": key.title(),
        "startsAt": (starts or moment(hours=-1)).isoformat(),
        "endsAt": (ends or moment(days=7)).isoformat(),
        "goals": goals if goals is not None else [goal("ACTION_COUNT", 2, "review.posted")],
        **extra,
    }


async def upsert(gql, key: str = "sprint", **kwargs) -> dict:
    variables = {"input": challenge_input(key, **kwargs)}
    await define_goal_actions(gql, variables["input"]["goals"])
    body = await gql(UPSERT_CHALLENGE, variables, as_=ADMIN)
    assert "errors" not in body, body
    return body["data"]["upsertChallenge"]


async def challenge(gql, key: str = "sprint", **kwargs) -> dict:
    payload = await upsert(gql, key, **kwargs)
    assert payload["errors"] == [], payload
    return payload["challenge"]


async def enroll(gql, who: str, key: str = "sprint") -> dict:
    body = await gql(ENROLL, {"key": key}, as_=member(who))
    assert "errors" not in body, body
    return body["data"]["enrollInChallenge"]


async def mine(gql, who: str = "ada", status: str | None = None) -> list[dict]:
    body = await gql(MY_CHALLENGES, {"status": status}, as_=member(who))
    assert "errors" not in body, body
    return body["data"]["me"]["challenges"]


async def review(gql, who: str, key: str, at: datetime | None = None) -> None:
    extra = {"occurredAt": at.isoformat()} if at else {}
    await record(gql, SERVICE, action="review.posted", memberId=who, key=key, **extra)


def errors(payload: dict) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["errors"]]


# --- definitions --------------------------------------------------------------------------------


async def test_an_admin_defines_a_challenge_and_everybody_lists_it(gql):
    await badge(gql, "sprinter")
    starts, ends = moment(hours=-1), moment(days=7)
    created = await challenge(
        gql,
        starts=starts,
        ends=ends,
        description="Two reviews this week",
        rewardPoints=150,
        rewardBadgeKey="sprinter",
        requiresEnrollment=True,
        maxParticipants=100,
    )
    assert created == {
        "key": "sprint",
        "name": "Sprint",
        "description": "Two reviews this week",
        "startsAt": starts.isoformat(),
        "endsAt": ends.isoformat(),
        "goals": [{"metric": "ACTION_COUNT", "action": "review.posted", "target": 2}],
        "rewardPoints": 150,
        "rewardBadge": {"key": "sprinter", "name": "Sprinter"},
        "requiresEnrollment": True,
        "maxParticipants": 100,
        "status": "ACTIVE",
        "participants": 0,
        "completions": 0,
        "recurrence": "NONE",
        "hidden": False,
    }
    assert await AuditRecord.filter(target="challenge:sprint").count() == 1
    for who in (member("ada"), ADMIN, None):
        body = await gql(CHALLENGES, as_=who)
        assert body["data"]["challenges"] == [{"key": "sprint", "status": "ACTIVE"}]


async def test_the_status_filter_of_challenges_and_of_a_members_challenges(gql, drain):
    await define(gql, "review.posted", 10, memberReportable=False)
    await challenge(gql, "soon", starts=moment(days=1), ends=moment(days=8))
    await challenge(gql, "now", starts=moment(hours=-1), ends=moment(days=2))
    await challenge(gql, "past", starts=moment(days=-9), ends=moment(days=-2))
    await challenge(gql, "shelved", starts=moment(hours=-1), ends=moment(days=3), archived=True)

    async def listed(status):
        body = await gql(CHALLENGES, {"status": status})
        return [(c["key"], c["status"]) for c in body["data"]["challenges"]]

    assert await listed("SCHEDULED") == [("soon", "SCHEDULED")]
    assert await listed("ACTIVE") == [("now", "ACTIVE")]
    assert await listed("ENDED") == [("past", "ENDED")]
    assert await listed("ARCHIVED") == [("shelved", "ARCHIVED")]
    assert [key for key, _ in await listed(None)] == ["past", "now", "shelved", "soon"]

    await enroll(gql, "ada", "soon")
    await review(gql, "ada", "r1")  # counts for "now" (no enrolment required)
    await review(gql, "ada", "r0", moment(days=-5))  # counts for "past"
    await drain()

    assert [c["challenge"]["key"] for c in await mine(gql)] == ["past", "now", "soon"]
    for status, key in (("SCHEDULED", "soon"), ("ACTIVE", "now"), ("ENDED", "past")):
        found = await mine(gql, status=status)
        assert [(c["challenge"]["key"], c["challenge"]["status"]) for c in found] == [(key, status)]
    assert await mine(gql, status="ARCHIVED") == []
    now = (await mine(gql, status="ACTIVE"))[0]
    assert (now["enrolled"], now["enrolledAt"]) == (False, None)  # progress, no enrolment
    assert now["progress"][0]["current"] == 1


async def test_the_goals_of_a_started_challenge_cannot_change_but_the_rest_can(gql):
    await challenge(gql, "later", starts=moment(days=1), ends=moment(days=3))
    changed = await challenge(
        gql, "later", starts=moment(days=1), ends=moment(days=3), goals=[goal("ACTIVE_DAYS", 2)]
    )
    assert changed["goals"] == [{"metric": "ACTIVE_DAYS", "action": None, "target": 2}]

    starts = moment(hours=-1)
    await challenge(gql, starts=starts)
    refused = await upsert(gql, starts=starts, goals=[goal("ACTION_COUNT", 5, "review.posted")])
    assert refused["challenge"] is None
    assert errors(refused) == [("INVALID_INPUT", ["input", "goals"])]
    moved = await upsert(gql, starts=moment(hours=-2))
    assert errors(moved) == [("INVALID_INPUT", ["input", "startsAt"])]
    extended = await challenge(gql, starts=starts, ends=moment(days=30), rewardPoints=99)
    assert extended["rewardPoints"] == 99
    stored = await Challenge.get(key="sprint")
    assert stored.goals == [{"metric": "ACTION_COUNT", "action": "review.posted", "target": 2}]


async def test_invalid_challenges_are_user_errors_with_field_paths_and_change_nothing(gql):
    await define(gql, "review.posted")
    starts = moment(days=1)
    cases = [
        ({"key": "Bad Key"}, "INVALID_INPUT", ["input", "key"]),
        ({"name": ""}, "INVALID_INPUT", ["input", "name"]),
        ({"endsAt": starts.isoformat()}, "INVALID_INPUT", ["input", "endsAt"]),
        ({"endsAt": (starts + timedelta(days=400)).isoformat()}, "INVALID_INPUT",
         ["input", "endsAt"]),
        ({"goals": []}, "INVALID_INPUT", ["input", "goals"]),
        ({"goals": [goal("STREAK_DAYS", 0)]}, "INVALID_INPUT", ["input", "goals", "0", "target"]),
        ({"rewardPoints": -5}, "INVALID_INPUT", ["input", "rewardPoints"]),
        ({"maxParticipants": 0}, "INVALID_INPUT", ["input", "maxParticipants"]),
        ({"rewardBadgeKey": "nope"}, "NOT_FOUND", ["input", "rewardBadgeKey"]),
        ({"goals": [goal("ACTION_COUNT", 1, "review.posted"), goal("ACTIVE_DAYS", 1, "typo")]},
         "NOT_FOUND", ["input", "goals", "1", "action"]),
    ]  # fmt: skip
    for change, code, field in cases:
        variables = {"input": {**challenge_input(starts=starts, ends=moment(days=3)), **change}}
        body = await gql(UPSERT_CHALLENGE, variables, as_=ADMIN)
        assert "errors" not in body, body
        payload = body["data"]["upsertChallenge"]
        assert payload["challenge"] is None, change
        assert errors(payload) == [(code, field)], change
    # A date-time without a UTC offset does not even reach the resolver (the DateTime scalar).
    naive = {"input": {**challenge_input(starts=starts, ends=moment(days=3)),
                       "startsAt": "2026-12-01T00:00:00"}}  # fmt: skip
    refused = await gql(UPSERT_CHALLENGE, naive, as_=ADMIN)
    assert refused["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert await Challenge.all().count() == 0
    assert await AuditRecord.filter(operation="upsertChallenge").count() == 0


async def test_challenge_mutations_need_the_right_token(gql):
    variables = {"input": challenge_input()}
    assert codes(await gql(UPSERT_CHALLENGE, variables, as_=member("ada"))) == ["FORBIDDEN"]
    assert codes(await gql(UPSERT_CHALLENGE, variables)) == ["UNAUTHENTICATED"]
    await challenge(gql)
    assert codes(await gql(ENROLL, {"key": "sprint"}, as_=ADMIN)) == ["FORBIDDEN"]
    assert codes(await gql(ENROLL, {"key": "sprint"}, as_=SERVICE)) == ["FORBIDDEN"]
    assert codes(await gql(ENROLL, {"key": "sprint"})) == ["UNAUTHENTICATED"]
    assert await ChallengeParticipant.all().count() == 0


# --- the window and enrolment -------------------------------------------------------------------


async def test_an_interaction_at_starts_at_counts_and_one_at_ends_at_does_not(gql, drain):
    await define(gql, "review.posted", 10, memberReportable=False)
    starts = moment(hours=-5)
    ends = starts + timedelta(hours=2)
    await challenge(gql, starts=starts, ends=ends, goals=[goal("ACTION_COUNT", 9, "review.posted")])
    await review(gql, "ada", "before", starts - timedelta(seconds=1))
    await review(gql, "ada", "start", starts)
    await review(gql, "ada", "last", ends - timedelta(microseconds=1))
    await review(gql, "ada", "end", ends)
    await drain()

    [ended] = await mine(gql)
    assert ended["challenge"]["status"] == "ENDED"
    assert ended["progress"][0]["current"] == 2  # at startsAt and just before endsAt
    assert await Interaction.filter(status="AWARDED").count() == 4


async def test_when_enrolment_is_required_only_what_follows_it_counts(gql, drain):
    await define(gql, "review.posted", 10, memberReportable=False)
    await challenge(gql, starts=moment(days=-2), requiresEnrollment=True)
    await review(gql, "ada", "r1")
    await drain()
    assert await mine(gql) == []  # no progress without enrolment

    enrolled = await enroll(gql, "ada")
    assert enrolled["errors"] == []
    progress = enrolled["progress"]
    assert progress["enrolled"] is True and progress["enrolledAt"] is not None
    assert progress["progress"][0]["current"] == 0
    assert progress["challenge"]["participants"] == 1

    await review(gql, "ada", "r0", moment(hours=-1))  # backdated to before the enrolment
    await review(gql, "ada", "r2")
    await drain()

    [status] = await mine(gql)
    assert (status["progress"][0]["current"], status["completed"]) == (1, False)


async def test_enrolment_errors(gql, drain):
    await define(gql, "review.posted", 10, memberReportable=False)
    await challenge(gql, "past", starts=moment(days=-9), ends=moment(days=-2))
    await challenge(gql, "shelved", archived=True)
    await challenge(gql, "tiny", maxParticipants=1)
    await challenge(gql, "soon", starts=moment(days=1))

    assert errors(await enroll(gql, "ada", "nope")) == [("NOT_FOUND", ["challengeKey"])]
    assert [e["code"] for e in (await enroll(gql, "ada", "past"))["errors"]] == ["NOT_ACTIVE"]
    assert [e["code"] for e in (await enroll(gql, "ada", "shelved"))["errors"]] == ["NOT_ACTIVE"]
    assert (await enroll(gql, "ada", "soon"))["errors"] == []  # enrolment opens when defined
    assert (await enroll(gql, "ada", "tiny"))["errors"] == []
    full = await enroll(gql, "grace", "tiny")
    assert (full["progress"], [e["code"] for e in full["errors"]]) == (None, ["CHALLENGE_FULL"])

    await review(gql, "ada", "r1")
    await drain()
    again = await enroll(gql, "ada", "tiny")
    assert errors(again) == [("ALREADY_ENROLLED", ["challengeKey"])]
    assert again["progress"]["enrolled"] is True
    assert again["progress"]["progress"][0]["current"] == 1  # the progress comes back too
    assert (await Challenge.get(key="tiny")).participants == 1


async def test_the_cap_holds_under_concurrent_enrolments(gql):
    await challenge(gql, maxParticipants=5)
    results = await asyncio.gather(*(enroll(gql, f"m{index}") for index in range(30)))

    accepted = [r for r in results if not r["errors"]]
    refused = [r for r in results if r["errors"]]
    assert len(accepted) == 5
    assert {e["code"] for r in refused for e in r["errors"]} == {"CHALLENGE_FULL"}
    assert (await Challenge.get(key="sprint")).participants == 5
    assert await ChallengeParticipant.filter(challenge_id="sprint").count() == 5
    body = await gql(CHALLENGES)
    assert body["data"]["challenges"][0]["key"] == "sprint"


# --- completion and the board -------------------------------------------------------------------


async def test_completion_is_rewarded_once_with_its_badge_under_replays(gql, drain, runtime):
    await define(gql, "review.posted", 10, memberReportable=False)
    await badge(gql, "sprinter", rewardPoints=20)
    await challenge(gql, rewardPoints=150, rewardBadgeKey="sprinter")
    await enroll(gql, "ada")
    for key in ("r1", "r2", "r2"):
        await review(gql, "ada", key)
    await drain()
    for interaction_id in await Interaction.all().values_list("id", flat=True):
        await interactions.process_interaction(runtime, int(str(interaction_id)))
    await review(gql, "ada", "r3")
    await drain()

    challenge_credits = await LedgerEntry.filter(reason=LedgerReason.CHALLENGE).count()
    assert challenge_credits == 1
    assert await LedgerEntry.filter(reason=LedgerReason.BADGE).count() == 1
    assert (await Challenge.get(key="sprint")).completions == 1
    held = await MemberBadge.get(member_id="ada", badge_id="sprinter")
    assert held.source == "challenge:sprint"
    [done] = await mine(gql)
    assert done["completed"] is True and done["completedAt"] is not None
    assert done["progress"] == [
        {
            "goal": {"metric": "ACTION_COUNT", "action": "review.posted", "target": 2},
            "current": 2,
            "completed": True,
        }
    ]  # fmt: skip  (a completed challenge moves no more)
    badges = await my_badges(gql)
    assert [(s["badge"]["key"], s["earned"]) for s in badges] == [("sprinter", True)]


async def test_the_challenge_board_ranks_capped_progress_ties_to_whoever_got_there_first(
    gql, drain
):
    await define(gql, "review.posted", 10, memberReportable=False)
    await define(gql, "app.open", 1, memberReportable=False)
    goals = [goal("ACTION_COUNT", 2, "review.posted"), goal("ACTION_COUNT", 1, "app.open")]
    await challenge(gql, goals=goals)
    for index in range(2):
        await review(gql, "ada", f"a{index}")
    await drain()
    await record(gql, SERVICE, action="app.open", memberId="alan", key="l0")
    await review(gql, "alan", "l1")  # 2 as well, reached after ada
    await drain()
    for index in range(4):
        await review(gql, "grace", f"g{index}")  # 4 reviews count as 2
    await record(gql, SERVICE, action="app.open", memberId="grace", key="g9")
    await drain()

    body = await gql(BOARD, {"board": "challenge:sprint", "period": "ALL_TIME"}, as_=member("ada"))
    assert "errors" not in body, body
    board = body["data"]["leaderboard"]
    assert (board["board"], board["period"], board["size"]) == ("challenge:sprint", "ALL_TIME", 3)
    ranking = [
        (e["node"]["rank"], e["node"]["score"], e["node"]["member"]["id"])
        for e in board["entries"]["edges"]
    ]
    assert ranking == [(1, 3, "grace"), (2, 2, "ada"), (3, 2, "alan")]
    assert [e["member"]["id"] for e in board["around"]] == ["grace", "ada", "alan"]


async def test_a_challenge_board_is_its_participant_rows_and_rebuilds_from_them(
    gql, drain, runtime
):
    """One decision, one row: the participant row holds the board's score and when it was
    reached (the tie-break); no `leaderboard_score` row repeats it, and Redis is rebuilt from
    the participant rows to the same ranking."""
    await define(gql, "review.posted", 10, memberReportable=False)
    await challenge(gql, goals=[goal("ACTION_COUNT", 3, "review.posted")])
    for who, reviews in (("ada", 2), ("alan", 2), ("grace", 3)):
        for index in range(reviews):
            await review(gql, who, f"{who}{index}")
        await drain()
    variables = {"board": "challenge:sprint", "period": "ALL_TIME"}

    async def ranking() -> list[tuple[int, int, str]]:
        body = await gql(BOARD, variables, as_=member("ada"))
        return [
            (e["node"]["rank"], e["node"]["score"], e["node"]["member"]["id"])
            for e in body["data"]["leaderboard"]["entries"]["edges"]
        ]

    before = await ranking()
    assert before == [(1, 3, "grace"), (2, 2, "ada"), (3, 2, "alan")]
    assert not await LeaderboardScore.filter(board="challenge:sprint").exists()
    rows = await ChallengeParticipant.filter(challenge_id="sprint").order_by("reached_at")
    assert [row.member_id for row in rows] == ["ada", "alan", "grace"]

    await runtime.redis.flushdb()
    await leaderboards.rebuild(runtime.leaderboards, datetime.now(UTC), runtime.settings.tz)
    assert await ranking() == before
    assert (
        await leaderboards.verify(runtime.leaderboards, datetime.now(UTC), runtime.settings.tz)
        == []
    )


async def test_a_challenge_board_has_one_period_and_unknown_ones_are_not_found(gql):
    await challenge(gql)
    weekly = await gql(BOARD, {"board": "challenge:sprint", "period": "WEEKLY"})
    assert codes(weekly) == ["INVALID_INPUT"]
    assert "ALL_TIME" in weekly["errors"][0]["message"]
    assert codes(await gql(BOARD, {"board": "challenge:nope", "period": "ALL_TIME"})) == [
        "NOT_FOUND"
    ]
    empty = await gql(BOARD, {"board": "challenge:sprint", "period": "ALL_TIME"})
    assert empty["data"]["leaderboard"]["size"] == 0
