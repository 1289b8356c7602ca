"""Partners' monthly budgets inside a batch: locked, decided against in memory, written once.

A batch that holds interactions recorded with a partner's token reads those partners'
budgets and takes the row of each (partner, month) it can award in, in key order, with one
`INSERT ... ON CONFLICT DO UPDATE ... RETURNING` that creates a missing row and locks it: a
concurrent batch (another lane, another worker) awarding through the same partner in the same
month waits for this one to commit and then reads its total, so two batches never spend the
same points twice. SQLite's single writer serializes batches anyway. The rows are taken after
the members' locks, by every batch in the same order, so batches never deadlock on them.

Only the interaction's own credit counts against the budget (and carries the partner in the
ledger): the badges and challenges it completes are the program's rewards, not the partner's.
An award that does not fit whole is REJECTED with reason PARTNER_BUDGET
(`gamification.partners`). A batch without partner interactions costs no statement here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.infra.db import insert_rows, matching
from domain.models import Interaction, Partner
from gamification.partners import budget_month, fits

BudgetKey = tuple[str, str]  # (partner, YYYY-MM)
COLUMNS = {"id": "varchar", "partner_key": "varchar", "month": "varchar", "awarded": "bigint"}


def row_id(partner: str, month: str) -> str:
    return f"{partner}/{month}"


@dataclass
class Budgets:
    """The locked budget rows of one batch: what each partner may still award per month."""

    tz: ZoneInfo
    limits: dict[str, int | None] = field(default_factory=dict)  # partner -> monthly budget
    awarded: dict[BudgetKey, int] = field(default_factory=dict)  # as locked, then as decided
    moved: set[BudgetKey] = field(default_factory=set)

    @classmethod
    async def lock(
        cls, connection: BaseDBAsyncClient, interactions: Iterable[Interaction], tz: ZoneInfo
    ) -> Budgets | None:
        """The budgets the partner interactions among `interactions` can spend, locked for the
        rest of the transaction; None (and no statement) when there are none."""
        wanted = sorted(
            {
                (i.partner_key, budget_month(i.occurred_at, tz))
                for i in interactions
                if i.partner_key is not None
            }
        )
        if not wanted:
            return None
        budgets = cls(tz)
        partners = sorted({partner for partner, _ in wanted})
        for key, budget in (
            await matching(Partner, key__in=partners)
            .using_db(connection)
            .values_list("key", "monthly_budget")
        ):
            budgets.limits[str(key)] = None if budget is None else int(budget)
        rows: list[list[object]] = [
            [row_id(partner, month), partner, month, 0] for partner, month in wanted
        ]
        for row in await insert_rows(
            connection,
            "partner_budget",
            COLUMNS,
            rows,
            # A no-op update: it creates the missing rows and locks every row, existing or not,
            # returning its committed total.
            on_conflict="ON CONFLICT (id) DO UPDATE SET awarded = partner_budget.awarded",
            returning="partner_key, month, awarded",
        ):
            budgets.awarded[(str(row["partner_key"]), str(row["month"]))] = int(row["awarded"])
        return budgets

    def month_of(self, interaction: Interaction) -> BudgetKey | None:
        if interaction.partner_key is None:
            return None
        return (interaction.partner_key, budget_month(interaction.occurred_at, self.tz))

    def fits(self, key: BudgetKey, points: int) -> bool:
        """Whether `points` more fit the partner's budget for the month. A partner deleted
        from under its interactions has no budget left to give."""
        partner, _ = key
        if partner not in self.limits:
            return points <= 0
        return fits(self.limits[partner], self.awarded.get(key, 0), points)

    def spend(self, key: BudgetKey, points: int) -> None:
        self.awarded[key] = self.awarded.get(key, 0) + points
        self.moved.add(key)

    async def write(self, connection: BaseDBAsyncClient) -> None:
        """Store the new totals (absolute: the rows are locked), in one statement."""
        if not self.moved:
            return
        rows: list[list[object]] = [
            [row_id(partner, month), partner, month, self.awarded[(partner, month)]]
            for partner, month in sorted(self.moved)
        ]
        await insert_rows(
            connection,
            "partner_budget",
            COLUMNS,
            rows,
            on_conflict="ON CONFLICT (id) DO UPDATE SET awarded = excluded.awarded",
        )
