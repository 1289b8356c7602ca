"""The read-only pages' data (dashboard, insight, leaderboards, webhooks, audit) costs a fixed
number of SQL statements, however many members, interactions, campaigns, endpoints or records
there are: set-based reads, no statement per row. And the dashboard's hours count right."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from api.console.pages.audit import AuditFilters, audit_data
from api.console.pages.dashboard import dashboard_data
from api.console.pages.insight import insight_data
from api.console.pages.leaderboards import board_page
from api.console.pages.webhooks import Filters, webhooks_data
from domain.insight import campaigns
from domain.interactions import throughput
from domain.members import profiles
from domain.models import Interaction, InteractionStatus, WebhookEndpoint
from tests.api.console import seed
from tests.api.interactions.test_bulk_ingest import item, record_many
from tests.helpers import counting


async def statements(read: Any) -> list[str]:
    """The statements one call of `read()` runs once the program's definitions are cached (as
    they are in a running process), with members' profiles not cached."""
    await read()
    profiles.cache.clear()
    with counting() as counter:
        await read()
    return counter.statements


async def more_members(gql: Any, drain: Any, count: int) -> None:
    await record_many(gql, [item(f"extra-{n}", f"x{n}", seed.ACTION) for n in range(count)])
    await drain()


async def test_the_dashboard_reads_the_same_few_statements_at_any_size(
    gql: Any, drain: Any, runtime: Any
) -> None:
    await seed.program(gql, drain, runtime, with_demo=False)
    now = datetime.now(UTC)
    small = await statements(lambda: dashboard_data(runtime, now))
    await more_members(gql, drain, 40)
    large = await statements(lambda: dashboard_data(runtime, now))
    assert len(small) == len(large) <= 5, large


async def test_the_insight_page_reads_the_same_statements_for_one_campaign_or_four(
    gql: Any, drain: Any, runtime: Any
) -> None:
    await seed.program(gql, drain, runtime)
    now = datetime.now(UTC)
    one = await statements(lambda: insight_data(runtime.settings, now))
    for index in range(3):
        await campaigns.upsert(
            "root",
            campaigns.CampaignSpec(
                key=f"more-{index}",
                name=f"More {index}",
                message="Hello",
                segments=(),
                churn_risks=(),
                tiers=(),
                bonus_points=5,
                badge_key=None,
                starts_at=now - timedelta(days=2),
                ends_at=now + timedelta(days=2),
                holdout_percent=50,
            ),
            now,
        )
    assert await campaigns.apply_running(runtime, now) > 0
    four = await statements(lambda: insight_data(runtime.settings, now))
    assert len(one) == len(four) <= 8, four
    found = await insight_data(runtime.settings, now)
    assert len(found.campaigns) == 4
    # Each campaign's results, read together, are what the API reads for it alone.
    for row in found.campaigns:
        assert row.results == await campaigns.results(runtime.settings, row.campaign)


async def test_a_leaderboard_and_its_archives_cost_three_statements_at_most(
    gql: Any, drain: Any, runtime: Any
) -> None:
    await seed.program(gql, drain, runtime)
    now = datetime.now(UTC)
    for period in ("ALL_TIME", "WEEKLY", "MONTHLY"):
        found = await statements(lambda p=period: board_page(runtime, "points", p, now))
        assert len(found) <= 3, (period, found)
    weekly = await board_page(runtime, "points", "WEEKLY", now)
    assert weekly.archives and all(closed.entries for closed in weekly.archives)


async def test_the_webhooks_page_reads_three_statements_for_any_number_of_endpoints() -> None:
    now = datetime.now(UTC)
    counts = []
    for _ in range(2):
        for n in range(5):
            await WebhookEndpoint.create(
                url=f"https://8.8.8.8/{n}", secret="whsec_x", created_at=now, updated_at=now
            )
        counts.append(len(await statements(lambda: webhooks_data(Filters(None, None, None), now))))
    assert counts == [3, 3]


async def test_the_audit_page_reads_two_statements(gql: Any) -> None:
    found = await statements(lambda: audit_data(AuditFilters("root", "upsertAction", None)))
    assert len(found) == 2


async def test_hours_count_what_was_recorded_in_them_and_what_of_it_was_awarded(
    gql: Any, drain: Any, runtime: Any
) -> None:
    await seed.program(gql, drain, runtime, with_demo=False)
    now = datetime(2026, 12, 7, 15, 40, tzinfo=UTC)
    ids = sorted(await Interaction.all().values_list("id", flat=True))
    pending = set(
        await Interaction.filter(status=InteractionStatus.PENDING).values_list("id", flat=True)
    )
    decided = [i for i in ids if i not in pending]
    # Two in the hour before last, one in the last, one in this one; the rest too old to
    # count (a day and more ago); the PENDING ones five minutes ago.
    recorded = dict(zip(decided, [2, 2, 1, 0], strict=False))
    for interaction_id in ids:
        if interaction_id in pending:
            at = now - timedelta(minutes=5)
        else:
            at = now - timedelta(hours=recorded.get(interaction_id, 30))
        await Interaction.filter(id=interaction_id).update(recorded_at=at)
    hours = await throughput.hourly(now)
    assert len(hours) == 24
    assert hours[-1].start == datetime(2026, 12, 7, 15, tzinfo=UTC)
    assert hours[0].start == datetime(2026, 12, 6, 16, tzinfo=UTC)
    by_start = {hour.start.hour: (hour.recorded, hour.awarded) for hour in hours}
    assert by_start[13] == (2, 2) and by_start[14] == (1, 1)
    assert by_start[15] == (1 + len(pending), 1)
    assert sum(hour.recorded for hour in hours) == 4 + len(pending)

    backlog = await throughput.backlog(now)
    assert backlog.size == len(pending) == seed.PENDING
    assert backlog.by_age == (0, seed.PENDING, 0, 0)  # 1 to 10 minutes
    assert backlog.oldest == now - timedelta(minutes=5)
