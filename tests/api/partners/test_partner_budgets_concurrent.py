"""Concurrent batches at a partner's budget: two workers never overspend it, and a batch
without partner interactions costs what it cost before partners existed."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime

from domain.interactions import ingest
from domain.interactions.record import Recording
from domain.models import Interaction, InteractionStatus, LedgerEntry, PartnerBudget
from domain.pipeline import batch
from domain.runtime import Runtime
from tests.api.partners.test_partners import ledger_total, partner, partners
from tests.helpers import counting, define


async def backlog(
    runtime: Runtime, count: int, members: int, partner_key: str | None, prefix: str = ""
) -> None:
    """`count` PENDING interactions of `members` members, as the partner's token records them
    (or a plain SERVICE token's, with `partner_key` None)."""
    recordings = [
        Recording(
            member_id=f"m{index % members}",
            action_key="acme.purchase" if partner_key else "app.open",
            idempotency_key=f"{prefix}{partner_key}-{index}",
            occurred_at=None,
            properties=None,
            trusted=True,
            partner=partner_key,
        )
        for index in range(count)
    ]
    for start in range(0, count, 1000):
        await ingest.record_interactions(runtime, recordings[start : start + 1000])


async def test_two_workers_at_the_budget_award_exactly_the_budget_and_never_more(gql, runtime):
    await partner(gql, monthlyBudget=1_500)  # 150 awards of 10 points
    await backlog(runtime, 400, members=40, partner_key="acme")
    small = dataclasses.replace(
        runtime, settings=dataclasses.replace(runtime.settings, worker_batch_size=20)
    )
    claimed: list[list[int]] = [[], []]

    async def worker(index: int) -> None:
        while ids := await batch.process_next(small):
            claimed[index] += ids
            await asyncio.sleep(0)  # let the other worker claim in between

    await asyncio.gather(worker(0), worker(1))

    assert claimed[0] and claimed[1], "both workers took batches"
    assert len(claimed[0]) + len(claimed[1]) == 400
    statuses = await Interaction.all().values_list("status", "reason")
    assert statuses.count((InteractionStatus.AWARDED, None)) == 150
    assert statuses.count((InteractionStatus.REJECTED, "PARTNER_BUDGET")) == 250
    listed = (await partners(gql))["acme"]
    assert listed["awardedThisMonth"] == 1_500
    assert listed["awardedThisMonth"] == await ledger_total("acme", datetime.now(UTC))
    assert await LedgerEntry.filter(partner_key="acme").count() == 150
    assert await PartnerBudget.all().count() == 1


async def test_lanes_of_one_worker_at_the_budget_never_overspend_it(gql, runtime):
    await partner(gql, monthlyBudget=995)  # 99 awards of 10: the 100th does not fit whole
    await backlog(runtime, 300, members=30, partner_key="acme")
    settings = dataclasses.replace(runtime.settings, worker_batch_size=20, worker_concurrency=3)

    assert await batch.drain(dataclasses.replace(runtime, settings=settings)) == 300

    assert await Interaction.filter(status=InteractionStatus.AWARDED).count() == 99
    listed = (await partners(gql))["acme"]
    assert listed["awardedThisMonth"] == 990
    assert listed["awardedThisMonth"] == await ledger_total("acme", datetime.now(UTC))


async def test_a_batch_without_partner_interactions_costs_no_statement_more(gql, runtime):
    await partner(gql, monthlyBudget=None)
    await define(gql, "app.open", 3, memberReportable=False)
    counts = {}
    for round_, partner_key in enumerate([None, None, "acme"]):
        await backlog(runtime, 20, members=5, partner_key=partner_key, prefix=str(round_))
        with counting() as counter:
            assert len(await batch.process_next(runtime)) == 20
        counts[round_] = counter.statements
    plain, partnered = counts[1], counts[2]
    touching = [s for s in plain if "partner_budget" in s or 'FROM "partner"' in s]
    assert touching == [], touching
    # The partner's row, its budget row locked, and the new total: three statements.
    assert len(partnered) == len(plain) + 3, (plain, partnered)
