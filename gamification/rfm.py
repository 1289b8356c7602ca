"""RFM engagement scores and the named segments of the recency x frequency grid.

Program managers think in segments ("our champions", "the ones about to sleep"), not in raw
counts, and a count means nothing without the rest of the population: twelve active days in a
quarter is a lot in one program and little in another. So each of recency, frequency and
monetary is turned into a score from 1 (worst fifth of the population) to 5 (best fifth), and
the segment is read off a fixed grid of the recency and frequency scores.

The inputs, per member and as of a day (computed by the caller):

- recency: days since the last active day (0 = active that day); fewer is better;
- frequency: active days in the 90 days up to that day; more is better;
- monetary: points credited (or a configured amount) in those 90 days; more is better.

Scores are by mid-rank, so that they are a pure function of the value and the population:

    score = 1 + floor(5 * (worse + equal / 2) / n)

where `worse` counts the members with a strictly worse value, `equal` those with the same value
(the member included) and `n` the population. That is the member's share of the population at
or below them, counting ties half, cut into fifths. Equal values always get the same score, a
better value never a lower one, distinct values split into fifths (each score `n / 5` members,
give or take one), a lone member or a population of equals sits in the middle (3) rather than
at an end, and a value shared by a large block of members scores where the middle of that block
lies (if all but a few members were active on 0 of the 90 days, the few score 5, the rest 3).

The grid (`GRID`) is the one most RFM tools draw, recency down and frequency across, with its
bottom-left corner split by recency into LOST (r = 1) and HIBERNATING (r = 2). `grid_markdown`
renders it for the README.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

SCORES = range(1, 6)


class RfmSegment(StrEnum):
    """The eleven names of the contract's `RfmSegment`, one per region of the grid."""

    CHAMPIONS = "CHAMPIONS"
    LOYAL = "LOYAL"
    POTENTIAL_LOYALIST = "POTENTIAL_LOYALIST"
    NEW = "NEW"
    PROMISING = "PROMISING"
    NEEDS_ATTENTION = "NEEDS_ATTENTION"
    ABOUT_TO_SLEEP = "ABOUT_TO_SLEEP"
    AT_RISK = "AT_RISK"
    CANNOT_LOSE = "CANNOT_LOSE"
    HIBERNATING = "HIBERNATING"
    LOST = "LOST"


_S = RfmSegment
# The grid, written out cell by cell so that every (r, f) has exactly one segment by
# construction: GRID[r - 1][f - 1]. Rows are recency scores 1 (long ago) to 5 (recent), columns
# frequency scores 1 (rarely) to 5 (often). Drawn the usual way up (recent at the top):
#
#          f=1             f=2                 f=3                 f=4        f=5
#   r=5    NEW             POTENTIAL_LOYALIST  POTENTIAL_LOYALIST  CHAMPIONS  CHAMPIONS
#   r=4    PROMISING       POTENTIAL_LOYALIST  POTENTIAL_LOYALIST  LOYAL      LOYAL
#   r=3    ABOUT_TO_SLEEP  ABOUT_TO_SLEEP      NEEDS_ATTENTION     LOYAL      LOYAL
#   r=2    HIBERNATING     HIBERNATING         AT_RISK             AT_RISK    CANNOT_LOSE
#   r=1    LOST            LOST                AT_RISK             AT_RISK    CANNOT_LOSE
GRID: tuple[tuple[RfmSegment, ...], ...] = (
    (_S.LOST, _S.LOST, _S.AT_RISK, _S.AT_RISK, _S.CANNOT_LOSE),  # r = 1
    (_S.HIBERNATING, _S.HIBERNATING, _S.AT_RISK, _S.AT_RISK, _S.CANNOT_LOSE),  # r = 2
    (_S.ABOUT_TO_SLEEP, _S.ABOUT_TO_SLEEP, _S.NEEDS_ATTENTION, _S.LOYAL, _S.LOYAL),  # r = 3
    (_S.PROMISING, _S.POTENTIAL_LOYALIST, _S.POTENTIAL_LOYALIST, _S.LOYAL, _S.LOYAL),  # r = 4
    (_S.NEW, _S.POTENTIAL_LOYALIST, _S.POTENTIAL_LOYALIST, _S.CHAMPIONS, _S.CHAMPIONS),  # r = 5
)


@dataclass(frozen=True)
class RfmScores:
    """One member's three scores, each 1 (worst fifth) to 5 (best fifth)."""

    r: int
    f: int
    m: int

    def __post_init__(self) -> None:
        for name, score in (("r", self.r), ("f", self.f), ("m", self.m)):
            _check_score(name, score)

    @property
    def segment(self) -> RfmSegment:
        return segment_of(self.r, self.f)


def score_population(
    values: Sequence[int] | npt.NDArray[np.integer], *, higher_is_better: bool
) -> list[int]:
    """Each value's score within `values` (the whole population), in the same order.

    `higher_is_better=False` for recency (fewer days is better), True for frequency and
    monetary. The rule is the mid-rank one of the module docstring, in exact integer
    arithmetic, vectorised with numpy (one sort and two binary searches for the population).
    """
    n = len(values)
    if n == 0:
        return []
    array = np.asarray(values, dtype=np.int64)
    if array.ndim != 1:
        raise ValueError("values are one per member, a flat sequence")
    ordered = np.sort(array)
    below = np.searchsorted(ordered, array, side="left")
    at_or_below = np.searchsorted(ordered, array, side="right")
    equal = at_or_below - below
    worse = below if higher_is_better else n - at_or_below
    # 1 + floor(5 * (worse + equal / 2) / n), doubled to stay in integers.
    scores = 1 + (5 * (2 * worse + equal)) // (2 * n)
    return [int(score) for score in scores]


def score_members(
    recency: Sequence[int], frequency: Sequence[int], monetary: Sequence[int]
) -> list[RfmScores]:
    """Every member's scores, the three sequences holding one value per member, aligned."""
    if not len(recency) == len(frequency) == len(monetary):
        raise ValueError("recency, frequency and monetary need one value per member each")
    if any(days < 0 for days in recency) or any(days < 0 for days in frequency):
        raise ValueError("recency and frequency count days, never negative")
    r = score_population(recency, higher_is_better=False)
    f = score_population(frequency, higher_is_better=True)
    m = score_population(monetary, higher_is_better=True)
    return [RfmScores(*scores) for scores in zip(r, f, m, strict=True)]


def segment_of(r: int | np.integer[Any], f: int | np.integer[Any]) -> RfmSegment:
    """The segment of a recency score and a frequency score (monetary plays no part)."""
    _check_score("r", r)
    _check_score("f", f)
    return GRID[int(r) - 1][int(f) - 1]


def grid_markdown() -> str:
    """The grid as a markdown table, recency down (5 first) and frequency across."""
    lines = ["| R \\ F | 1 | 2 | 3 | 4 | 5 |", "|---|---|---|---|---|---|"]
    for r in reversed(SCORES):
        cells = " | ".join(segment_of(r, f).value for f in SCORES)
        lines.append(f"| {r} | {cells} |")
    return "\n".join(lines)


def _check_score(name: str, score: int | np.integer[Any]) -> None:
    whole = isinstance(score, int | np.integer) and not isinstance(score, bool)
    if not whole or score not in SCORES:
        raise ValueError(f"scores are 1 to 5, got {name}={score!r}")
