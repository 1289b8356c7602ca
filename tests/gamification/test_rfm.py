"""Specification of RFM scoring and the segment grid (`gamification.rfm`).

Two rules live here. Scores: each member's value is placed within the whole population by
mid-rank and cut into fifths, so a score is a pure function of the value and the population
(equal values, equal scores; a better value, never a lower score; distinct values, fifths).
Segments: a fixed 5 x 5 grid of recency and frequency scores where every cell has exactly one
of the contract's eleven names; the regions are written out here once more, as the marketing
grid describes them, and the module's table must agree with them cell by cell.
"""

from __future__ import annotations

import random
from fractions import Fraction
from math import ceil, floor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.rfm import (
    GRID,
    RfmScores,
    RfmSegment,
    grid_markdown,
    score_members,
    score_population,
    segment_of,
)

CONTRACT_SEGMENTS = [
    "CHAMPIONS",
    "LOYAL",
    "POTENTIAL_LOYALIST",
    "NEW",
    "PROMISING",
    "NEEDS_ATTENTION",
    "ABOUT_TO_SLEEP",
    "AT_RISK",
    "CANNOT_LOSE",
    "HIBERNATING",
    "LOST",
]
CELLS = [(r, f) for r in range(1, 6) for f in range(1, 6)]


def cells(recency: range, frequency: range) -> set[tuple[int, int]]:
    return {(r, f) for r in recency for f in frequency}


# The regions of the grid, as the usual R x F map states them (r rows, f columns).
REGIONS: dict[RfmSegment, set[tuple[int, int]]] = {
    RfmSegment.CHAMPIONS: cells(range(5, 6), range(4, 6)),
    RfmSegment.LOYAL: cells(range(3, 5), range(4, 6)),
    RfmSegment.POTENTIAL_LOYALIST: cells(range(4, 6), range(2, 4)),
    RfmSegment.NEW: {(5, 1)},
    RfmSegment.PROMISING: {(4, 1)},
    RfmSegment.NEEDS_ATTENTION: {(3, 3)},
    RfmSegment.ABOUT_TO_SLEEP: cells(range(3, 4), range(1, 3)),
    RfmSegment.AT_RISK: cells(range(1, 3), range(3, 5)),
    RfmSegment.CANNOT_LOSE: cells(range(1, 3), range(5, 6)),
    RfmSegment.HIBERNATING: cells(range(2, 3), range(1, 3)),
    RfmSegment.LOST: cells(range(1, 2), range(1, 3)),
}

fast = settings(max_examples=80, deadline=None)
populations = st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=150)
# Few distinct values among many members: heavy ties, as frequency and recency have.
tied_populations = st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=150)


def reference_scores(values: list[int], higher_is_better: bool) -> list[int]:
    """The rule of the module docstring, member by member, in exact fractions."""
    n = len(values)
    scores = []
    for value in values:
        worse = sum(1 for other in values if (other < value if higher_is_better else other > value))
        equal = values.count(value)
        scores.append(1 + floor(5 * (worse + Fraction(equal, 2)) / n))
    return scores


# --- the grid ----------------------------------------------------------------------------------


def test_the_segments_are_exactly_the_contracts_eleven() -> None:
    assert [segment.value for segment in RfmSegment] == CONTRACT_SEGMENTS
    assert all(segment == segment.value for segment in RfmSegment)  # a str, as stored


def test_the_regions_tile_the_grid_without_overlap() -> None:
    """The regions as stated are disjoint and cover all 25 cells (the statement itself holds)."""
    assert sum(len(region) for region in REGIONS.values()) == 25
    assert set().union(*REGIONS.values()) == set(CELLS)


@pytest.mark.parametrize(("r", "f"), CELLS)
def test_every_cell_has_the_one_segment_of_its_region(r: int, f: int) -> None:
    owners = [segment for segment, region in REGIONS.items() if (r, f) in region]
    assert owners == [segment_of(r, f)]
    assert GRID[r - 1][f - 1] is segment_of(r, f)


def test_every_segment_has_at_least_one_cell() -> None:
    assert {segment_of(r, f) for r, f in CELLS} == set(RfmSegment)
    assert len(GRID) == 5 and all(len(row) == 5 for row in GRID)


def test_the_corners_read_as_their_names_say() -> None:
    assert segment_of(5, 5) is RfmSegment.CHAMPIONS  # recent and frequent
    assert segment_of(5, 1) is RfmSegment.NEW  # recent, once
    assert segment_of(1, 5) is RfmSegment.CANNOT_LOSE  # frequent, long gone
    assert segment_of(1, 1) is RfmSegment.LOST  # rare and long gone


@pytest.mark.parametrize(("r", "f"), [(0, 3), (6, 3), (3, 0), (3, 6), (-1, -1)])
def test_scores_outside_one_to_five_are_refused(r: int, f: int) -> None:
    with pytest.raises(ValueError):
        segment_of(r, f)


@pytest.mark.parametrize("score", [True, 3.0, "3"])
def test_a_score_is_a_whole_number(score: object) -> None:
    with pytest.raises(ValueError):
        segment_of(score, 3)  # type: ignore[arg-type]


def test_numpy_integers_are_scores_too() -> None:
    assert segment_of(np.int64(5), np.int16(4)) is RfmSegment.CHAMPIONS


def test_the_markdown_table_is_the_grid_recent_rows_first() -> None:
    lines = grid_markdown().splitlines()
    assert lines[0] == "| R \\ F | 1 | 2 | 3 | 4 | 5 |"
    assert lines[1] == "|---|---|---|---|---|---|"
    assert len(lines) == 7
    for line, r in zip(lines[2:], range(5, 0, -1), strict=True):
        label, *names = [cell.strip() for cell in line.strip("|").split("|")]
        assert label == str(r)
        assert names == [segment_of(r, f).value for f in range(1, 6)]


# --- scores ------------------------------------------------------------------------------------


@fast
@given(values=populations | tied_populations, higher=st.booleans())
def test_scores_are_the_mid_rank_rule_of_the_docstring(values: list[int], higher: bool) -> None:
    assert score_population(values, higher_is_better=higher) == reference_scores(values, higher)


@fast
@given(values=populations | tied_populations, higher=st.booleans())
def test_scores_are_one_to_five_equal_for_equal_values_and_never_lower_for_better(
    values: list[int], higher: bool
) -> None:
    scores = score_population(values, higher_is_better=higher)
    assert len(scores) == len(values)
    assert all(score in range(1, 6) for score in scores)
    by_value: dict[int, int] = {}
    for value, score in zip(values, scores, strict=True):
        assert by_value.setdefault(value, score) == score  # equal values, equal scores
    ordered = sorted(by_value, reverse=not higher)  # worst value first
    assert [by_value[v] for v in ordered] == sorted(by_value[v] for v in ordered)


@fast
@given(values=populations, higher=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_a_score_depends_on_the_value_and_the_population_not_on_the_order(
    values: list[int], higher: bool, seed: int
) -> None:
    shuffled = values[:]
    random.Random(seed).shuffle(shuffled)
    before = dict(zip(values, score_population(values, higher_is_better=higher), strict=True))
    after = dict(zip(shuffled, score_population(shuffled, higher_is_better=higher), strict=True))
    assert before == after


@fast
@given(values=populations | tied_populations)
def test_lower_is_better_is_the_mirror_of_higher_is_better(values: list[int]) -> None:
    mirrored = [-value for value in values]
    assert score_population(values, higher_is_better=False) == score_population(
        mirrored, higher_is_better=True
    )


@fast
@given(n=st.integers(min_value=1, max_value=600), higher=st.booleans())
def test_distinct_values_split_into_fifths(n: int, higher: bool) -> None:
    values = random.Random(n).sample(range(10 * n), n)
    scores = score_population(values, higher_is_better=higher)
    for score in range(1, 6):
        assert floor(n / 5) <= scores.count(score) <= ceil(n / 5)
    if n % 5 == 0:
        assert all(scores.count(score) == n // 5 for score in range(1, 6))


def test_the_best_fifth_scores_five_whichever_way_is_better() -> None:
    days = list(range(10))
    assert score_population(days, higher_is_better=True) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert score_population(days, higher_is_better=False) == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert score_population([0, 100], higher_is_better=False) == [4, 2]  # the two halves


def test_a_lone_member_or_a_population_of_equals_sits_in_the_middle() -> None:
    assert score_population([42], higher_is_better=True) == [3]
    assert score_population([7] * 10, higher_is_better=False) == [3] * 10
    assert score_population([], higher_is_better=True) == []


def test_a_large_tied_block_scores_where_its_middle_lies() -> None:
    """95 members never active in the quarter and 5 active: the 5 are the best fifth, and the
    95 straddle the first four fifths, so they all get the score of their middle, 3."""
    scores = score_population([0] * 95 + [10] * 5, higher_is_better=True)
    assert scores == [3] * 95 + [5] * 5


def test_numpy_arrays_and_large_amounts_are_accepted() -> None:
    amounts = np.array([10**15, 0, 3 * 10**14, 2**40, 5], dtype=np.int64)
    assert score_population(amounts, higher_is_better=True) == [5, 1, 4, 3, 2]


def test_a_population_is_a_flat_sequence() -> None:
    with pytest.raises(ValueError):
        score_population(np.zeros((2, 2), dtype=np.int64), higher_is_better=True)


# --- members -----------------------------------------------------------------------------------


def test_members_are_scored_on_each_measure_and_segmented_by_r_and_f() -> None:
    recency = [0, 1, 2, 30, 60, 90, 120, 150, 200, 400]
    frequency = [40, 1, 30, 20, 15, 10, 9, 3, 2, 1]
    monetary = [900, 5, 800, 700, 600, 500, 400, 300, 200, 100]
    scored = score_members(recency, frequency, monetary)
    assert scored[0] == RfmScores(5, 5, 5)
    assert scored[0].segment is RfmSegment.CHAMPIONS
    assert scored[1] == RfmScores(5, 1, 1)  # active yesterday, the first time in the quarter
    assert scored[1].segment is RfmSegment.NEW
    assert scored[-1] == RfmScores(1, 1, 1)
    assert scored[-1].segment is RfmSegment.LOST
    assert [s.r for s in scored] == score_population(recency, higher_is_better=False)
    assert [s.m for s in scored] == score_population(monetary, higher_is_better=True)


def test_member_measures_must_line_up_and_days_are_never_negative() -> None:
    with pytest.raises(ValueError):
        score_members([1, 2], [1], [1, 2])
    with pytest.raises(ValueError):
        score_members([-1], [1], [1])
    with pytest.raises(ValueError):
        score_members([1], [-1], [1])


def test_scores_outside_one_to_five_make_no_rfm_scores() -> None:
    with pytest.raises(ValueError):
        RfmScores(0, 3, 3)
    with pytest.raises(ValueError):
        RfmScores(3, 3, 6)
