"""Admins define questionnaires of four kinds of question; members see the active ones."""

from __future__ import annotations

from typing import Any

import pytest

from domain.models import AuditRecord, Questionnaire
from tests.api.questionnaires.common import UPSERT, bike_profile, upsert
from tests.conftest import ADMIN, member

LIST = "{ questionnaires { key active questions { key kind options required } } }"


async def test_an_admin_defines_a_questionnaire_and_redefines_it(gql):
    payload = await upsert(gql, repeatEveryDays=90)
    assert payload["errors"] == []
    questionnaire = payload["questionnaire"]
    assert questionnaire["key"] == "bike.profile"
    assert questionnaire["repeatEveryDays"] == 90
    assert questionnaire["completionAction"] == "questionnaire.completed"
    assert [(q["key"], q["kind"], q["required"]) for q in questionnaire["questions"]] == [
        ("riding", "SINGLE_CHOICE", True),
        ("services", "MULTIPLE_CHOICE", True),
        ("recommend", "SCALE", True),
        ("wish", "TEXT", False),
    ]
    assert questionnaire["questions"][0]["options"] == ["road", "mountain", "city"]
    assert questionnaire["questions"][2]["options"] == []

    payload = await upsert(gql, title="Your bikes", repeatEveryDays=None)
    assert payload["questionnaire"]["repeatEveryDays"] is None
    assert await Questionnaire.all().count() == 1
    assert await AuditRecord.filter(operation="upsertQuestionnaire").count() == 2


async def test_members_see_active_questionnaires_and_admins_all(gql):
    await upsert(gql)
    await upsert(gql, key="old.survey", active=False)
    as_member = await gql(LIST, as_=member("ada"))
    assert [q["key"] for q in as_member["data"]["questionnaires"]] == ["bike.profile"]
    as_admin = await gql(LIST, as_=ADMIN)
    assert [q["key"] for q in as_admin["data"]["questionnaires"]] == [
        "bike.profile",
        "old.survey",
    ]


def _question(**fields: Any) -> dict[str, Any]:
    return {"key": "q", "prompt": "Q?", "kind": "SINGLE_CHOICE", "options": ["a", "b"], **fields}


INVALID = [
    ("no questions", {"questions": []}, ["input", "questions"]),
    ("a bad key", {"key": "Bike Profile"}, ["input", "key"]),
    ("an empty title", {"title": " "}, ["input", "title"]),
    (
        "a choice question with one option",
        {"questions": [_question(options=["a"])]},
        ["input", "questions", "0", "options"],
    ),
    (
        "repeated options",
        {"questions": [_question(options=["a", "a"])]},
        ["input", "questions", "0", "options"],
    ),
    (
        "options on a scale question",
        {"questions": [_question(kind="SCALE")]},
        ["input", "questions", "0", "options"],
    ),
    (
        "a repeated question key",
        {"questions": [_question(), _question()]},
        ["input", "questions", "1", "key"],
    ),
    ("repeating every 0 days", {"repeatEveryDays": 0}, ["input", "repeatEveryDays"]),
    (
        "a bad completion action",
        {"completionAction": "Not An Action"},
        ["input", "completionAction"],
    ),
]


@pytest.mark.parametrize(("case", "change", "field"), INVALID, ids=[c[0] for c in INVALID])
async def test_invalid_definitions_are_refused_and_store_nothing(gql, case, change, field):
    body = await gql(UPSERT, {"input": {**bike_profile(), **change}}, as_=ADMIN)
    payload = body["data"]["upsertQuestionnaire"]
    assert [e["code"] for e in payload["errors"]] == ["INVALID_INPUT"], case
    assert payload["errors"][0]["field"] == field
    assert await Questionnaire.all().count() == 0


async def test_only_admins_define_questionnaires(gql):
    body = await gql(UPSERT, {"input": bike_profile()}, as_=member("ada"))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
