"""Answers are the member's: in their export; erasure removes their texts and keeps choice and
scale answers, under the anonymous id, so results stay as they were."""

from __future__ import annotations

from domain.models import QuestionnaireAnswer, QuestionnaireSubmission
from tests.api.questionnaires.common import RESULTS, answers, submit, upsert
from tests.conftest import ADMIN, member
from tests.helpers import define

EXPORT = 'query { memberExport(memberId: "ada") { data } }'
ERASE = 'mutation { eraseMember(memberId: "ada") { erased errors { code } } }'


async def test_the_export_holds_every_submission_with_its_texts(gql, clock):
    await upsert(gql, repeatEveryDays=1)
    await submit(gql, member("ada"), answers(wish="first words"))
    clock.advance(days=1)
    await submit(gql, member("ada"), answers(wish="second words"), key="s2")
    body = await gql(EXPORT, as_=member("ada"))
    exported = body["data"]["memberExport"]["data"]["questionnaires"]
    assert [(s["latest"], s["answers"][3]["text"]) for s in exported] == [
        (False, "first words"),
        (True, "second words"),
    ]
    assert exported[1]["answers"][2] == {
        "question": "recommend",
        "choices": [],
        "value": 9,
        "text": None,
        "answeredAt": exported[1]["answers"][2]["answeredAt"],
    }


async def test_erasure_removes_texts_and_keeps_the_results(gql):
    await define(gql, "questionnaire.completed", 25, memberReportable=False)
    await upsert(gql)
    await submit(gql, member("ada"), answers("city", recommend=2, wish="ada's secret"))
    await submit(gql, member("bob"), answers("road", recommend=10))
    before = await gql(RESULTS, {"key": "bike.profile"}, as_=ADMIN)

    body = await gql(ERASE, as_=ADMIN)
    assert body["data"]["eraseMember"] == {"erased": True, "errors": []}

    assert await QuestionnaireAnswer.filter(member_id="ada").count() == 0
    assert await QuestionnaireSubmission.filter(member_id="ada").count() == 0
    assert not await QuestionnaireAnswer.filter(text__contains="secret").exists()
    # Ada's completion was still PENDING: erasure deleted it, and her submission forgot it.
    kept = await QuestionnaireSubmission.filter(member_id__startswith="erased:").get()
    assert kept.interaction_id is None and kept.idempotency_key != "s1"
    assert await gql(RESULTS, {"key": "bike.profile"}, as_=ADMIN) == before
    # A returning subject is a new member, free to answer again.
    payload = await submit(gql, member("ada"), answers())
    assert payload["errors"] == []
