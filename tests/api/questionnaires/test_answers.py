"""Members answer a questionnaire: a complete, valid set or nothing; idempotent; at most as often
as the questionnaire allows; the completion action credited through the award pipeline."""

from __future__ import annotations

import asyncio

import pytest

from domain.models import (
    Interaction,
    LedgerEntry,
    QuestionnaireAnswer,
    QuestionnaireAnswerChoice,
    QuestionnaireSubmission,
)
from tests.api.badges.test_badges import badge, goal
from tests.api.questionnaires.common import (
    MINE,
    SUBMIT,
    answers,
    submit,
    upsert,
)
from tests.api.read_cache.common import Clock
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import INTERACTION, counting, define, table_sums, tables_changed

ADA = member("ada")


async def test_a_complete_set_is_stored_and_its_completion_credited_once(gql, drain):
    await define(gql, "questionnaire.completed", 25, memberReportable=False)
    await upsert(gql)

    given = answers(riding="mountain", services=("repair", "rental"), recommend=10, wish="gels")
    payload = await submit(gql, ADA, given)

    assert payload["errors"] == []
    status = payload["status"]
    assert status["answered"] is True
    assert status["nextAllowedAt"] is None  # answered once for good
    assert [(a["question"], a["choices"], a["value"], a["text"]) for a in status["answers"]] == [
        ("riding", ["mountain"], None, None),
        ("services", ["repair", "rental"], None, None),
        ("recommend", [], 10, None),
        ("wish", [], None, "gels"),
    ]
    interaction = payload["interaction"]
    assert interaction["action"] == "questionnaire.completed"
    assert interaction["status"] == "PENDING"

    await drain()
    body = await gql(INTERACTION, {"id": interaction["id"]}, as_=ADMIN)
    assert body["data"]["interaction"]["status"] == "AWARDED"
    assert body["data"]["interaction"]["pointsAwarded"] == 25

    # A replay answers with the first submission and its interaction, and credits nothing more.
    again = await submit(gql, ADA, given)
    assert again["errors"] == []
    assert again["interaction"]["id"] == interaction["id"]
    await drain()
    assert await LedgerEntry.filter(member_id="ada").count() == 1
    assert await QuestionnaireSubmission.filter(member_id="ada").count() == 1


async def test_a_replay_with_other_answers_is_refused(gql):
    await upsert(gql)
    await submit(gql, ADA, answers(recommend=9))
    payload = await submit(gql, ADA, answers(recommend=3))
    assert [e["code"] for e in payload["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]


async def test_a_questionnaire_without_completion_action_records_no_interaction(gql):
    await upsert(gql, completionAction=None)
    payload = await submit(gql, ADA, answers())
    assert payload["errors"] == [] and payload["interaction"] is None
    assert await Interaction.all().count() == 0


INVALID = [
    ("unknown option", answers(riding="unicycle"), ["answers", "0", "choices"]),
    (
        "two options for a single choice",
        [
            {"question": "riding", "choices": ["road", "city"]},
            *answers()[1:],
        ],
        ["answers", "0", "choices"],
    ),
    ("a value above 10", answers(recommend=11), ["answers", "2", "value"]),
    ("a value below 0", answers(recommend=-1), ["answers", "2", "value"]),
    ("a required answer missing", answers()[:2], ["answers"]),
    (
        "a value for a choice question",
        [
            {"question": "riding", "value": 3},
            *answers()[1:],
        ],
        ["answers", "0", "value"],
    ),
    (
        "choices for a scale question",
        [
            *answers()[:2],
            {"question": "recommend", "choices": ["road"]},
        ],
        ["answers", "2", "choices"],
    ),
    ("a text over 2,000 characters", answers(wish="x" * 2_001), ["answers", "3", "text"]),
    (
        "an unknown question",
        [*answers(), {"question": "age", "value": 3}],
        ["answers", "3", "question"],
    ),
    ("a question answered twice", [*answers(), answers()[0]], ["answers", "3", "question"]),
]


@pytest.mark.parametrize(("case", "given", "field"), INVALID, ids=[c[0] for c in INVALID])
async def test_invalid_answers_change_nothing(gql, case, given, field):
    await define(gql, "questionnaire.completed", 25, memberReportable=False)
    await upsert(gql)
    before = await table_sums()

    payload = await submit(gql, ADA, given)

    assert [e["code"] for e in payload["errors"]] == ["INVALID_INPUT"], case
    assert payload["errors"][0]["field"] == field
    assert payload["status"] is None and payload["interaction"] is None
    assert tables_changed(before, await table_sums()) == []


async def test_a_text_of_exactly_2000_characters_is_accepted(gql):
    await upsert(gql)
    payload = await submit(gql, ADA, answers(wish="y" * 2_000))
    assert payload["errors"] == []
    assert len(payload["status"]["answers"][3]["text"]) == 2_000


async def test_an_optional_question_may_be_left_out_or_empty(gql):
    await upsert(gql)
    given = [*answers(), {"question": "wish", "text": "  "}]
    payload = await submit(gql, ADA, given)
    assert payload["errors"] == []
    assert [a["question"] for a in payload["status"]["answers"]] == [
        "riding",
        "services",
        "recommend",
    ]


async def test_answered_once_for_good_refuses_a_second_submission(gql):
    await upsert(gql)
    await submit(gql, ADA, answers())
    payload = await submit(gql, ADA, answers(recommend=2), key="s2")
    assert [e["code"] for e in payload["errors"]] == ["TOO_SOON"]
    assert await QuestionnaireSubmission.filter(member_id="ada").count() == 1


async def test_a_repeating_questionnaire_replaces_the_answers_and_keeps_history(
    gql, drain, clock: Clock
):
    await define(gql, "questionnaire.completed", 25, memberReportable=False)
    await upsert(gql, repeatEveryDays=30)
    first = await submit(gql, ADA, answers(riding="road", recommend=4))
    await drain()
    due = first["status"]["nextAllowedAt"]
    assert due is not None

    clock.advance(days=29, hours=23)
    early = await submit(gql, ADA, answers(riding="city", recommend=10), key="s2")
    assert [e["code"] for e in early["errors"]] == ["TOO_SOON"]
    assert "again from" in early["errors"][0]["message"]

    clock.advance(hours=1)
    later = await submit(gql, ADA, answers(riding="city", recommend=10), key="s2")
    assert later["errors"] == []
    assert later["interaction"]["id"] != first["interaction"]["id"]
    assert later["status"]["answers"][0]["choices"] == ["city"]
    await drain()
    # Credited again, once.
    assert await LedgerEntry.filter(member_id="ada").count() == 2

    # History kept; exactly one latest row per question, and per chosen option.
    assert await QuestionnaireSubmission.filter(member_id="ada").count() == 2
    assert await QuestionnaireSubmission.filter(member_id="ada", is_latest=True).count() == 1
    latest = await QuestionnaireAnswer.filter(member_id="ada", is_latest=True)
    assert sorted(row.question_key for row in latest) == ["recommend", "riding", "services"]
    assert {row.value for row in latest if row.question_key == "recommend"} == {10}
    choices = await QuestionnaireAnswerChoice.filter(member_id="ada", is_latest=True)
    assert sorted(c.option for c in choices) == ["city", "repair"]
    assert await QuestionnaireAnswerChoice.filter(member_id="ada", is_latest=False).count() == 2


async def test_limits_apply_to_completions_as_to_any_interaction(gql, drain):
    """Two questionnaires share a completion action limited to one a day: the second is
    CAPPED by the pipeline."""
    await define(
        gql,
        "questionnaire.completed",
        25,
        memberReportable=False,
        limits=[{"period": "DAY", "max": 1}],
    )
    await upsert(gql)
    await upsert(gql, key="bike.more")
    first = await submit(gql, ADA, answers())
    second = await submit(gql, ADA, answers(), key="s2", questionnaire="bike.more")
    await drain()
    statuses = []
    for payload in (first, second):
        body = await gql(INTERACTION, {"id": payload["interaction"]["id"]}, as_=ADMIN)
        statuses.append(body["data"]["interaction"]["status"])
    assert statuses == ["AWARDED", "CAPPED"]


async def test_an_unknown_completion_action_is_rejected_at_once_and_the_answers_kept(gql):
    await upsert(gql, completionAction="no.such.action")
    payload = await submit(gql, ADA, answers())
    assert payload["errors"] == []
    assert payload["interaction"]["status"] == "REJECTED"
    assert payload["interaction"]["reason"] == "UNKNOWN_ACTION"


async def test_inactive_and_unknown_questionnaires_are_refused(gql):
    await upsert(gql, active=False)
    payload = await submit(gql, ADA, answers())
    assert [e["code"] for e in payload["errors"]] == ["INACTIVE"]
    payload = await submit(gql, ADA, answers(), questionnaire="nope")
    assert [e["code"] for e in payload["errors"]] == ["NOT_FOUND"]
    assert await QuestionnaireSubmission.all().count() == 0


async def test_only_a_member_token_submits(gql):
    await upsert(gql)
    variables = {"questionnaire": "bike.profile", "answers": answers(), "key": "s1"}
    body = await gql(SUBMIT, variables, as_=ADMIN)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await gql(SUBMIT, variables)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_client_may_not_take_a_completion_key(gql):
    await define(gql, "app.daily_open", 10)
    body = await gql(
        """mutation { recordInteraction(input: {action: "app.daily_open",
             idempotencyKey: "questionnaire:bike.profile:1"}) { errors { code field } } }""",
        as_=ADA,
    )
    assert body["data"]["recordInteraction"]["errors"][0]["code"] == "INVALID_INPUT"


async def test_member_questionnaires_show_the_latest_answers(gql):
    await upsert(gql)
    await upsert(gql, key="old.survey", active=False)
    await upsert(gql, key="shop.survey")
    await submit(gql, ADA, answers(wish="more gels"))

    body = await gql(MINE, as_=ADA)
    statuses = body["data"]["me"]["questionnaires"]
    # Active ones, by key; the inactive one ada never answered is not shown.
    assert [s["questionnaire"]["key"] for s in statuses] == ["bike.profile", "shop.survey"]
    assert statuses[0]["answered"] is True and statuses[1]["answered"] is False
    assert statuses[0]["answers"][3] == {
        "question": "wish",
        "choices": [],
        "value": None,
        "text": "more gels",
    }

    # Text answers are private to the member and admins.
    query = (
        """query M($id: ID!) { member(id: $id) { questionnaires { answers { question text } } } }"""
    )
    as_admin = await gql(query, {"id": "ada"}, as_=ADMIN)
    assert as_admin["data"]["member"]["questionnaires"][0]["answers"][3]["text"] == "more gels"
    as_service = await gql(query, {"id": "ada"}, as_=SERVICE)
    assert as_service["data"]["member"]["questionnaires"][0]["answers"][3]["text"] is None


async def test_next_allowed_at_clears_once_the_member_may_answer_again(gql, clock: Clock):
    await upsert(gql, repeatEveryDays=7)
    await submit(gql, ADA, answers())
    body = await gql(MINE, as_=ADA)
    assert body["data"]["me"]["questionnaires"][0]["nextAllowedAt"] is not None
    clock.advance(days=7)
    body = await gql(MINE, as_=ADA)
    assert body["data"]["me"]["questionnaires"][0]["nextAllowedAt"] is None


async def test_members_questionnaires_take_a_constant_number_of_reads(gql):
    await upsert(gql)
    await upsert(gql, key="shop.survey")
    for who in ("ada", "bob", "cy"):
        await submit(gql, member(who), answers(wish=f"{who}'s wish"))
    fields = " ".join(
        f'm{n}: member(id: "{who}") {{ questionnaires {{ answered answers {{ text }} }} }}'
        for n, who in enumerate(("ada", "bob", "cy"))
    )
    query = "{ " + fields + " }"
    with counting() as one:
        body = await gql('{ member(id: "ada") { questionnaires { answered } } }', as_=ADMIN)
        assert "errors" not in body, body
    with counting() as three:
        body = await gql(query, as_=ADMIN)
        assert "errors" not in body, body
    assert body["data"]["m2"]["questionnaires"][0]["answers"][3]["text"] == "cy's wish"
    assert len(three.statements) == len(one.statements)


async def test_a_completion_earns_badges_like_any_interaction(gql, drain):
    await define(gql, "questionnaire.completed", 25, memberReportable=False)
    await badge(
        gql, "told.us", [goal("ACTION_COUNT", 1, "questionnaire.completed")], rewardPoints=5
    )
    await upsert(gql)
    await submit(gql, ADA, answers())
    await drain()
    body = await gql("{ me { points { balance } badges { badge { key } earned } } }", as_=ADA)
    me = body["data"]["me"]
    assert me["points"]["balance"] == 25 + 5
    assert [b["earned"] for b in me["badges"] if b["badge"]["key"] == "told.us"] == [True]


async def test_concurrent_submissions_store_one_set(gql, drain):
    await define(gql, "questionnaire.completed", 25, memberReportable=False)
    await upsert(gql)
    replays = await asyncio.gather(*(submit(gql, ADA, answers(), key="same") for _ in range(4)))
    assert all(payload["errors"] == [] for payload in replays)
    assert len({payload["interaction"]["id"] for payload in replays}) == 1

    bob = member("bob")
    racing = await asyncio.gather(*(submit(gql, bob, answers(), key=f"k{n}") for n in range(4)))
    codes = sorted(e["code"] for payload in racing for e in payload["errors"])
    assert codes == ["TOO_SOON"] * 3
    await drain()
    assert await QuestionnaireSubmission.all().count() == 2
    assert await LedgerEntry.all().count() == 2
