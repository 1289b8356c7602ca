"""Admins define actions; members see the active ones."""

from __future__ import annotations

from tests.conftest import ADMIN, member
from tests.helpers import UPSERT_ACTION, action_input, codes

ACTIONS = "{ actions { key active points limits { period max } } }"


async def test_an_admin_creates_an_action_with_defaults(gql):
    body = await gql(UPSERT_ACTION, {"input": action_input()}, as_=ADMIN)
    payload = body["data"]["upsertAction"]
    assert payload["errors"] == []
    assert payload["action"] == {
        "key": "review.posted",
        "name": "Review Posted",
        "description": "",
        "points": 50,
        "limits": [],
        "cooldownSeconds": 0,
        "memberReportable": False,
        "active": True,
    }


async def test_upserting_again_replaces_the_definition_and_keeps_history(gql, server):
    await gql(UPSERT_ACTION, {"input": action_input(points=50)}, as_=ADMIN)
    limits = [{"period": "DAY", "max": 3}]
    body = await gql(UPSERT_ACTION, {"input": action_input(points=80, limits=limits)}, as_=ADMIN)
    assert body["data"]["upsertAction"]["action"]["points"] == 80
    assert body["data"]["upsertAction"]["action"]["limits"] == limits
    from domain.models import AuditRecord

    records = await AuditRecord.filter(target="action:review.posted").order_by("id")
    assert [r.actor for r in records] == ["root", "root"]
    assert records[0].before is None
    assert records[1].before["points"] == 50
    assert records[1].after["points"] == 80


async def test_members_see_only_active_actions_and_admins_see_all(gql):
    await gql(UPSERT_ACTION, {"input": action_input("a.one")}, as_=ADMIN)
    await gql(UPSERT_ACTION, {"input": action_input("a.two", active=False)}, as_=ADMIN)
    as_member = await gql(ACTIONS, as_=member("m1"))
    as_admin = await gql(ACTIONS, as_=ADMIN)
    assert [a["key"] for a in as_member["data"]["actions"]] == ["a.one"]
    assert [a["key"] for a in as_admin["data"]["actions"]] == ["a.one", "a.two"]


async def test_invalid_definitions_are_user_errors_naming_the_field(gql):
    cases = [
        (action_input("Bad Key"), ["input", "key"]),
        (action_input(points=-1), ["input", "points"]),
        (action_input(limits=[{"period": "DAY", "max": 0}]), ["input", "limits"]),
        (
            action_input(limits=[{"period": "DAY", "max": 1}, {"period": "DAY", "max": 2}]),
            ["input", "limits"],
        ),
        (action_input(cooldownSeconds=-5), ["input", "cooldownSeconds"]),
        (action_input(name=" "), ["input", "name"]),
    ]
    for action, field in cases:
        body = await gql(UPSERT_ACTION, {"input": action}, as_=ADMIN)
        payload = body["data"]["upsertAction"]
        assert payload["action"] is None
        assert payload["errors"][0]["code"] == "INVALID_INPUT"
        assert payload["errors"][0]["field"] == field
    assert (await gql(ACTIONS, as_=ADMIN))["data"]["actions"] == []


async def test_only_admins_may_define_actions(gql):
    anonymous = await gql(UPSERT_ACTION, {"input": action_input()})
    as_member = await gql(UPSERT_ACTION, {"input": action_input()}, as_=member("m1"))
    assert codes(anonymous) == ["UNAUTHENTICATED"]
    assert codes(as_member) == ["FORBIDDEN"]
    assert (await gql(ACTIONS, as_=ADMIN))["data"]["actions"] == []
