"""The audit log: every admin mutation leaves a record; admins read them newest first."""

from __future__ import annotations

from tests.api.points.test_adjustments import ADJUST, adjustment, enrolled
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import UPSERT_ACTION, action_input, codes

AUDIT_LOG = """
query Log($first: Int, $after: String) {
  auditLog(first: $first, after: $after) {
    edges { cursor node { id actor operation target before after createdAt } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


async def test_admin_mutations_are_listed_newest_first_with_before_and_after(gql):
    await gql(UPSERT_ACTION, {"input": action_input(points=10)}, as_=ADMIN)
    await gql(UPSERT_ACTION, {"input": action_input(points=20)}, as_=ADMIN)
    await enrolled(gql)
    await gql(ADJUST, adjustment(15), as_=ADMIN)

    body = await gql(AUDIT_LOG, as_=ADMIN)
    nodes = [edge["node"] for edge in body["data"]["auditLog"]["edges"]]
    assert [(n["operation"], n["target"]) for n in nodes] == [
        ("adjustPoints", "member:ada"),
        ("upsertAction", "action:review.posted"),
        ("upsertAction", "action:review.posted"),
    ]
    assert {n["actor"] for n in nodes} == {"root"}
    assert nodes[0]["before"] == {"balance": 0}
    assert nodes[0]["after"]["balance"] == 15
    assert nodes[1]["before"]["points"] == 10 and nodes[1]["after"]["points"] == 20
    assert nodes[2]["before"] is None
    assert all(n["createdAt"] for n in nodes)
    ids = [int(n["id"]) for n in nodes]
    assert ids == sorted(ids, reverse=True)


async def test_failed_mutations_leave_no_record(gql):
    await gql(UPSERT_ACTION, {"input": action_input("Bad Key")}, as_=ADMIN)
    await enrolled(gql)
    await gql(ADJUST, adjustment(-5), as_=ADMIN)
    body = await gql(AUDIT_LOG, as_=ADMIN)
    assert body["data"]["auditLog"]["edges"] == []


async def test_pages_follow_the_cursor_and_first_is_clamped(gql):
    for points in range(1, 6):
        await gql(UPSERT_ACTION, {"input": action_input(f"a.n{points}", points)}, as_=ADMIN)
    seen: list[str] = []
    after = None
    while True:
        body = await gql(AUDIT_LOG, {"first": 2, "after": after}, as_=ADMIN)
        page = body["data"]["auditLog"]
        seen += [edge["node"]["target"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [f"action:a.n{n}" for n in range(5, 0, -1)]

    one = await gql(AUDIT_LOG, {"first": 0}, as_=ADMIN)
    assert len(one["data"]["auditLog"]["edges"]) == 1
    many = await gql(AUDIT_LOG, {"first": 1000}, as_=ADMIN)
    assert len(many["data"]["auditLog"]["edges"]) == 5


async def test_a_bad_cursor_is_refused(gql):
    assert codes(await gql(AUDIT_LOG, {"after": "nonsense"}, as_=ADMIN)) == ["INVALID_CURSOR"]


async def test_only_admins_read_the_audit_log(gql):
    assert codes(await gql(AUDIT_LOG, as_=member("ada"))) == ["FORBIDDEN"]
    assert codes(await gql(AUDIT_LOG, as_=SERVICE)) == ["FORBIDDEN"]
    assert codes(await gql(AUDIT_LOG)) == ["UNAUTHENTICATED"]
