"""`domain.goals.challenges.upsert_challenge` checks a challenge's window before it reads or
writes anything: a window stored without an offset would fail every status check made of it,
in the award path too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import DomainError, ErrorCode
from domain.goals import challenges
from domain.models import AuditRecord, Challenge
from gamification.challenges import ChallengeDefinition, Window
from gamification.goals import Goal, Metric
from tests.helpers import define

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def definition(starts_at: datetime, ends_at: datetime) -> ChallengeDefinition:
    goals = (Goal(Metric.ACTION_COUNT, "review.posted", 3),)
    return ChallengeDefinition(
        "review.week", "Review week", Window(starts_at, ends_at), goals, 0, None
    )


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field"),
    [
        (datetime(2026, 12, 7), NOW + timedelta(days=7), "startsAt"),
        (NOW, datetime(2026, 12, 14), "endsAt"),
        (datetime(9999, 12, 30, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC), "startsAt"),
    ],
)
async def test_a_date_the_program_cannot_use_is_refused_and_nothing_is_stored(
    gql, starts_at, ends_at, field
):
    await define(gql, "review.posted")
    audited = await AuditRecord.all().count()
    with pytest.raises(DomainError) as refused:
        await challenges.upsert_challenge("root", definition(starts_at, ends_at), now=NOW)
    assert refused.value.code is ErrorCode.INVALID_INPUT
    assert refused.value.field == ["input", field]
    assert await Challenge.all().count() == 0
    assert await AuditRecord.all().count() == audited
