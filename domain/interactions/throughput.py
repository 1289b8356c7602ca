"""How interactions flow, for the console's dashboard: how many were recorded hour by hour and
how many of those were awarded, and the PENDING backlog by age. Reads only.

Each read is one statement whatever the traffic, and each stays on the (status, recorded_at)
index: the hours are conditional counts (`COUNT(CASE WHEN …)`) over one range of
`recorded_at`, grouped by status, so a day of a million interactions is one index range per
status, never a row per interaction brought back to Python. Counting by the hour an
interaction was recorded (not the hour it was decided) is what keeps it on that index: an
hour's "awarded" is how many of the interactions recorded in it are AWARDED now, so a recent
hour still being processed shows the gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count, Min

from domain.models import Interaction, InteractionStatus

HOUR = timedelta(hours=1)
# The backlog's age bands: waiting under a minute, 1 to 10 minutes, 10 to 60, an hour or more.
AGE_BANDS: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10), HOUR)


@dataclass(frozen=True)
class Hour:
    start: datetime  # UTC
    recorded: int
    awarded: int  # of those recorded in the hour


@dataclass(frozen=True)
class Backlog:
    size: int
    oldest: datetime | None  # when the longest-waiting PENDING interaction was recorded
    by_age: tuple[int, ...]  # one count per band: under AGE_BANDS[0], …, AGE_BANDS[-1] or more


async def hourly(now: datetime, hours: int = 24) -> list[Hour]:
    """The last `hours` clock hours, oldest first, the current (partial) hour last."""
    end = now.replace(minute=0, second=0, microsecond=0) + HOUR
    first = end - hours * HOUR
    starts = [first + index * HOUR for index in range(hours)]
    counts = {
        f"h{index}": Count("id", _filter=Q(recorded_at__gte=start, recorded_at__lt=start + HOUR))
        for index, start in enumerate(starts)
    }
    rows: list[dict[str, Any]] = (
        await Interaction.filter(
            # Every status named, so the (status, recorded_at) index serves each as a range.
            status__in=list(InteractionStatus),
            recorded_at__gte=first,
            recorded_at__lt=end,
        )
        .annotate(**counts)
        .group_by("status")
        .values("status", *counts)
    )
    recorded = [0] * hours
    awarded = [0] * hours
    for row in rows:
        for index in range(hours):
            count = int(row[f"h{index}"] or 0)
            recorded[index] += count
            if row["status"] == InteractionStatus.AWARDED:
                awarded[index] += count
    return [Hour(start, recorded[i], awarded[i]) for i, start in enumerate(starts)]


async def backlog(now: datetime) -> Backlog:
    """The PENDING interactions: how many, the oldest, and how many in each age band."""
    bands = {
        f"b{index}": Count("id", _filter=Q(recorded_at__gt=now - age))
        for index, age in enumerate(AGE_BANDS)
    }
    rows: list[dict[str, Any]] = (
        await Interaction.filter(status=InteractionStatus.PENDING)
        .annotate(size=Count("id"), oldest=Min("recorded_at"), **bands)
        .values("size", "oldest", *bands)
    )
    row = rows[0] if rows else {}
    size = int(row.get("size") or 0)
    younger = [int(row.get(f"b{index}") or 0) for index in range(len(AGE_BANDS))]
    # Each band counts those younger than its bound; the difference is the band alone.
    by_age = [younger[0]] + [younger[i] - younger[i - 1] for i in range(1, len(younger))]
    by_age.append(size - younger[-1])
    oldest = row.get("oldest")
    return Backlog(size, oldest if isinstance(oldest, datetime) else None, tuple(by_age))
