"""Redemption under contention: N members hammer one popular reward with wrk, then a burst of
all of them races for a scarce one; finally the ledger invariants are checked in the database.

Setup goes through the API: an admin upserts the rewards, each member is enrolled (`me`) and
credited POINTS by `adjustPoints`. Redemptions use MEMBER tokens minted here with the stack's
JWT secret, a member drawn at random per request and a fresh idempotency key each time.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.bench import cpu, wrk
from tests.bench.db import Database, Postgres
from tests.bench.graphql import call, token
from tests.bench.stack import Stack, log

MEMBER_PREFIX = "rm"  # members rm1 .. rmN
POINTS = 1_000
COST = 10
POPULAR, POPULAR_STOCK = "popular", 1_000_000
SCARCE, SCARCE_STOCK = "scarce", 500
SETUP_CONCURRENCY = 32
WARMUP_S = 2.0

UPSERT_REWARD = """
mutation Upsert($input: UpsertRewardInput!) {
  upsertReward(input: $input) { reward { key stock } errors { code message } }
}
"""
ME = "query Me { me { id } }"
ADJUST = """
mutation Adjust($input: AdjustPointsInput!) {
  adjustPoints(input: $input) { entry { balanceAfter } errors { code message } }
}
"""
# `errors { code }` only: a UserError then reads {"code": …}, a GraphQL error {"message": …}.
REDEEM = """
mutation Redeem($input: RedeemRewardInput!) {
  redeemReward(input: $input) { redemption { id status } errors { code } }
}
"""


@dataclass(frozen=True)
class Options:
    members: int
    load: wrk.Load
    burst_connections: int = 200


def run(
    stack: Stack, database: Database, options: Options, database_name: str | None
) -> dict[str, Any]:
    members = options.members
    admin = token(stack.secret, "bench-admin", "admin")
    for key, stock in ((POPULAR, POPULAR_STOCK), (SCARCE, SCARCE_STOCK)):
        definition = {"key": key, "name": key.title(), "cost": COST, "stock": stock}
        payload = call(stack.url, UPSERT_REWARD, {"input": definition}, admin)["upsertReward"]
        if payload["errors"]:
            raise RuntimeError(f"upsertReward {key}: {payload['errors']}")
    tokens = [token(stack.secret, f"{MEMBER_PREFIX}{i}", "member") for i in range(1, members + 1)]
    log(f"redeem: enrolling {members} members and crediting {POINTS} points each (API)")
    started = time.perf_counter()
    asyncio.run(_credit(stack.url, admin, tokens))
    setup_s = time.perf_counter() - started
    log(f"redeem: setup took {setup_s:.1f}s")

    tokens_file = stack.data_dir / "member-tokens.txt"
    tokens_file.write_text("\n".join(tokens) + "\n")
    lua = wrk.script(stack.data_dir, "redeem")
    query = json.dumps(" ".join(REDEEM.split()))
    warm = wrk.Load(options.load.threads, options.load.connections, WARMUP_S)
    wrk.run(stack.url, lua, [str(tokens_file), POPULAR, "w", query], warm)
    popular_before = _settled(database, POPULAR)  # warm-up requests wrk left in flight

    log(f"redeem: {options.load.duration_s:.0f}s of redeemReward({POPULAR}) by {members} members")
    classify = cpu.classifier(stack.pids(), database_name, stack.redis_marker())
    before = cpu.snapshot(classify)
    result = wrk.run(stack.url, lua, [str(tokens_file), POPULAR, "p", query], options.load)
    usage = cpu.usage(before, cpu.snapshot(classify), {"wrk": result.cpu_s})
    completed = int(result.extra.get("completed", 0))
    popular = result.report() | {
        "redemptions_per_s": round(completed / result.duration_s, 1),
        "completed": completed,
        "db_completed": _settled(database, POPULAR) - popular_before,
        "user_errors": result.extra.get("user_errors", {}),
        "cpu": usage,
    }
    if result.errors:
        log(f"redeem: {result.errors} failed requests, e.g. {result.sample_error}")
    log(f"redeem: {popular['redemptions_per_s']} redemptions/s, p99 {popular['p99_ms']} ms")

    log(f"redeem: burst of {members} members on {SCARCE} (stock {SCARCE_STOCK})")
    scarce = asyncio.run(_burst(stack.url, tokens, options.burst_connections))
    scarce["db_completed"] = _completed(database, SCARCE)
    scarce["db_stock"] = _scalar(database, f"SELECT stock FROM reward WHERE key = '{SCARCE}'")
    scarce["ok"] = (
        scarce["db_completed"] == SCARCE_STOCK
        and scarce["db_stock"] == 0
        and scarce["completed"] == SCARCE_STOCK
    )
    log(f"redeem: scarce {json.dumps(scarce)}")

    invariants = _invariants(database)
    log(f"redeem: invariants {json.dumps(invariants)}")
    return {
        "members": members,
        "points_each": POINTS,
        "cost": COST,
        "setup_s": round(setup_s, 1),
        "popular": popular,
        "scarce": scarce,
        "invariants": invariants,
        "invariants_ok": all(value == 0 for value in invariants.values()),
    }


async def _credit(url: str, admin: str, tokens: list[str]) -> None:
    """Enrol every member (`me`) and credit them POINTS, SETUP_CONCURRENCY members at a time."""
    gate = asyncio.Semaphore(SETUP_CONCURRENCY)
    limits = httpx.Limits(max_connections=SETUP_CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def one(index: int, bearer: str) -> None:
            async with gate:
                await _post(client, url, ME, {}, bearer)
                adjustment = {
                    "memberId": f"{MEMBER_PREFIX}{index}",
                    "amount": POINTS,
                    "reason": "bench redeem credit",
                    "idempotencyKey": "bench-credit",
                }
                data = await _post(client, url, ADJUST, {"input": adjustment}, admin)
                payload = data["adjustPoints"]
                if payload["errors"] or payload["entry"]["balanceAfter"] != POINTS:
                    raise RuntimeError(f"adjustPoints {adjustment['memberId']}: {payload}")

        await asyncio.gather(*(one(i, bearer) for i, bearer in enumerate(tokens, start=1)))


async def _post(
    client: httpx.AsyncClient, url: str, query: str, variables: dict[str, Any], bearer: str
) -> dict[str, Any]:
    response = await client.post(
        url,
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {bearer}"},
    )
    body = response.json() if response.status_code == 200 else {}
    if response.status_code != 200 or body.get("errors") or not body.get("data"):
        raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:500]}")
    data: dict[str, Any] = body["data"]
    return data


async def _burst(url: str, tokens: list[str], connections: int) -> dict[str, Any]:
    """Every member redeems SCARCE once, `connections` requests in flight at a time, over
    keep-alive connections opened beforehand (a minimal HTTP/1.1 client: httpx's own overhead
    with hundreds of connections would dominate the measure). Timed from the first request
    sent to the last answer received."""
    order = list(tokens)
    random.Random(7).shuffle(order)
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    query = " ".join(REDEEM.split())
    body = json.dumps(
        {"query": query, "variables": {"input": {"rewardKey": SCARCE, "idempotencyKey": "burst"}}}
    ).encode()
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    )
    pending = iter(order)
    outcomes: Counter[str] = Counter()
    errors: list[str] = []
    streams = await asyncio.gather(
        *(asyncio.open_connection(host, port) for _ in range(min(connections, len(order))))
    )

    async def drive(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for bearer in pending:
            request = f"{head}Authorization: Bearer {bearer}\r\n\r\n".encode() + body
            writer.write(request)
            try:
                status, answer = await _read_response(reader)
                if status != 200:
                    raise RuntimeError(f"HTTP {status}: {answer[:300]!r}")
                document = json.loads(answer)
                if document.get("errors") or not document.get("data"):
                    raise RuntimeError(answer[:300].decode(errors="replace"))
            except (RuntimeError, OSError, ValueError, asyncio.IncompleteReadError) as error:
                errors.append(str(error)[:300])
                break
            payload = document["data"]["redeemReward"]
            if payload["redemption"] is not None:
                outcomes[payload["redemption"]["status"]] += 1
            else:
                outcomes[payload["errors"][0]["code"] if payload["errors"] else "UNKNOWN"] += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(drive(reader, writer) for reader, writer in streams))
    elapsed = time.perf_counter() - started
    unsent = sum(1 for _ in pending)
    completed = outcomes.pop("COMPLETED", 0)
    out_of_stock = outcomes.pop("OUT_OF_STOCK", 0)
    return {
        "stock": SCARCE_STOCK,
        "requesters": len(order),
        "connections": len(streams),
        "burst_s": round(elapsed, 2),
        "answers_per_s": round((len(order) - unsent) / elapsed, 1),
        "completed": completed,
        "out_of_stock": out_of_stock,
        "other_user_errors": dict(outcomes),
        "errors": len(errors) + unsent,
        **({"sample_error": errors[0]} if errors else {}),
    }


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """One HTTP/1.1 response with a Content-Length body: (status, body)."""
    header = await reader.readuntil(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length is None:
        raise RuntimeError(f"no Content-Length in the answer: {header[:300]!r}")
    return status, await reader.readexactly(length)


def _fetch(database: Database, sql: str) -> list[tuple[Any, ...]]:
    if isinstance(database, Postgres):
        rows = database.runner.run(database.connection.fetch(sql))
        return [tuple(row.values()) for row in rows]
    connection: sqlite3.Connection = database.connection  # type: ignore[attr-defined]
    return list(connection.execute(sql).fetchall())


def _scalar(database: Database, sql: str) -> int:
    value = _fetch(database, sql)[0][0]
    return int(value) if value is not None else 0


def _completed(database: Database, reward: str) -> int:
    return _scalar(
        database,
        f"SELECT count(*) FROM redemption WHERE reward_id = '{reward}' AND status = 'COMPLETED'",
    )


def _settled(database: Database, reward: str, quiet_s: float = 0.5) -> int:
    """COMPLETED redemptions of `reward` once the count has not moved for `quiet_s`."""
    count = _completed(database, reward)
    while True:
        time.sleep(quiet_s)
        latest = _completed(database, reward)
        if latest == count:
            return count
        count = latest


def _invariants(database: Database) -> dict[str, int]:
    """Violations counted (all must be 0): balance vs the sum of the member's ledger entries,
    negative balances, bench members whose balance is not POINTS minus what they redeemed,
    redemptions without exactly one REDEMPTION ledger entry, rewards with negative stock."""
    ledger_sums = "SELECT member_id, sum(amount) AS total FROM ledger_entry GROUP BY member_id"
    spent = (
        "SELECT member_id, sum(cost) AS total FROM redemption "
        "WHERE status = 'COMPLETED' GROUP BY member_id"
    )
    return {
        "balance_ne_ledger_sum": _scalar(
            database,
            f"SELECT count(*) FROM member m LEFT JOIN ({ledger_sums}) l ON l.member_id = m.id "
            "WHERE m.balance <> coalesce(l.total, 0)",
        ),
        "negative_balance": _scalar(database, "SELECT count(*) FROM member WHERE balance < 0"),
        "balance_ne_credit_minus_spent": _scalar(
            database,
            f"SELECT count(*) FROM member m LEFT JOIN ({spent}) s ON s.member_id = m.id "
            f"WHERE m.id LIKE '{MEMBER_PREFIX}%' AND m.balance <> {POINTS} - coalesce(s.total, 0)",
        ),
        "redemption_ledger_mismatch": abs(
            _scalar(database, "SELECT count(*) FROM redemption")
            - _scalar(database, "SELECT count(*) FROM ledger_entry WHERE reason = 'REDEMPTION'")
        ),
        "negative_stock": _scalar(database, "SELECT count(*) FROM reward WHERE stock < 0"),
    }
