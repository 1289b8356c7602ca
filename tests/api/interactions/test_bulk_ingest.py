"""recordInteractions: up to 1,000 interactions in one call, each with the semantics of
recordInteraction and a result of its own, stored in one transaction and queued once."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.models import Interaction, InteractionStatus, LedgerEntry, Member
from tests.conftest import ADMIN, SERVICE, member
from tests.helpers import UPSERT_ACTION, action_input, ago, codes, counting, define, record

RECORD_MANY = """
mutation RecordMany($inputs: [RecordInteractionInput!]!) {
  recordInteractions(inputs: $inputs) {
    results {
      index
      interaction { id action memberId status reason pointsAwarded occurredAt properties }
      errors { code message field }
    }
    accepted refused
    errors { code message field }
  }
}
"""


def item(who: str = "ada", key: str = "k1", action: str = "app.daily_open", **extra: Any):
    return {"action": action, "memberId": who, "idempotencyKey": key, **extra}


async def record_many(gql, inputs: list[dict[str, Any]], who=SERVICE) -> dict[str, Any]:
    body = await gql(RECORD_MANY, {"inputs": inputs}, as_=who)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["recordInteractions"]
    return payload


async def balances(gql, member_ids: list[str]) -> dict[str, int]:
    """Each member's balance, read through the API (aliases are capped: 10 per query)."""
    found = {}
    for start in range(0, len(member_ids), 10):
        chunk = member_ids[start : start + 10]
        fields = " ".join(
            f'm{n}: member(id: "{member_id}") {{ id points {{ balance }} }}'
            for n, member_id in enumerate(chunk)
        )
        body = await gql(f"query {{ {fields} }}", as_=ADMIN)
        assert "errors" not in body, body
        for value in body["data"].values():
            found[value["id"]] = value["points"]["balance"]
    return found


async def test_each_item_gets_a_result_with_its_index_in_request_order(gql):
    await define(gql, points=10)
    payload = await record_many(
        gql,
        [
            item("ada", "a-1", properties={"screen": "home"}),
            item("grace", "g-1", occurredAt=ago(days=3)),
            item("ada", "a-2"),
        ],
    )
    assert payload["errors"] == []
    assert (payload["accepted"], payload["refused"]) == (3, 0)
    results = payload["results"]
    assert [r["index"] for r in results] == [0, 1, 2]
    assert [r["errors"] for r in results] == [[], [], []]
    assert [r["interaction"]["memberId"] for r in results] == ["ada", "grace", "ada"]
    assert {r["interaction"]["status"] for r in results} == {"PENDING"}
    assert results[0]["interaction"]["properties"] == {"screen": "home"}
    occurred = datetime.fromisoformat(results[1]["interaction"]["occurredAt"])
    assert timedelta(days=3) - timedelta(minutes=1) < datetime.now(UTC) - occurred
    assert len({r["interaction"]["id"] for r in results}) == 3
    # Members are enrolled on first contact, as with recordInteraction.
    assert sorted(await Member.all().values_list("id", flat=True)) == ["ada", "grace"]


async def test_no_items_give_no_results(gql):
    payload = await record_many(gql, [])
    assert payload == {"results": [], "accepted": 0, "refused": 0, "errors": []}


async def test_bad_items_are_refused_on_their_own_and_the_others_are_stored(gql, drain):
    await define(gql, points=10)
    payload = await record_many(
        gql,
        [
            item("ada", "good-1"),
            {"action": "app.daily_open", "idempotencyKey": "no-member"},
            item("ada", "x" * 129),
            item("", "empty-member"),
            item("ada", "big", properties={"blob": "x" * 9000}),
            item("ada", "nul", action="app.\u0000open"),
            item("ada", "nul-props", properties={"text": "a\u0000b"}),
            item("grace", "good-2"),
        ],
    )
    results = payload["results"]
    assert (payload["accepted"], payload["refused"]) == (2, 6)
    assert [r["index"] for r in results] == list(range(8))
    assert results[0]["interaction"]["status"] == "PENDING"
    assert results[7]["interaction"]["memberId"] == "grace"
    refused = {r["index"]: r["errors"] for r in results if r["interaction"] is None}
    assert {i: [e["code"] for e in errors] for i, errors in refused.items()} == {
        i: ["INVALID_INPUT"] for i in range(1, 7)
    }
    assert {i: errors[0]["field"] for i, errors in refused.items()} == {
        1: ["inputs", "1", "memberId"],
        2: ["inputs", "2", "idempotencyKey"],
        3: ["inputs", "3", "memberId"],
        4: ["inputs", "4", "properties"],
        5: ["inputs", "5", "action"],
        6: ["inputs", "6", "properties"],
    }
    assert await Interaction.all().count() == 2

    assert await drain() == 2
    assert await balances(gql, ["ada", "grace"]) == {"ada": 10, "grace": 10}


async def test_an_item_whose_date_the_program_cannot_use_refuses_the_whole_call(gql):
    """A DateTime without a UTC offset does not fit its type (`api/scalars.py`): like any value
    that does not coerce, it is a validation error naming the item, and nothing is stored."""
    await define(gql, points=10)
    naive = datetime.now(UTC).replace(tzinfo=None).isoformat()
    body = await gql(
        RECORD_MANY,
        {"inputs": [item("ada", "good-1"), item("ada", "naive", occurredAt=naive)]},
        as_=SERVICE,
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "[1].occurredAt: DateTime needs a UTC offset" in error["message"]
    assert await Interaction.all().count() == 0


async def test_unknown_inactive_and_future_items_are_rejected_at_once_and_never_queued(gql, drain):
    await define(gql, points=10)
    await define(gql, key="old.action", points=10, active=False)
    payload = await record_many(
        gql,
        [
            item("ada", "k1", action="no.such.action"),
            item("ada", "k2", action="old.action"),
            item("ada", "k3", occurredAt=(datetime.now(UTC) + timedelta(hours=1)).isoformat()),
            item("ada", "k4", action="n" * 300),
            item("ada", "k5"),
        ],
    )
    assert (payload["accepted"], payload["refused"]) == (5, 0)
    found = [(r["interaction"]["status"], r["interaction"]["reason"]) for r in payload["results"]]
    assert found == [
        ("REJECTED", "UNKNOWN_ACTION"),
        ("REJECTED", "INACTIVE_ACTION"),
        ("REJECTED", "FUTURE_TIMESTAMP"),
        ("REJECTED", "UNKNOWN_ACTION"),
        ("PENDING", None),
    ]
    assert await drain() == 1
    assert await balances(gql, ["ada"]) == {"ada": 10}


async def test_a_key_sent_again_returns_the_first_interaction_and_credits_once(gql, drain):
    await define(gql, points=10)
    single = await record(gql, SERVICE, key="first", memberId="ada")
    first = await record_many(gql, [item("ada", "bulk-1"), item("ada", "first")])
    assert first["results"][1]["interaction"]["id"] == single["interaction"]["id"]
    await drain()
    again = await record_many(gql, [item("ada", "bulk-1"), item("ada", "first")])
    assert [r["interaction"]["id"] for r in again["results"]] == [
        r["interaction"]["id"] for r in first["results"]
    ]
    assert {r["interaction"]["status"] for r in again["results"]} == {"AWARDED"}
    assert again["accepted"] == 2
    assert await drain() == 0
    assert await LedgerEntry.filter(member_id="ada").count() == 2
    assert await balances(gql, ["ada"]) == {"ada": 20}


async def test_duplicates_within_one_call_resolve_to_the_first_items_interaction(gql, drain):
    await define(gql, points=10)
    payload = await record_many(
        gql,
        [
            item("ada", "dup", properties={"n": 1}),
            item("grace", "dup"),  # another member: another interaction
            item("ada", "dup", properties={"n": 1}),  # an identical replay
            item("ada", "dup", properties={"n": 2}),  # the key reused for another request
            item("ada", "dup", action="no.such.action", properties={"n": 1}),
        ],
    )
    results = payload["results"]
    assert (payload["accepted"], payload["refused"]) == (3, 2)
    ids = [(r["interaction"] or {}).get("id") for r in results]
    assert ids[0] == ids[2] != ids[1]
    assert results[2]["interaction"]["properties"] == {"n": 1}
    assert results[2]["interaction"]["status"] == "PENDING"
    for refused in results[3:]:
        assert [e["code"] for e in refused["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    assert await Interaction.filter(member_id="ada").count() == 1
    await drain()
    assert await balances(gql, ["ada", "grace"]) == {"ada": 10, "grace": 10}


async def test_concurrent_calls_with_the_same_keys_store_each_interaction_once(gql, drain):
    await define(gql, points=1)
    inputs = [item(f"m{n % 7}", f"key-{n}") for n in range(60)]
    payloads = await asyncio.gather(*(record_many(gql, inputs) for _ in range(4)))
    ids = [[r["interaction"]["id"] for r in payload["results"]] for payload in payloads]
    assert ids[0] == ids[1] == ids[2] == ids[3]
    assert len(set(ids[0])) == 60
    assert await Interaction.all().count() == 60
    await drain()
    assert sum((await balances(gql, [f"m{n}" for n in range(7)])).values()) == 60


async def test_more_than_a_thousand_items_are_refused_whole_and_nothing_is_stored(gql):
    await define(gql, points=10)
    payload = await record_many(gql, [item(f"m{n}", f"k{n}") for n in range(1001)])
    assert payload["results"] == []
    assert (payload["accepted"], payload["refused"]) == (0, 0)
    [error] = payload["errors"]
    assert error["code"] == "INVALID_INPUT"
    assert error["field"] == ["inputs"]
    assert await Interaction.all().count() == 0
    assert await Member.all().count() == 0


async def test_only_service_tokens_may_record_in_bulk(gql):
    await define(gql, points=10)
    for who in (member("ada"), ADMIN):
        body = await gql(RECORD_MANY, {"inputs": [item("ada")]}, as_=who)
        assert codes(body) == ["FORBIDDEN"]
    body = await gql(RECORD_MANY, {"inputs": [item("ada")]})
    assert codes(body) == ["UNAUTHENTICATED"]
    assert await Interaction.all().count() == 0


async def test_a_thousand_items_fit_one_request_and_are_all_awarded_once(gql, drain, settings):
    await define(gql, points=3)
    members = [f"member-{n:02d}" for n in range(50)]
    inputs = [
        item(
            members[n % 50],
            f"import-2026-11-{n:04d}",
            occurredAt=ago(hours=n % 20),
            properties={"source": "pos", "store": n % 9},
        )
        for n in range(1000)
    ]
    body_size = len(json.dumps({"query": RECORD_MANY, "variables": {"inputs": inputs}}))
    assert body_size < settings.max_body_bytes  # ~150 bytes an item: well within 1 MB

    payload = await record_many(gql, inputs)
    assert (payload["accepted"], payload["refused"]) == (1000, 0)
    assert await drain() == 1000
    assert await Interaction.filter(status=InteractionStatus.AWARDED).count() == 1000
    assert await LedgerEntry.all().count() == 1000
    assert await balances(gql, members) == {m: 60 for m in members}

    again = await record_many(gql, inputs)
    assert again["accepted"] == 1000
    assert {r["interaction"]["status"] for r in again["results"]} == {"AWARDED"}
    assert await drain() == 0
    assert await balances(gql, members) == {m: 60 for m in members}


async def test_one_call_costs_the_same_statements_for_five_items_or_five_hundred(gql):
    await define(gql, points=1)
    await gql(UPSERT_ACTION, {"input": action_input("survey.completed", 5)}, as_=ADMIN)

    async def statements(size: int, batch: str) -> list[str]:
        inputs = [
            item(
                f"{batch}-{n % 100}",
                f"{batch}-{n}",
                action=("app.daily_open", "survey.completed")[n % 2],
            )
            for n in range(size)
        ]
        inputs += [item(f"{batch}-0", f"{batch}-0")]  # a duplicate within the call
        with counting() as counter:
            payload = await record_many(gql, inputs)
        assert payload["accepted"] == size + 1
        return [
            statement.split(" VALUES ")[0].split(" WHERE ")[0] for statement in counter.statements
        ]

    small = await statements(5, "small")
    large = await statements(500, "large")
    assert large == small
    # Read the stored pairs and the actions; enrol, insert, read back in one transaction.
    assert [statement.split(" (")[0].split(' "')[0] for statement in large] == [
        "SELECT * FROM interaction",
        "SELECT",
        "INSERT INTO member",
        "INSERT INTO interaction",
        "SELECT * FROM interaction",
    ]
