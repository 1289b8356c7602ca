"""`domain.insight.campaigns.upsert` checks a campaign whole before it writes any of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from domain.errors import DomainError, ErrorCode
from domain.insight import campaigns
from domain.models import AuditRecord, Campaign

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def spec(starts_at: datetime, ends_at: datetime) -> campaigns.CampaignSpec:
    return campaigns.CampaignSpec(
        key="winback",
        name="Win back",
        message="We missed you",
        segments=(),
        churn_risks=("HIGH",),
        tiers=(),
        bonus_points=50,
        badge_key=None,
        starts_at=starts_at,
        ends_at=ends_at,
        holdout_percent=10,
    )


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field"),
    [
        (datetime(2026, 12, 7), NOW + timedelta(days=7), "startsAt"),
        (NOW, datetime(2026, 12, 14), "endsAt"),
        (datetime(2026, 12, 7), datetime(2026, 12, 14), "startsAt"),
        (datetime(1, 1, 1, tzinfo=UTC), NOW, "startsAt"),
    ],
)
async def test_a_date_the_program_cannot_use_is_refused_and_nothing_is_stored(
    server, starts_at, ends_at, field
):
    with pytest.raises(DomainError) as refused:
        await campaigns.upsert("root", spec(starts_at, ends_at), NOW)
    assert refused.value.code is ErrorCode.INVALID_INPUT
    assert refused.value.field == [field]
    assert await Campaign.all().count() == 0
    assert await AuditRecord.all().count() == 0


async def test_dates_are_stored_in_utc_whatever_offset_they_came_with(server):
    paris = timezone(timedelta(hours=1))
    stored = await campaigns.upsert(
        "root", spec(datetime(2026, 12, 7, 13, 0, tzinfo=paris), NOW + timedelta(days=7)), NOW
    )
    assert stored.starts_at == NOW and stored.starts_at.utcoffset() == timedelta(0)
    assert campaigns.status(stored, NOW) == "RUNNING"
