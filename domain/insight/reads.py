"""The read side of insight: the latest refresh at or before a date, members' rows, the fit,
segment counts and members, for the API (`api/insight/`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tortoise.expressions import Q
from tortoise.functions import Count

from domain.models import ChurnFit, MemberInsight
from gamification import churn
from gamification.rfm import RfmSegment


async def latest_refresh(on_or_before: date | None = None) -> str | None:
    """The most recent refresh date (ISO) at or before `on_or_before` (default: any)."""
    rows = MemberInsight.all()
    if on_or_before is not None:
        rows = rows.filter(as_of__lte=on_or_before.isoformat())
    found = await rows.order_by("-as_of").first().values_list("as_of", flat=True)
    return str(found) if found else None


async def latest_fit(on_or_before: date | None = None) -> ChurnFit | None:
    """The most recent stored fit at or before `on_or_before` (default: any)."""
    fits = ChurnFit.all()
    if on_or_before is not None:
        fits = fits.filter(as_of__lte=on_or_before.isoformat())
    return await fits.order_by("-as_of").first()


def as_model(fit: ChurnFit) -> churn.BgNbdFit:
    return churn.BgNbdFit(fit.r, fit.alpha, fit.a, fit.b, fit.log_likelihood, fit.members)


async def of_members(member_ids: Sequence[str]) -> dict[str, MemberInsight]:
    """Each member's row of the latest refresh that has one (one query)."""
    latest = await latest_refresh()
    if latest is None or not member_ids:
        return {}
    rows = await MemberInsight.filter(as_of=latest, member_id__in=list(member_ids))
    return {row.member_id: row for row in rows}


@dataclass(frozen=True)
class SegmentCount:
    segment: str
    members: int
    share: float


async def segment_counts(as_of: str) -> list[SegmentCount]:
    """Members per segment on the refresh of `as_of`, every segment listed (0 included)."""
    rows = await _counts(as_of)
    total = sum(rows.values()) or 1
    return [
        SegmentCount(segment.value, rows.get(segment.value, 0), rows.get(segment.value, 0) / total)
        for segment in RfmSegment
    ]


async def _counts(as_of: str) -> dict[str, int]:
    rows = (
        await MemberInsight.filter(as_of=as_of)
        .annotate(count=Count("id"))
        .group_by("segment")
        .values_list("segment", "count")
    )
    return {str(segment): int(count) for segment, count in rows}


async def segment_members(
    as_of: str, segment: str | None, churn_risk: str | None, first: int, after: int | None
) -> list[MemberInsight]:
    """Up to `first` + 1 rows of the refresh, in row order after row `after` (keyset; a
    refresh writes its rows in member id order)."""
    rows = MemberInsight.filter(as_of=as_of)
    if segment is not None:
        rows = rows.filter(segment=segment)
    if churn_risk is not None:
        rows = rows.filter(churn_risk=churn_risk)
    if after is not None:
        rows = rows.filter(id__gt=after)
    return list(await rows.order_by("id").limit(first + 1).prefetch_related("member"))


async def rfm_grid(as_of: str) -> dict[tuple[int, int], int]:
    """Members per (recency score, frequency score) on the refresh of `as_of`: one GROUP BY
    (the console's heat map of the segment grid)."""
    rows = (
        await MemberInsight.filter(as_of=as_of)
        .annotate(count=Count("id"))
        .group_by("r", "f")
        .values_list("r", "f", "count")
    )
    return {(int(r), int(f)): int(count) for r, f, count in rows}


@dataclass(frozen=True)
class AliveHistogram:
    """Members of a refresh by P(alive), in `len(bins)` equal bins from 0 to 1 (the last one
    closed: P(alive) = 1 counts in it), and those the refresh gave none (no fit yet)."""

    bins: tuple[int, ...]
    unmeasured: int


async def alive_histogram(as_of: str, bins: int = 10) -> AliveHistogram:
    """One statement of conditional counts, whatever the population."""
    counts = {
        f"b{index}": Count(
            "id",
            _filter=Q(p_alive__gte=index / bins, p_alive__lt=(index + 1) / bins)
            if index < bins - 1
            else Q(p_alive__gte=index / bins),
        )
        for index in range(bins)
    }
    rows = (
        await MemberInsight.filter(as_of=as_of)
        .annotate(unmeasured=Count("id", _filter=Q(p_alive__isnull=True)), **counts)
        .values("unmeasured", *counts)
    )
    row = rows[0] if rows else {}
    return AliveHistogram(
        tuple(int(row.get(f"b{index}") or 0) for index in range(bins)),
        int(row.get("unmeasured") or 0),
    )
