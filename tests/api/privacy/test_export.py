"""The export (`memberExport`, `plaudit members export`, GDPR Art. 15): everything held about a
member, one key per kind, readable JSON; a member reads only their own, an admin anyone's; and
nothing of another member's in it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from domain.models import LedgerEntry, Member
from domain.privacy.holdings import export_keys
from tests.api.privacy.world import ADA, ADA_NAME, ADJUSTMENT_REASON, BOB, CY, DAN, rich_member
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import cli_env, codes, run_plaudit

EXPORT = """
query Export($id: ID!) { memberExport(memberId: $id) { memberId generatedAt data } }
"""


async def exported(gql: Any, member_id: str, who: tuple[str, str]) -> dict[str, Any] | None:
    body = await gql(EXPORT, {"id": member_id}, as_=who)
    assert "errors" not in body, body
    found: dict[str, Any] | None = body["data"]["memberExport"]
    return found


async def test_a_member_exports_everything_held_about_them(gql, drain, runtime, monkeypatch):
    await rich_member(gql, drain, runtime, monkeypatch)
    export = await exported(gql, ADA, member(ADA))
    assert export is not None and export["memberId"] == ADA
    data = export["data"]
    assert list(data) == export_keys()
    ada = await Member.get(id=ADA)
    assert data["profile"]["displayName"] == ADA_NAME
    assert data["profile"]["balance"] == ada.balance
    assert data["profile"]["referralCode"] == ada.referral_code
    # Every kind the world gave them is there, as they would recognise it.
    assert {i["idempotencyKey"] for i in data["interactions"]} >= {"ada-review-0", "ada-order"}
    assert data["interactions"][0]["properties"] == {"note": f"{ADA_NAME}'s kettle, take 0"}
    assert sum(e["amount"] for e in data["ledger"]) == ada.balance
    assert len(data["ledger"]) == await LedgerEntry.filter(member_id=ADA).count()
    assert ADJUSTMENT_REASON in {e["description"] for e in data["ledger"]}
    assert {r["status"] for r in data["redemptions"]} == {"COMPLETED", "CANCELLED"}
    assert {b["badge"] for b in data["badges"]} == {"first.review", "handpicked"}
    assert [c["challenge"] for c in data["challenges"]] == ["sprint"]
    assert {s["action"] for s in data["streaks"]} >= {None, "review.posted"}
    assert data["activityDays"] != []
    assert data["referrals"]["referredBy"]["referrerDisplayName"] is not None
    assert [r["convertedAt"] is not None for r in data["referrals"]["invited"]] == [True, False]
    assert {c["status"] for c in data["content"]} == {"APPROVED", "PENDING"}
    assert [v["value"] for v in data["votes"]] == [1]
    [answered] = data["questionnaires"]
    assert answered["questionnaire"] == "bike.profile" and answered["latest"] is True
    assert answered["answers"][3]["text"] == f"Stock {ADA_NAME}'s favourite gels"
    assert {e["kind"] for e in data["events"]} >= {"POINTS_CREDITED", "REFERRAL_CONVERTED"}
    assert [row["segment"] for row in data["insight"]] != []
    assert [c["campaign"] for c in data["campaigns"]] == ["winback"]
    assert data["attempts"] != []
    assert {s["board"] for s in data["leaderboards"]} >= {"points", "referrals", "content"}
    assert data["archives"] != []
    assert {a["operation"] for a in data["audit"]} >= {
        "adjustPoints",
        "awardBadge",
        "cancelRedemption",
        "moderateContent",
    }
    assert {m["type"] for m in data["webhooks"]} >= {"POINTS_CHANGED", "REWARD_REDEEMED"}
    # Readable JSON, and nothing of anybody else: no other member's id, no admin named.
    text = json.dumps(export)
    assert [other for other in (BOB, CY, DAN, ADMIN[0]) if other in text] == []


async def test_a_member_may_export_only_their_own_data(gql, drain, runtime, monkeypatch):
    await rich_member(gql, drain, runtime, monkeypatch)
    for other in (BOB, "nobody-at-all"):
        body = await gql(EXPORT, {"id": other}, as_=member(ADA))
        assert codes(body) == ["FORBIDDEN"], body
        assert body["data"] is None or body["data"]["memberExport"] is None
    assert codes(await gql(EXPORT, {"id": ADA}, as_=SERVICE)) == ["FORBIDDEN"]
    assert codes(await gql(EXPORT, {"id": ADA})) == ["UNAUTHENTICATED"]
    # Asking never enrols: a member unknown so far has nothing held.
    assert await exported(gql, "newcomer-1", member("newcomer-1")) is None
    assert not await Member.filter(id="newcomer-1").exists()


async def test_an_admin_exports_anyone_and_unknown_ids_are_null(gql, drain, runtime, monkeypatch):
    await rich_member(gql, drain, runtime, monkeypatch)
    by_admin = await exported(gql, ADA, ADMIN)
    by_member = await exported(gql, ADA, member(ADA))
    assert by_admin is not None and by_member is not None
    assert by_admin["data"] == by_member["data"]
    assert (await exported(gql, BOB, ADMIN) or {}).get("memberId") == BOB
    for unknown in ("nobody-at-all", "x" * 129, "erased:AAAAAAAAAAAAAAAAAAAAAA"):
        assert await exported(gql, unknown, ADMIN) is None


async def test_the_command_line_writes_the_same_export(
    gql, drain, runtime, monkeypatch, settings, tmp_path: Path
):
    await rich_member(gql, drain, runtime, monkeypatch)
    by_api = await exported(gql, ADA, ADMIN)
    assert by_api is not None
    env = cli_env(settings)
    target = tmp_path / "ada.json"
    code, out, err = await run_plaudit("members", "export", ADA, "--output", str(target), env=env)
    assert (code, out) == (0, ""), err
    written = json.loads(target.read_text(encoding="utf-8"))
    assert (written["memberId"], written["data"]) == (ADA, by_api["data"])
    assert ADA_NAME in target.read_text(encoding="utf-8")  # readable, not escaped
    code, out, err = await run_plaudit("members", "export", ADA, env=env)
    assert code == 0, err
    assert json.loads(out)["data"] == by_api["data"]
    code, out, err = await run_plaudit("members", "export", "nobody-at-all", env=env)
    assert (code, out, err.strip()) == (1, "", "error: no member 'nobody-at-all'")
